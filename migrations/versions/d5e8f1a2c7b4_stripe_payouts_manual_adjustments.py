"""Stripe's payouts to the shop's bank account (payout.* webhook events) and the books' hand-posted
entries: who posted a reversal or an adjustment, and an expense account for Stripe's fees

Revision ID: d5e8f1a2c7b4
Revises: a7d3e9c15b62
Create Date: 2026-12-05 23:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd5e8f1a2c7b4'
down_revision = 'a7d3e9c15b62'
branch_labels = None
depends_on = None

KINDS = "'bank', 'stripe', 'drawer', 'deposits', 'overpayments', 'refunds_owed', 'payable', 'fee_income', 'cash_differences'"


def upgrade():
    op.create_table('stripe_payout',
    sa.Column('id', sa.String(length=255), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('arrival_date', sa.Date(), nullable=True),
    sa.Column('destination', sa.String(length=255), nullable=True),
    sa.Column('balance_transaction', sa.String(length=255), nullable=True),
    sa.Column('failure_code', sa.String(length=80), nullable=True),
    sa.Column('paid_at', sa.DateTime(), nullable=True),
    sa.Column('failed_at', sa.DateTime(), nullable=True),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('amount > 0', name=op.f('ck_stripe_payout_stripe_payout_positive')),
    sa.CheckConstraint("status in ('paid', 'failed', 'canceled')", name=op.f('ck_stripe_payout_stripe_payout_status_known')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stripe_payout'))
    )
    # A column added, never an UPDATE: the books' append-only triggers are not fired.
    with op.batch_alter_table('journal_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('posted_by', sa.String(length=254), nullable=True))
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_account_account_kind_known'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_account_account_kind_known'),
                                         f"kind in ({KINDS}, 'stripe_fees')")


def downgrade():
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_account_account_kind_known'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_account_account_kind_known'),
                                         f"kind in ({KINDS})")
    with op.batch_alter_table('journal_entry', schema=None) as batch_op:
        batch_op.drop_column('posted_by')
    op.drop_table('stripe_payout')
