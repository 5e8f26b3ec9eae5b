"""E-invoices for bookings (issue 23 × 24): an invoice sells a pickup or a booking; booking lines

Revision ID: a7d3e9c15b62
Revises: c4f1a2b9d7e3
Create Date: 2026-12-05 22:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7d3e9c15b62'
down_revision = 'c4f1a2b9d7e3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('invoice', schema=None) as batch_op:
        batch_op.add_column(sa.Column('booking_id', sa.Integer(), nullable=True))
        batch_op.alter_column('pickup_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(batch_op.f('ix_invoice_booking_id'), ['booking_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_invoice_booking_id_booking'), 'booking', ['booking_id'], ['id'])
        batch_op.create_check_constraint(batch_op.f('ck_invoice_invoice_sells_one_thing'),
                                         '(pickup_id IS NULL) <> (booking_id IS NULL)')
    with op.batch_alter_table('invoice_line', schema=None) as batch_op:
        batch_op.add_column(sa.Column('booking_seat_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_invoice_line_booking_seat_id_booking_seat'), 'booking_seat',
                                    ['booking_seat_id'], ['id'])


def downgrade():
    with op.batch_alter_table('invoice_line', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_invoice_line_booking_seat_id_booking_seat'), type_='foreignkey')
        batch_op.drop_column('booking_seat_id')
    with op.batch_alter_table('invoice', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_invoice_invoice_sells_one_thing'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_invoice_booking_id_booking'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_invoice_booking_id'))
        batch_op.alter_column('pickup_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('booking_id')
