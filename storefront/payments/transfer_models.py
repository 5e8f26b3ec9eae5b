"""Bank transfers received (from the bank's notifications or recorded at a counter) and
the money owed back to shoppers who paid by transfer."""
import enum

from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..model_checks import one_of
from ..timeutil import utcnow


class TransferSource(enum.StrEnum):
    WEBHOOK = "webhook"  # a bank-transaction notification (SePay's format)
    COUNTER = "counter"  # recorded by outlet staff who saw it arrive


class TransferStatus(enum.StrEnum):
    APPLIED = "applied"          # counted towards an order
    IGNORED = "ignored"          # not an incoming transfer to the shop's account
    TO_RESOLVE = "to_resolve"    # late, for a closed order, or no code matched: an admin decides
    MATCHED = "matched"          # an admin counted it towards an order
    REFUNDED = "refunded"        # an admin sent it back from the bank


class TransferOutcome(enum.StrEnum):
    PAID = "paid"
    OVERPAID = "overpaid"
    PARTIAL = "partial"
    LATE = "late"                # the order was already cancelled, expired or paid
    UNMATCHED = "unmatched"      # no order has the code
    NOT_INCOMING = "not_incoming"
    OTHER_ACCOUNT = "other_account"


TRANSFER_OUTCOME_LABELS = {
    TransferOutcome.PAID: _l("Đủ tiền: đơn đã thanh toán"),
    TransferOutcome.OVERPAID: _l("Chuyển thừa"),
    TransferOutcome.PARTIAL: _l("Chuyển thiếu"),
    TransferOutcome.LATE: _l("Đến sau khi đơn đã đóng"),
    TransferOutcome.UNMATCHED: _l("Không khớp mã đơn nào"),
    TransferOutcome.NOT_INCOMING: _l("Không phải tiền vào"),
    TransferOutcome.OTHER_ACCOUNT: _l("Tài khoản khác"),
}


class BankTransfer(db.Model):
    """One transfer, recorded once: a notification's ``id`` is unique, so a replay changes nothing."""

    id = db.Column(db.Integer, primary_key=True)
    source = db.Column(db.String(20), nullable=False)
    notification_id = db.Column(db.String(64), unique=True)  # the service's id; None at a counter
    gateway = db.Column(db.String(80))             # the bank, as the service names it
    account_number = db.Column(db.String(40))
    transfer_type = db.Column(db.String(10), nullable=False, default="in")
    amount = db.Column(db.BigInteger, nullable=False)
    reference = db.Column(db.String(120))          # the bank's reference for the transfer
    code = db.Column(db.String(120))               # the code the service read, if any
    content = db.Column(db.Text)                   # the transfer note as the bank shows it
    transaction_at = db.Column(db.DateTime)        # when the bank says (naive UTC)
    received_at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)
    recorded_by = db.Column(db.String(254), nullable=False)  # "bank" or a staff member's e-mail
    order_id = db.Column(db.Integer, db.ForeignKey("order.id"), index=True)
    status = db.Column(db.String(20), nullable=False, index=True)
    outcome = db.Column(db.String(20), nullable=False)
    resolved_by = db.Column(db.String(254))
    resolved_at = db.Column(db.DateTime)
    resolution_note = db.Column(db.Text)

    order = db.relationship("Order")

    __table_args__ = (
        db.CheckConstraint("amount >= 0", name="transfer_amount_not_negative"),
        one_of("source", TransferSource, name="transfer_source_known"),
    )


class RefundOwedStatus(enum.StrEnum):
    OWED = "owed"
    REFUNDED = "refunded"


class TransferRefund(db.Model):
    """Money a shopper paid by transfer that the shop owes back, until an admin sends it."""

    id = db.Column(db.Integer, primary_key=True)
    order_id = db.Column(db.Integer, db.ForeignKey("order.id"), index=True)
    pickup_id = db.Column(db.Integer, db.ForeignKey("pickup.id"))
    transfer_id = db.Column(db.Integer, db.ForeignKey("bank_transfer.id"), index=True)
    amount = db.Column(db.BigInteger, nullable=False)
    reason = db.Column(db.String(200), nullable=False)
    # Unique: the same decision (a pickup cancelled, an overpayment) never owes twice.
    key = db.Column(db.String(120), nullable=False, unique=True)
    status = db.Column(db.String(20), nullable=False, default=RefundOwedStatus.OWED, index=True)
    bank_reference = db.Column(db.String(120))
    refunded_by = db.Column(db.String(254))
    refunded_at = db.Column(db.DateTime)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    order = db.relationship("Order")
    pickup = db.relationship("Pickup")
    transfer = db.relationship("BankTransfer")

    __table_args__ = (db.CheckConstraint("amount > 0", name="transfer_refund_positive"),)
