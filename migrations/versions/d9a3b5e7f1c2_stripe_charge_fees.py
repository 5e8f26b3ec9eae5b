"""Stripe's fee of each card payment: stripe_charge

Revision ID: d9a3b5e7f1c2
Revises: c4f1a9d2e7b5
Create Date: 2026-12-06 04:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd9a3b5e7f1c2'
down_revision = 'c4f1a9d2e7b5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('stripe_charge',
    sa.Column('payment_intent', sa.String(length=255), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('charge', sa.String(length=255), nullable=False),
    sa.Column('balance_transaction', sa.String(length=255), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('fee', sa.BigInteger(), nullable=False),
    sa.Column('net', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('posted', sa.Boolean(), nullable=False),
    sa.Column('fetched_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('fee >= 0', name=op.f('ck_stripe_charge_fee_not_negative')),
    sa.ForeignKeyConstraint(['order_id'], ['order.id'], name=op.f('fk_stripe_charge_order_id_order')),
    sa.PrimaryKeyConstraint('payment_intent', name=op.f('pk_stripe_charge'))
    )
    with op.batch_alter_table('stripe_charge', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stripe_charge_order_id'), ['order_id'], unique=False)


def downgrade():
    with op.batch_alter_table('stripe_charge', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stripe_charge_order_id'))

    op.drop_table('stripe_charge')
