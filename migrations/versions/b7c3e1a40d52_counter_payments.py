"""Counter payments: what outlet staff collected for a pay-at-pickup pickup (amount, cash or
transfer, by whom, when)

Revision ID: b7c3e1a40d52
Revises: 21a8786d1265
Create Date: 2026-12-01 09:00:00.000000

Pay-at-pickup orders handed over before this revision were marked paid with nothing recorded;
they stay as they are (no row is invented for them).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7c3e1a40d52'
down_revision = '21a8786d1265'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('counter_payment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('pickup_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('collected_by_id', sa.Integer(), nullable=True),
    sa.Column('collected_by', sa.String(length=254), nullable=False),
    sa.Column('collected_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('amount > 0', name=op.f('ck_counter_payment_counter_amount_positive')),
    sa.CheckConstraint("method in ('cash', 'transfer')", name=op.f('ck_counter_payment_counter_method_known')),
    sa.ForeignKeyConstraint(['collected_by_id'], ['user.id'], name=op.f('fk_counter_payment_collected_by_id_user')),
    sa.ForeignKeyConstraint(['order_id'], ['order.id'], name=op.f('fk_counter_payment_order_id_order')),
    sa.ForeignKeyConstraint(['pickup_id'], ['pickup.id'], name=op.f('fk_counter_payment_pickup_id_pickup')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_counter_payment')),
    sa.UniqueConstraint('pickup_id', name=op.f('uq_counter_payment_pickup_id'))
    )
    with op.batch_alter_table('counter_payment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_counter_payment_order_id'), ['order_id'], unique=False)


def downgrade():
    with op.batch_alter_table('counter_payment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_counter_payment_order_id'))
    op.drop_table('counter_payment')
