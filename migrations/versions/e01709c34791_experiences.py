"""Experiences by date (issue 24): experience beside its product, person types, weekly slots,
exceptions and materialised sessions with a seats_taken counter

Revision ID: e01709c34791
Revises: c0a7e5f19d26
Create Date: 2026-12-05 21:00:44.555848

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e01709c34791'
down_revision = 'c0a7e5f19d26'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('experience',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('place_kind', sa.String(length=20), nullable=False),
    sa.Column('outlet_id', sa.Integer(), nullable=True),
    sa.Column('address', sa.String(length=300), nullable=True),
    sa.Column('map_url', sa.String(length=500), nullable=True),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('languages', sa.String(length=40), nullable=False),
    sa.Column('bring_vi', sa.Text(), nullable=True),
    sa.Column('bring_en', sa.Text(), nullable=True),
    sa.Column('accessibility_vi', sa.Text(), nullable=True),
    sa.Column('accessibility_en', sa.Text(), nullable=True),
    sa.Column('min_age', sa.Integer(), nullable=True),
    sa.Column('cutoff_minutes', sa.Integer(), server_default='120', nullable=False),
    sa.Column('cancel_free_hours', sa.Integer(), server_default='24', nullable=False),
    sa.Column('weeks_ahead', sa.Integer(), server_default='8', nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("(place_kind = 'outlet' AND outlet_id IS NOT NULL) OR (place_kind = 'workshop' AND address IS NOT NULL)", name=op.f('ck_experience_place_given')),
    sa.CheckConstraint("place_kind in ('outlet', 'workshop')", name=op.f('ck_experience_place_kind_known')),
    sa.CheckConstraint('cancel_free_hours >= 0', name=op.f('ck_experience_cancel_hours_not_negative')),
    sa.CheckConstraint('cutoff_minutes >= 0', name=op.f('ck_experience_cutoff_not_negative')),
    sa.CheckConstraint('duration_minutes between 15 and 1440', name=op.f('ck_experience_duration_range')),
    sa.CheckConstraint('min_age IS NULL OR min_age between 0 and 99', name=op.f('ck_experience_min_age_range')),
    sa.CheckConstraint('weeks_ahead between 1 and 52', name=op.f('ck_experience_weeks_ahead_range')),
    sa.ForeignKeyConstraint(['outlet_id'], ['outlet.id'], name=op.f('fk_experience_outlet_id_outlet')),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_experience_product_id_product'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_experience')),
    sa.UniqueConstraint('product_id', name=op.f('uq_experience_product_id'))
    )
    with op.batch_alter_table('experience', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_experience_outlet_id'), ['outlet_id'], unique=False)

    op.create_table('experience_exception',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('experience_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('starts_at', sa.Time(), nullable=True),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.CheckConstraint("kind = 'skip' OR (starts_at IS NOT NULL AND capacity between 1 and 1000)", name=op.f('ck_experience_exception_add_has_time_and_capacity')),
    sa.CheckConstraint("kind in ('skip', 'add')", name=op.f('ck_experience_exception_kind_known')),
    sa.ForeignKeyConstraint(['experience_id'], ['experience.id'], name=op.f('fk_experience_exception_experience_id_experience'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_experience_exception'))
    )
    with op.batch_alter_table('experience_exception', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_experience_exception_experience_id'), ['experience_id'], unique=False)

    op.create_table('experience_person_type',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('experience_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('label_vi', sa.String(length=80), nullable=False),
    sa.Column('label_en', sa.String(length=80), nullable=True),
    sa.Column('price', sa.Integer(), nullable=False),
    sa.Column('seats', sa.Integer(), server_default='1', nullable=False),
    sa.Column('position', sa.Integer(), server_default='0', nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.CheckConstraint('price >= 0', name=op.f('ck_experience_person_type_price_not_negative')),
    sa.CheckConstraint('seats between 1 and 100', name=op.f('ck_experience_person_type_seats_range')),
    sa.ForeignKeyConstraint(['experience_id'], ['experience.id'], name=op.f('fk_experience_person_type_experience_id_experience'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_experience_person_type')),
    sa.UniqueConstraint('experience_id', 'code', name='uq_experience_person_type_code')
    )
    with op.batch_alter_table('experience_person_type', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_experience_person_type_experience_id'), ['experience_id'], unique=False)

    op.create_table('experience_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('experience_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('seats_taken', sa.Integer(), server_default='0', nullable=False),
    sa.Column('status', sa.String(length=20), server_default='open', nullable=False),
    sa.Column('closed_reason', sa.String(length=200), nullable=True),
    sa.Column('closed_reason_en', sa.String(length=200), nullable=True),
    sa.Column('from_pattern', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.Column('cancelled_by_id', sa.Integer(), nullable=True),
    sa.Column('cancel_reason', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status in ('open', 'cancelled', 'closed')", name=op.f('ck_experience_session_status_known')),
    sa.CheckConstraint('capacity between 1 and 1000', name=op.f('ck_experience_session_capacity_range')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_experience_session_ends_after_start')),
    sa.CheckConstraint('seats_taken >= 0 AND seats_taken <= capacity', name=op.f('ck_experience_session_seats_within_capacity')),
    sa.ForeignKeyConstraint(['cancelled_by_id'], ['user.id'], name=op.f('fk_experience_session_cancelled_by_id_user')),
    sa.ForeignKeyConstraint(['experience_id'], ['experience.id'], name=op.f('fk_experience_session_experience_id_experience'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_experience_session')),
    sa.UniqueConstraint('experience_id', 'starts_at', name='uq_experience_session_start')
    )
    with op.batch_alter_table('experience_session', schema=None) as batch_op:
        batch_op.create_index('ix_experience_session_upcoming', ['status', 'day', 'starts_at'], unique=False)

    op.create_table('experience_slot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('experience_id', sa.Integer(), nullable=False),
    sa.Column('weekday', sa.SmallInteger(), nullable=False),
    sa.Column('starts_at', sa.Time(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.CheckConstraint('capacity between 1 and 1000', name=op.f('ck_experience_slot_capacity_range')),
    sa.CheckConstraint('weekday between 0 and 6', name=op.f('ck_experience_slot_weekday_range')),
    sa.ForeignKeyConstraint(['experience_id'], ['experience.id'], name=op.f('fk_experience_slot_experience_id_experience'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_experience_slot'))
    )
    with op.batch_alter_table('experience_slot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_experience_slot_experience_id'), ['experience_id'], unique=False)



def downgrade():
    with op.batch_alter_table('experience_slot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_experience_slot_experience_id'))

    op.drop_table('experience_slot')
    with op.batch_alter_table('experience_session', schema=None) as batch_op:
        batch_op.drop_index('ix_experience_session_upcoming')

    op.drop_table('experience_session')
    with op.batch_alter_table('experience_person_type', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_experience_person_type_experience_id'))

    op.drop_table('experience_person_type')
    with op.batch_alter_table('experience_exception', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_experience_exception_experience_id'))

    op.drop_table('experience_exception')
    with op.batch_alter_table('experience', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_experience_outlet_id'))

    op.drop_table('experience')
