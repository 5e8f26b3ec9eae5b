"""Counter hand-overs queued offline and replayed: one row per device client id (issue 26)

Revision ID: c0a7e5f19d26
Revises: 3fdc60448187
Create Date: 2026-12-05 21:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c0a7e5f19d26'
down_revision = '3fdc60448187'
branch_labels = None
depends_on = None

OUTCOMES = ("confirmed", "already_collected", "cancelled", "refunded", "no_show", "code_changed",
            "locked", "amount_changed", "lines_changed", "not_ready", "not_found")


def upgrade():
    op.create_table('counter_hand_over',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.String(length=36), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('outlet_id', sa.Integer(), nullable=False),
    sa.Column('pickup_id', sa.Integer(), nullable=True),
    sa.Column('partial', sa.Boolean(), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('detail', sa.String(length=200), nullable=True),
    sa.Column('queued_at', sa.DateTime(), nullable=True),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("outcome in (" + ", ".join(f"'{o}'" for o in OUTCOMES) + ")",
                       name=op.f('ck_counter_hand_over_outcome_known')),
    sa.ForeignKeyConstraint(['outlet_id'], ['outlet.id'], name=op.f('fk_counter_hand_over_outlet_id_outlet')),
    sa.ForeignKeyConstraint(['pickup_id'], ['pickup.id'], name=op.f('fk_counter_hand_over_pickup_id_pickup')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_counter_hand_over_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_counter_hand_over')),
    sa.UniqueConstraint('client_id', name=op.f('uq_counter_hand_over_client_id'))
    )
    with op.batch_alter_table('counter_hand_over', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_counter_hand_over_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('counter_hand_over', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_counter_hand_over_user_id'))
    op.drop_table('counter_hand_over')
