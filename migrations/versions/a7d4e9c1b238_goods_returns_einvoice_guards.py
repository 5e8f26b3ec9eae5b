"""Goods given back after hand-over (goods_return), when a producer's e-invoice password last
changed, and on PostgreSQL the triggers that keep issued invoices and their lines final

Revision ID: a7d4e9c1b238
Revises: e01709c34791

The trigger text is ``storefront.invoices.models.INVOICE_DDL``, copied so this revision never changes.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7d4e9c1b238'
down_revision = 'e01709c34791'
branch_labels = None
depends_on = None


_INVOICE_DDL = [
    """
    CREATE OR REPLACE FUNCTION invoice_issued_is_final() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            IF OLD.status = 'issued' THEN
                RAISE EXCEPTION 'invoice % is issued: it is never deleted (adjust it instead)', OLD.id;
            END IF;
            RETURN OLD;
        END IF;
        IF OLD.status = 'issued' AND (to_jsonb(NEW) - 'pdf_key') IS DISTINCT FROM (to_jsonb(OLD) - 'pdf_key') THEN
            RAISE EXCEPTION 'invoice % is issued: it never changes (adjust it instead)', OLD.id;
        END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER invoice_issued_is_final BEFORE UPDATE OR DELETE ON invoice
    FOR EACH ROW EXECUTE FUNCTION invoice_issued_is_final()
    """,
    """
    CREATE OR REPLACE FUNCTION invoice_line_of_issued_is_final() RETURNS trigger AS $$
    BEGIN
        IF EXISTS (SELECT 1 FROM invoice WHERE id = OLD.invoice_id AND status = 'issued') THEN
            RAISE EXCEPTION 'invoice % is issued: its lines never change (adjust it instead)', OLD.invoice_id;
        END IF;
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER invoice_line_of_issued_is_final BEFORE UPDATE OR DELETE ON invoice_line
    FOR EACH ROW EXECUTE FUNCTION invoice_line_of_issued_is_final()
    """,
]


def upgrade():
    op.create_table('goods_return',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('pickup_id', sa.Integer(), nullable=False),
    sa.Column('order_line_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.Column('resaleable', sa.Boolean(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by', sa.String(length=254), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('amount >= 0', name=op.f('ck_goods_return_goods_return_amount_not_negative')),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_goods_return_goods_return_quantity_positive')),
    sa.ForeignKeyConstraint(['order_id'], ['order.id'], name=op.f('fk_goods_return_order_id_order')),
    sa.ForeignKeyConstraint(['order_line_id'], ['order_line.id'], name=op.f('fk_goods_return_order_line_id_order_line')),
    sa.ForeignKeyConstraint(['pickup_id'], ['pickup.id'], name=op.f('fk_goods_return_pickup_id_pickup')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_goods_return_recorded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goods_return'))
    )
    with op.batch_alter_table('goods_return', schema=None) as batch_op:
        for column in ('order_id', 'order_line_id', 'pickup_id'):
            batch_op.create_index(batch_op.f(f'ix_goods_return_{column}'), [column], unique=False)
    with op.batch_alter_table('provider_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('password_changed_at', sa.DateTime(), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        for statement in _INVOICE_DDL:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS invoice_line_of_issued_is_final ON invoice_line")
        op.execute("DROP FUNCTION IF EXISTS invoice_line_of_issued_is_final()")
        op.execute("DROP TRIGGER IF EXISTS invoice_issued_is_final ON invoice")
        op.execute("DROP FUNCTION IF EXISTS invoice_issued_is_final()")
    with op.batch_alter_table('provider_account', schema=None) as batch_op:
        batch_op.drop_column('password_changed_at')
    with op.batch_alter_table('goods_return', schema=None) as batch_op:
        for column in ('pickup_id', 'order_line_id', 'order_id'):
            batch_op.drop_index(batch_op.f(f'ix_goods_return_{column}'))
    op.drop_table('goods_return')
