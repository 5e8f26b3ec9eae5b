"""A waitlist offer holds the seats it offers: seat_hold, and waitlist_entry.hold_id

Revision ID: b8e4d2a6c1f3
Revises: f2c8a4e61b90
Create Date: 2026-12-05 23:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b8e4d2a6c1f3'
down_revision = 'f2c8a4e61b90'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('seat_hold',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('seats', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('booking_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('seats between 1 and 100', name=op.f('ck_seat_hold_seats_range')),
    sa.CheckConstraint("status in ('held', 'used', 'released')", name=op.f('ck_seat_hold_status_known')),
    sa.ForeignKeyConstraint(['booking_id'], ['booking.id'], name=op.f('fk_seat_hold_booking_id_booking'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['experience_session.id'], name=op.f('fk_seat_hold_session_id_experience_session'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_seat_hold_user_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_seat_hold')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_seat_hold_token_hash'))
    )
    with op.batch_alter_table('seat_hold', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_seat_hold_booking_id'), ['booking_id'], unique=False)
        batch_op.create_index('ix_seat_hold_session_status', ['session_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_seat_hold_user_id'), ['user_id'], unique=False)
    with op.batch_alter_table('waitlist_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hold_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_waitlist_entry_hold_id_seat_hold'), 'seat_hold',
                                    ['hold_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('waitlist_entry', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_waitlist_entry_hold_id_seat_hold'), type_='foreignkey')
        batch_op.drop_column('hold_id')
    with op.batch_alter_table('seat_hold', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_seat_hold_user_id'))
        batch_op.drop_index('ix_seat_hold_session_status')
        batch_op.drop_index(batch_op.f('ix_seat_hold_booking_id'))
    op.drop_table('seat_hold')
