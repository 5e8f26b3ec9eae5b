"""E-invoices, their lines, the buyer's company details on an order, producers' provider accounts.

An invoice is never edited or deleted once the provider has issued it, and its lines never change
(``_refuse_changes``): a sale that changes gets an *adjustment* invoice that refers to the
original (Decree 123/2020 Art. 19). While it waits to be issued, only the delivery columns and —
when an admin fixes them — the buyer's details (with a fresh ``transaction_uuid``) may change.
"""
import enum

from sqlalchemy import DDL, event, inspect

from ..extensions import db
from ..model_checks import one_of
from ..timeutil import utcnow


class InvoiceKind(enum.StrEnum):
    SALE = "sale"              # what was handed over at a pickup (per seller)
    ADJUSTMENT = "adjustment"  # decreases an issued sale: money or goods given back after it


class InvoiceStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for the provider (``last_error`` says why when it refused)
    ISSUED = "issued"


class InvoiceImmutable(RuntimeError):
    """Something tried to change or delete an issued invoice or any invoice line."""


class Invoice(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    order_id = db.Column(db.Integer, db.ForeignKey("order.id"), nullable=False, index=True)
    # What was sold: a pickup's goods at hand-over, or a booking's seats once attended (exactly one).
    pickup_id = db.Column(db.Integer, db.ForeignKey("pickup.id"), index=True)
    booking_id = db.Column(db.Integer, db.ForeignKey("booking.id"), index=True)
    # The seller when producers sell (SELLER_OF_RECORD=producer); None: the operator sells.
    producer_id = db.Column(db.Integer, db.ForeignKey("producer.id"), index=True)
    kind = db.Column(db.String(20), nullable=False)
    original_id = db.Column(db.Integer, db.ForeignKey("invoice.id"), index=True)
    # What caused it, once per cause: "sale-7" (pickup 7, operator), "sale-7-p3", "sale-b4" (booking
    # 4), "refund-card-12"...
    cause = db.Column(db.String(80), nullable=False, unique=True)
    # Our id at the provider: a retry looks it up, so an answer lost to a timeout never issues twice.
    transaction_uuid = db.Column(db.String(36), nullable=False, unique=True)
    superseded_uuid = db.Column(db.String(36))  # given up when an admin fixed the buyer; looked up first
    provider = db.Column(db.String(20), nullable=False)
    template_code = db.Column(db.String(20), nullable=False)
    series = db.Column(db.String(20), nullable=False)
    seller_name = db.Column(db.String(200), nullable=False)
    seller_tax_code = db.Column(db.String(20), nullable=False)
    seller_address = db.Column(db.String(300), nullable=False)
    # The buyer's company, only when the buyer asked for it (kept from ``InvoiceBuyer``).
    buyer_legal_name = db.Column(db.String(200))
    buyer_tax_code = db.Column(db.String(14))
    buyer_address = db.Column(db.String(300))
    buyer_email = db.Column(db.String(254))
    payment_method = db.Column(db.String(10), nullable=False)  # TM, CK or TM/CK
    sold_at = db.Column(db.DateTime, nullable=False)  # the hand-over (or the adjustment's cause)
    reason = db.Column(db.Text)  # of an adjustment
    total_without_tax = db.Column(db.BigInteger, nullable=False)  # whole đồng
    total_tax = db.Column(db.BigInteger, nullable=False)
    total_with_tax = db.Column(db.BigInteger, nullable=False)
    status = db.Column(db.String(20), nullable=False, default=InvoiceStatus.PENDING, index=True)
    attempts = db.Column(db.Integer, nullable=False, default=0)
    next_attempt_at = db.Column(db.DateTime, index=True)
    last_error = db.Column(db.Text)
    number = db.Column(db.String(40))        # the provider's invoiceNo (series + number)
    lookup_code = db.Column(db.String(60))   # the provider's reservationCode: "mã tra cứu"
    issued_at = db.Column(db.DateTime)
    pdf_key = db.Column(db.String(200))      # the PDF kept in storage once fetched
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    lines = db.relationship("InvoiceLine", back_populates="invoice", order_by="InvoiceLine.line_number")
    original = db.relationship("Invoice", remote_side=[id])
    order = db.relationship("Order")
    pickup = db.relationship("Pickup")
    booking = db.relationship("Booking")
    producer = db.relationship("Producer")

    __table_args__ = (
        one_of("kind", InvoiceKind, name="invoice_kind_known"),
        one_of("status", InvoiceStatus, name="invoice_status_known"),
        db.CheckConstraint("total_with_tax = total_without_tax + total_tax", name="invoice_totals_add_up"),
        db.CheckConstraint("total_tax >= 0 AND total_without_tax >= 0", name="invoice_amounts_positive"),
        db.CheckConstraint("(kind = 'adjustment') = (original_id IS NOT NULL)",
                           name="invoice_adjustment_has_original"),
        db.CheckConstraint("(pickup_id IS NULL) <> (booking_id IS NULL)", name="invoice_sells_one_thing"),
    )

    @property
    def is_adjustment(self) -> bool:
        return self.kind == InvoiceKind.ADJUSTMENT


class InvoiceLine(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    invoice_id = db.Column(db.Integer, db.ForeignKey("invoice.id"), nullable=False, index=True)
    line_number = db.Column(db.Integer, nullable=False)
    order_line_id = db.Column(db.Integer, db.ForeignKey("order_line.id"))
    booking_seat_id = db.Column(db.Integer, db.ForeignKey("booking_seat.id"))  # of a booking's invoice
    name = db.Column(db.String(300), nullable=False)
    unit = db.Column(db.String(60), nullable=False)
    quantity = db.Column(db.Integer, nullable=False)
    vat_rate = db.Column(db.String(3), nullable=False)  # a vat.VatRate value
    amount_without_tax = db.Column(db.BigInteger, nullable=False)
    tax_amount = db.Column(db.BigInteger, nullable=False)
    amount_with_tax = db.Column(db.BigInteger, nullable=False)

    invoice = db.relationship("Invoice", back_populates="lines")

    __table_args__ = (
        db.UniqueConstraint("invoice_id", "line_number"),
        db.CheckConstraint("quantity > 0", name="invoice_line_quantity_positive"),
        db.CheckConstraint("amount_with_tax = amount_without_tax + tax_amount",
                           name="invoice_line_adds_up"),
    )


class InvoiceBuyer(db.Model):
    """The company an order's buyer asked the invoice for ("I need a company invoice")."""

    order_id = db.Column(db.Integer, db.ForeignKey("order.id"), primary_key=True)
    legal_name = db.Column(db.String(200), nullable=False)
    address = db.Column(db.String(300), nullable=False)
    tax_code = db.Column(db.String(14), nullable=False)  # compact: 10 digits, or 10-3 for a branch
    email = db.Column(db.String(254), nullable=False)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow)


class ProviderAccount(db.Model):
    """A producer's own e-invoice account, used when producers sell (the password is encrypted)."""

    id = db.Column(db.Integer, primary_key=True)
    producer_id = db.Column(db.Integer, db.ForeignKey("producer.id"), nullable=False, unique=True)
    provider = db.Column(db.String(20), nullable=False)
    url = db.Column(db.String(300), nullable=False)
    username = db.Column(db.String(120), nullable=False)
    password_encrypted = db.Column(db.Text, nullable=False)  # Fernet token (EINVOICE_CREDENTIALS_KEY)
    template_code = db.Column(db.String(20), nullable=False)
    series = db.Column(db.String(20), nullable=False)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow)
    password_changed_at = db.Column(db.DateTime)  # shown instead of the password, which never is


