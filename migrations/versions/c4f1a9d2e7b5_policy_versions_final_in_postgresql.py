"""On PostgreSQL, triggers that keep published policy versions and orders' agreements final

Revision ID: c4f1a9d2e7b5
Revises: b8e4d2a6c1f3

The trigger text is ``storefront.legal.models.POLICY_DDL``, copied so this revision never changes.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c4f1a9d2e7b5'
down_revision = 'b8e4d2a6c1f3'
branch_labels = None
depends_on = None


_POLICY_DDL = [
    """
    CREATE OR REPLACE FUNCTION policy_version_is_final() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'policy % v% is published: it never changes (publish a new version)',
            OLD.slug, OLD.number;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER policy_version_is_final BEFORE UPDATE OR DELETE ON policy_version
    FOR EACH ROW EXECUTE FUNCTION policy_version_is_final()
    """,
    """
    CREATE OR REPLACE FUNCTION order_agreement_is_final() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'what order % agreed to never changes', OLD.order_id;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER order_agreement_is_final BEFORE UPDATE ON order_agreement
    FOR EACH ROW EXECUTE FUNCTION order_agreement_is_final()
    """,
]


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in _POLICY_DDL:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS order_agreement_is_final ON order_agreement")
        op.execute("DROP FUNCTION IF EXISTS order_agreement_is_final()")
        op.execute("DROP TRIGGER IF EXISTS policy_version_is_final ON policy_version")
        op.execute("DROP FUNCTION IF EXISTS policy_version_is_final()")
