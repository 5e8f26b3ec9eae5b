"""Open for business under Vietnamese law: policy versions and what each order agreed to, product
label facts and take-down, producer legal identity

Revision ID: c4a1e2b7d903
Revises: 1ae6f8bb3ec2
"""
from alembic import op
import sqlalchemy as sa


revision = 'c4a1e2b7d903'
down_revision = '1ae6f8bb3ec2'
branch_labels = None
depends_on = None

_SLUGS = "'terms', 'returns', 'pickup', 'payment', 'privacy', 'rules'"


def upgrade():
    op.create_table(
        'policy_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('slug', sa.String(length=20), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('title_vi', sa.String(length=200), nullable=False),
        sa.Column('title_en', sa.String(length=200), nullable=True),
        sa.Column('body_vi', sa.Text(), nullable=False),
        sa.Column('body_en', sa.Text(), nullable=True),
        sa.Column('summary_vi', sa.String(length=500), nullable=True),
        sa.Column('summary_en', sa.String(length=500), nullable=True),
        sa.Column('effective_on', sa.Date(), nullable=False),
        sa.Column('published_at', sa.DateTime(), nullable=False),
        sa.Column('published_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint('number > 0', name='policy_number_positive'),
        sa.CheckConstraint(f'slug in ({_SLUGS})', name='policy_slug_known'),
        sa.ForeignKeyConstraint(['published_by_id'], ['user.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('slug', 'number', name='uq_policy_version_slug_number'),
    )
    with op.batch_alter_table('policy_version', schema=None) as batch_op:
        batch_op.create_index('ix_policy_version_current', ['slug', 'effective_on', 'number'], unique=False)

    op.create_table(
        'order_agreement',
        sa.Column('order_id', sa.Integer(), nullable=False),
        sa.Column('policy_version_id', sa.Integer(), nullable=False),
        sa.Column('agreed_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['order_id'], ['order.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['policy_version_id'], ['policy_version.id']),
        sa.PrimaryKeyConstraint('order_id', 'policy_version_id'),
    )

    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.add_column(sa.Column('label_origin', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('label_maker_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('label_maker_address', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('label_net_quantity', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('label_ingredients', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('label_shelf_life', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('label_storage', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('label_warnings', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('food_safety_number', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('food_safety_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('food_safety_issuer', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('taken_down_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('takedown_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('taken_down_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_product_taken_down_by_id_user', 'user', ['taken_down_by_id'], ['id'])

    with op.batch_alter_table('producer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tax_code', sa.String(length=14), nullable=True))
        batch_op.add_column(sa.Column('business_registration', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('legal_address', sa.String(length=300), nullable=True))


def downgrade():
    with op.batch_alter_table('producer', schema=None) as batch_op:
        batch_op.drop_column('legal_address')
        batch_op.drop_column('business_registration')
        batch_op.drop_column('tax_code')
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.drop_constraint('fk_product_taken_down_by_id_user', type_='foreignkey')
        for column in ('taken_down_by_id', 'takedown_reason', 'taken_down_at', 'food_safety_issuer',
                       'food_safety_date', 'food_safety_number', 'label_warnings', 'label_storage',
                       'label_shelf_life', 'label_ingredients', 'label_net_quantity',
                       'label_maker_address', 'label_maker_name', 'label_origin'):
            batch_op.drop_column(column)
    op.drop_table('order_agreement')
    with op.batch_alter_table('policy_version', schema=None) as batch_op:
        batch_op.drop_index('ix_policy_version_current')
    op.drop_table('policy_version')