# Columns that may change while an invoice waits: its delivery, and the buyer an admin fixes.
_WHILE_PENDING = {"status", "attempts", "next_attempt_at", "last_error", "number", "lookup_code",
                  "issued_at", "buyer_legal_name", "buyer_tax_code", "buyer_address", "buyer_email",
                  "transaction_uuid", "superseded_uuid"}
_WHEN_ISSUED = {"pdf_key"}


@event.listens_for(Invoice, "before_update")
def _refuse_changes(_mapper, _connection, invoice: Invoice) -> None:
    state = inspect(invoice)
    changed = {attr.key for attr in state.attrs if attr.history.has_changes()
               and attr.key not in ("lines", "original", "order", "pickup", "booking", "producer")}
    status_history = state.attrs.status.history
    was = (status_history.deleted or [invoice.status])[0]
    allowed = _WHEN_ISSUED if was == InvoiceStatus.ISSUED else _WHILE_PENDING
    if changed - allowed:
        raise InvoiceImmutable(f"invoice {invoice.id} ({was}) cannot change {sorted(changed - allowed)}")


@event.listens_for(Invoice, "before_delete")
def _refuse_delete(_mapper, _connection, invoice: Invoice) -> None:
    raise InvoiceImmutable(f"invoice {invoice.id} cannot be deleted: adjust it instead")


@event.listens_for(InvoiceLine, "before_update")
@event.listens_for(InvoiceLine, "before_delete")
def _refuse_line_change(_mapper, _connection, line: InvoiceLine) -> None:
    raise InvoiceImmutable("an invoice line never changes: adjust the invoice instead")


# PostgreSQL refuses the same even to SQL typed by hand: an issued invoice changes nothing but the
# key of its kept PDF, and neither it nor any of its lines is deleted; the lines of an issued
# invoice never change. (Pending invoices are the worker's and the admins' to complete.)
INVOICE_DDL = [
    """
    CREATE OR REPLACE FUNCTION invoice_issued_is_final() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            IF OLD.status = 'issued' THEN
                RAISE EXCEPTION 'invoice % is issued: it is never deleted (adjust it instead)', OLD.id;
            END IF;
            RETURN OLD;
        END IF;
        IF OLD.status = 'issued' AND (to_jsonb(NEW) - 'pdf_key') IS DISTINCT FROM (to_jsonb(OLD) - 'pdf_key') THEN
            RAISE EXCEPTION 'invoice % is issued: it never changes (adjust it instead)', OLD.id;
        END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER invoice_issued_is_final BEFORE UPDATE OR DELETE ON invoice
    FOR EACH ROW EXECUTE FUNCTION invoice_issued_is_final()
    """,
    """
    CREATE OR REPLACE FUNCTION invoice_line_of_issued_is_final() RETURNS trigger AS $$
    BEGIN
        IF EXISTS (SELECT 1 FROM invoice WHERE id = OLD.invoice_id AND status = 'issued') THEN
            RAISE EXCEPTION 'invoice % is issued: its lines never change (adjust it instead)', OLD.invoice_id;
        END IF;
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER invoice_line_of_issued_is_final BEFORE UPDATE OR DELETE ON invoice_line
    FOR EACH ROW EXECUTE FUNCTION invoice_line_of_issued_is_final()
    """,
]

# invoice_line is created after invoice (its foreign key): both triggers then, once both exist.
for _statement in INVOICE_DDL:
    event.listen(InvoiceLine.__table__, "after_create",
                 DDL(_statement.replace("%", "%%")).execute_if(dialect="postgresql"))
