"""E-invoices: invoices and their lines, the buyer's company on an order, producers' provider
accounts, and each product's VAT rate

Revision ID: f3b8e2d41c07
Revises: b11e2f3502a7
Create Date: 2026-12-03 10:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f3b8e2d41c07'
down_revision = 'b11e2f3502a7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('invoice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('pickup_id', sa.Integer(), nullable=False),
    sa.Column('producer_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('original_id', sa.Integer(), nullable=True),
    sa.Column('cause', sa.String(length=80), nullable=False),
    sa.Column('transaction_uuid', sa.String(length=36), nullable=False),
    sa.Column('superseded_uuid', sa.String(length=36), nullable=True),
    sa.Column('provider', sa.String(length=20), nullable=False),
    sa.Column('template_code', sa.String(length=20), nullable=False),
    sa.Column('series', sa.String(length=20), nullable=False),
    sa.Column('seller_name', sa.String(length=200), nullable=False),
    sa.Column('seller_tax_code', sa.String(length=20), nullable=False),
    sa.Column('seller_address', sa.String(length=300), nullable=False),
    sa.Column('buyer_legal_name', sa.String(length=200), nullable=True),
    sa.Column('buyer_tax_code', sa.String(length=14), nullable=True),
    sa.Column('buyer_address', sa.String(length=300), nullable=True),
    sa.Column('buyer_email', sa.String(length=254), nullable=True),
    sa.Column('payment_method', sa.String(length=10), nullable=False),
    sa.Column('sold_at', sa.DateTime(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('total_without_tax', sa.BigInteger(), nullable=False),
    sa.Column('total_tax', sa.BigInteger(), nullable=False),
    sa.Column('total_with_tax', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('number', sa.String(length=40), nullable=True),
    sa.Column('lookup_code', sa.String(length=60), nullable=True),
    sa.Column('issued_at', sa.DateTime(), nullable=True),
    sa.Column('pdf_key', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("(kind = 'adjustment') = (original_id IS NOT NULL)", name=op.f('ck_invoice_invoice_adjustment_has_original')),
    sa.CheckConstraint("kind in ('sale', 'adjustment')", name=op.f('ck_invoice_invoice_kind_known')),
    sa.CheckConstraint("status in ('pending', 'issued')", name=op.f('ck_invoice_invoice_status_known')),
    sa.CheckConstraint('total_tax >= 0 AND total_without_tax >= 0', name=op.f('ck_invoice_invoice_amounts_positive')),
    sa.CheckConstraint('total_with_tax = total_without_tax + total_tax', name=op.f('ck_invoice_invoice_totals_add_up')),
    sa.ForeignKeyConstraint(['order_id'], ['order.id'], name=op.f('fk_invoice_order_id_order')),
    sa.ForeignKeyConstraint(['original_id'], ['invoice.id'], name=op.f('fk_invoice_original_id_invoice')),
    sa.ForeignKeyConstraint(['pickup_id'], ['pickup.id'], name=op.f('fk_invoice_pickup_id_pickup')),
    sa.ForeignKeyConstraint(['producer_id'], ['producer.id'], name=op.f('fk_invoice_producer_id_producer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoice')),
    sa.UniqueConstraint('cause', name=op.f('uq_invoice_cause')),
    sa.UniqueConstraint('transaction_uuid', name=op.f('uq_invoice_transaction_uuid'))
    )
    with op.batch_alter_table('invoice', schema=None) as batch_op:
        for column in ('next_attempt_at', 'order_id', 'original_id', 'pickup_id', 'producer_id', 'status'):
            batch_op.create_index(batch_op.f(f'ix_invoice_{column}'), [column], unique=False)

    op.create_table('invoice_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('line_number', sa.Integer(), nullable=False),
    sa.Column('order_line_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('unit', sa.String(length=60), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('vat_rate', sa.String(length=3), nullable=False),
    sa.Column('amount_without_tax', sa.BigInteger(), nullable=False),
    sa.Column('tax_amount', sa.BigInteger(), nullable=False),
    sa.Column('amount_with_tax', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('amount_with_tax = amount_without_tax + tax_amount', name=op.f('ck_invoice_line_invoice_line_adds_up')),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_invoice_line_invoice_line_quantity_positive')),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoice.id'], name=op.f('fk_invoice_line_invoice_id_invoice')),
    sa.ForeignKeyConstraint(['order_line_id'], ['order_line.id'], name=op.f('fk_invoice_line_order_line_id_order_line')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoice_line')),
    sa.UniqueConstraint('invoice_id', 'line_number', name=op.f('uq_invoice_line_invoice_id'))
    )
    with op.batch_alter_table('invoice_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invoice_line_invoice_id'), ['invoice_id'], unique=False)

    op.create_table('invoice_buyer',
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('legal_name', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('tax_code', sa.String(length=14), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['order.id'], name=op.f('fk_invoice_buyer_order_id_order')),
    sa.PrimaryKeyConstraint('order_id', name=op.f('pk_invoice_buyer'))
    )
    op.create_table('provider_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('producer_id', sa.Integer(), nullable=False),
    sa.Column('provider', sa.String(length=20), nullable=False),
    sa.Column('url', sa.String(length=300), nullable=False),
    sa.Column('username', sa.String(length=120), nullable=False),
    sa.Column('password_encrypted', sa.Text(), nullable=False),
    sa.Column('template_code', sa.String(length=20), nullable=False),
    sa.Column('series', sa.String(length=20), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['producer_id'], ['producer.id'], name=op.f('fk_provider_account_producer_id_producer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_provider_account')),
    sa.UniqueConstraint('producer_id', name=op.f('uq_provider_account_producer_id'))
    )
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.add_column(sa.Column('vat_rate', sa.String(length=3), server_default='10', nullable=False))


def downgrade():
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.drop_column('vat_rate')
    op.drop_table('provider_account')
    op.drop_table('invoice_buyer')
    with op.batch_alter_table('invoice_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invoice_line_invoice_id'))
    op.drop_table('invoice_line')
    with op.batch_alter_table('invoice', schema=None) as batch_op:
        for column in ('status', 'producer_id', 'pickup_id', 'original_id', 'order_id', 'next_attempt_at'):
            batch_op.drop_index(batch_op.f(f'ix_invoice_{column}'))
    op.drop_table('invoice')
