"""Waitlist of a full experience session (issue 24 item 5): waitlist_entry, in line by id

Revision ID: 5b2e8c7f3a91
Revises: 83d1d5564733
Create Date: 2026-12-05 21:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b2e8c7f3a91'
down_revision = '83d1d5564733'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('waitlist_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('locale', sa.String(length=5), nullable=False),
    sa.Column('seats', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('offered_at', sa.DateTime(), nullable=True),
    sa.Column('offer_expires_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("email IS NOT NULL OR phone IS NOT NULL", name=op.f('ck_waitlist_entry_contact_given')),
    sa.CheckConstraint('seats between 1 and 100', name=op.f('ck_waitlist_entry_seats_range')),
    sa.CheckConstraint("status in ('waiting', 'offered', 'booked', 'expired', 'left')", name=op.f('ck_waitlist_entry_status_known')),
    sa.ForeignKeyConstraint(['session_id'], ['experience_session.id'], name=op.f('fk_waitlist_entry_session_id_experience_session'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_waitlist_entry_user_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_waitlist_entry')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_waitlist_entry_token_hash'))
    )
    with op.batch_alter_table('waitlist_entry', schema=None) as batch_op:
        batch_op.create_index('ix_waitlist_entry_line', ['session_id', 'status', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_waitlist_entry_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('waitlist_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_waitlist_entry_user_id'))
        batch_op.drop_index('ix_waitlist_entry_line')
    op.drop_table('waitlist_entry')
