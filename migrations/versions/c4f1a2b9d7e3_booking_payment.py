"""Money taken at the venue for a booking at its check-in (issue 24, booking money in the books): booking_payment

Revision ID: c4f1a2b9d7e3
Revises: 5b2e8c7f3a91
Create Date: 2026-12-06 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4f1a2b9d7e3'
down_revision = '5b2e8c7f3a91'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('booking_payment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('booking_id', sa.Integer(), nullable=False),
    sa.Column('outlet_id', sa.Integer(), nullable=True),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('collected_by_id', sa.Integer(), nullable=True),
    sa.Column('collected_by', sa.String(length=254), nullable=False),
    sa.Column('collected_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('amount > 0', name=op.f('ck_booking_payment_amount_positive')),
    sa.CheckConstraint("method in ('cash', 'transfer')", name=op.f('ck_booking_payment_method_known')),
    sa.ForeignKeyConstraint(['booking_id'], ['booking.id'], name=op.f('fk_booking_payment_booking_id_booking')),
    sa.ForeignKeyConstraint(['collected_by_id'], ['user.id'], name=op.f('fk_booking_payment_collected_by_id_user')),
    sa.ForeignKeyConstraint(['order_id'], ['order.id'], name=op.f('fk_booking_payment_order_id_order')),
    sa.ForeignKeyConstraint(['outlet_id'], ['outlet.id'], name=op.f('fk_booking_payment_outlet_id_outlet')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_booking_payment')),
    sa.UniqueConstraint('booking_id', name=op.f('uq_booking_payment_booking_id'))
    )
    with op.batch_alter_table('booking_payment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_booking_payment_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_booking_payment_outlet_id'), ['outlet_id'], unique=False)


def downgrade():
    with op.batch_alter_table('booking_payment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_booking_payment_outlet_id'))
        batch_op.drop_index(batch_op.f('ix_booking_payment_order_id'))
    op.drop_table('booking_payment')
