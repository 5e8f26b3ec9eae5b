"""Wrong pickup codes typed on a counter device offline, replayed and counted once each by client id

Revision ID: e3b7c1d9f4a6
Revises: d5e8f1a2c7b4
Create Date: 2026-12-05 23:55:00.000000
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e3b7c1d9f4a6'
down_revision = 'd5e8f1a2c7b4'
branch_labels = None
depends_on = None

OUTCOMES = ("counted", "not_counted", "not_found")


def upgrade():
    op.create_table('counter_wrong_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.String(length=36), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('outlet_id', sa.Integer(), nullable=False),
    sa.Column('pickup_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('tried_at', sa.DateTime(), nullable=True),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("outcome in (" + ", ".join(f"'{o}'" for o in OUTCOMES) + ")",
                       name=op.f('ck_counter_wrong_code_outcome_known')),
    sa.ForeignKeyConstraint(['outlet_id'], ['outlet.id'], name=op.f('fk_counter_wrong_code_outlet_id_outlet')),
    sa.ForeignKeyConstraint(['pickup_id'], ['pickup.id'], name=op.f('fk_counter_wrong_code_pickup_id_pickup')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_counter_wrong_code_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_counter_wrong_code')),
    sa.UniqueConstraint('client_id', name=op.f('uq_counter_wrong_code_client_id'))
    )
    with op.batch_alter_table('counter_wrong_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_counter_wrong_code_pickup_id'), ['pickup_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_counter_wrong_code_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('counter_wrong_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_counter_wrong_code_user_id'))
        batch_op.drop_index(batch_op.f('ix_counter_wrong_code_pickup_id'))
    op.drop_table('counter_wrong_code')
