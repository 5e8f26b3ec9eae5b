"""Notices by channel (Zalo ZNS, SMS, e-mail): notice, notice_delivery, channel_stop, provider_token

Revision ID: b11e2f3502a7
Revises: e5d2c9a84f17
Create Date: 2026-12-02 12:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b11e2f3502a7'
down_revision = 'e5d2c9a84f17'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('channel_stop',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('address', sa.String(length=254), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("channel in ('zalo', 'sms', 'email')", name=op.f('ck_channel_stop_channel_known')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_channel_stop')),
    sa.UniqueConstraint('channel', 'address', name='channel_stop_once')
    )
    op.create_table('provider_token',
    sa.Column('provider', sa.String(length=20), nullable=False),
    sa.Column('access_token', sa.Text(), nullable=True),
    sa.Column('access_expires_at', sa.DateTime(), nullable=True),
    sa.Column('refresh_token', sa.Text(), nullable=False),
    sa.Column('seed', sa.String(length=64), nullable=False),
    sa.Column('refreshed_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('provider', name=op.f('pk_provider_token'))
    )
    op.create_table('notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event', sa.String(length=40), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('phone', sa.String(length=15), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('locale', sa.String(length=5), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('mail_kind', sa.String(length=40), nullable=True),
    sa.Column('mail_subject', sa.String(length=300), nullable=True),
    sa.Column('mail_body', sa.Text(), nullable=True),
    sa.Column('promotional', sa.Boolean(), nullable=False),
    sa.Column('opted_in', sa.String(length=30), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['order.id'], name=op.f('fk_notice_order_id_order')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice'))
    )
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_order_id'), ['order_id'], unique=False)
    op.create_table('notice_delivery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
    sa.Column('provider_id', sa.String(length=100), nullable=True),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('claimed_from', sa.String(length=20), nullable=True),
    sa.Column('outbox_message_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('delivered_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("channel in ('zalo', 'sms', 'email')", name=op.f('ck_notice_delivery_channel_known')),
    sa.CheckConstraint("status in ('pending', 'sending', 'uncertain', 'accepted', 'delivered', 'failed', 'stopped')", name=op.f('ck_notice_delivery_status_known')),
    sa.ForeignKeyConstraint(['notice_id'], ['notice.id'], name=op.f('fk_notice_delivery_notice_id_notice')),
    sa.ForeignKeyConstraint(['outbox_message_id'], ['outbox_message.id'], name=op.f('fk_notice_delivery_outbox_message_id_outbox_message')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice_delivery')),
    sa.UniqueConstraint('notice_id', 'channel', name='notice_delivery_once_per_channel')
    )
    with op.batch_alter_table('notice_delivery', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_delivery_notice_id'), ['notice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notice_delivery_provider_id'), ['provider_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notice_delivery_status'), ['status'], unique=False)


def downgrade():
    with op.batch_alter_table('notice_delivery', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_delivery_status'))
        batch_op.drop_index(batch_op.f('ix_notice_delivery_provider_id'))
        batch_op.drop_index(batch_op.f('ix_notice_delivery_notice_id'))
    op.drop_table('notice_delivery')
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_order_id'))
    op.drop_table('notice')
    op.drop_table('provider_token')
    op.drop_table('channel_stop')
