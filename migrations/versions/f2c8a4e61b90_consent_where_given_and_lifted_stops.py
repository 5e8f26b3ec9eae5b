"""Consent where people give it (registration, checkout: a guest's through its order) and channel
stops a later consent lifts

Revision ID: f2c8a4e61b90
Revises: e3b7c1d9f4a6
Create Date: 2026-12-06 00:10:00.000000
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f2c8a4e61b90'
down_revision = 'e3b7c1d9f4a6'
branch_labels = None
depends_on = None

OPEN = sa.text('lifted_at IS NULL')


def upgrade():
    with op.batch_alter_table('consent_record', schema=None) as batch_op:
        batch_op.add_column(sa.Column('order_id', sa.Integer(), nullable=True))
        batch_op.alter_column('user_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(batch_op.f('ix_consent_record_order_id'), ['order_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_consent_record_order_id_order'), 'order',
                                    ['order_id'], ['id'])
        batch_op.create_check_constraint(batch_op.f('ck_consent_record_consent_has_subject'),
                                         'user_id IS NOT NULL OR order_id IS NOT NULL')
    with op.batch_alter_table('channel_stop', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lifted_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('lifted_by', sa.String(length=40), nullable=True))
        batch_op.drop_constraint('channel_stop_once', type_='unique')
        batch_op.create_index('ix_channel_stop_open', ['channel', 'address'], unique=True,
                              postgresql_where=OPEN, sqlite_where=OPEN)


def downgrade():
    # Lifted stops go back to being stops (the old table kept one per channel and address, never
    # lifted); the newest row of each pair is kept.
    op.execute("DELETE FROM channel_stop WHERE id NOT IN "
               "(SELECT MAX(id) FROM channel_stop GROUP BY channel, address)")
    with op.batch_alter_table('channel_stop', schema=None) as batch_op:
        batch_op.drop_index('ix_channel_stop_open', postgresql_where=OPEN, sqlite_where=OPEN)
        batch_op.create_unique_constraint('channel_stop_once', ['channel', 'address'])
        batch_op.drop_column('lifted_by')
        batch_op.drop_column('lifted_at')
    op.execute("DELETE FROM consent_record WHERE user_id IS NULL")  # guests' consents had no home
    with op.batch_alter_table('consent_record', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_consent_record_consent_has_subject'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_consent_record_order_id_order'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_consent_record_order_id'))
        batch_op.alter_column('user_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('order_id')
