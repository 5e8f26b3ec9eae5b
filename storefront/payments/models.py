"""What Stripe told us and what we asked of it."""
import enum

from ..extensions import db
from ..model_checks import one_of
from ..timeutil import utcnow


class StripeEvent(db.Model):
    """A webhook event, recorded once by its Stripe id so a replay changes nothing."""

    id = db.Column(db.String(255), primary_key=True)
    type = db.Column(db.String(80), nullable=False)
    order_id = db.Column(db.Integer, db.ForeignKey("order.id"), index=True)
    outcome = db.Column(db.String(80))
    received_at = db.Column(db.DateTime, nullable=False, default=utcnow)


class RefundStatus(enum.StrEnum):
    PENDING = "pending"  # not sent yet, or sent and Stripe is still working on it
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class Refund(db.Model):
    """A refund decided in a transaction and sent to Stripe after it commits."""

    id = db.Column(db.Integer, primary_key=True)
    order_id = db.Column(db.Integer, db.ForeignKey("order.id"), nullable=False, index=True)
    pickup_id = db.Column(db.Integer, db.ForeignKey("pickup.id"))
    amount = db.Column(db.BigInteger, nullable=False)
    reason = db.Column(db.String(80), nullable=False)
    # Unique: the same decision can never refund twice, here or at Stripe.
    idempotency_key = db.Column(db.String(120), nullable=False, unique=True)
    status = db.Column(db.String(20), nullable=False, default=RefundStatus.PENDING)
    # Stripe's id once it answered; unique so a webhook finds exactly one row.
    stripe_refund_id = db.Column(db.String(255), unique=True)
    # Stripe's own word while it is still working on it ("pending", "requires_action").
    stripe_status = db.Column(db.String(30))
    attempts = db.Column(db.Integer, nullable=False, default=0)
    last_error = db.Column(db.Text)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    completed_at = db.Column(db.DateTime)

    order = db.relationship("Order")
    pickup = db.relationship("Pickup")

    __table_args__ = (db.CheckConstraint("amount > 0", name="amount_positive"),)


class StripePayoutStatus(enum.StrEnum):
    PAID = "paid"            # Stripe says it reached the shop's bank account (``payout.paid``)
    FAILED = "failed"        # it never arrived or came back, even after ``paid`` (``payout.failed``)
    CANCELED = "canceled"    # cancelled before it was sent (``payout.canceled``)


class StripePayout(db.Model):
    """Card money Stripe paid out of the shop's Stripe balance to its bank account, as Stripe's
    ``payout.*`` events describe it (``payments.stripe_payouts``); one row per payout id."""

    id = db.Column(db.String(255), primary_key=True)  # Stripe's po_…
    amount = db.Column(db.BigInteger, nullable=False)  # whole đồng: VND is zero-decimal at Stripe
    currency = db.Column(db.String(3), nullable=False)
    status = db.Column(db.String(10), nullable=False)
    arrival_date = db.Column(db.Date)  # the day Stripe expects it in the bank
    destination = db.Column(db.String(255))  # the bank account's id at Stripe (ba_…)
    balance_transaction = db.Column(db.String(255))  # the payout's own balance transaction (txn_…)
    failure_code = db.Column(db.String(80))
    paid_at = db.Column(db.DateTime)     # when ``payout.paid`` reached us
    failed_at = db.Column(db.DateTime)   # when ``payout.failed`` or ``payout.canceled`` did
    received_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    __table_args__ = (db.CheckConstraint("amount > 0", name="stripe_payout_positive"),
                      one_of("status", StripePayoutStatus, "stripe_payout_status_known"))


class StripeCharge(db.Model):
    """What Stripe kept of one card payment: the charge's balance transaction, read once the order
    was paid (``payments.stripe_fees``); one row per PaymentIntent. A fee in VND is posted to the
    books (Expenses:Stripe:Fees ← Stripe clearing); one in another currency is kept for an admin."""

    payment_intent = db.Column(db.String(255), primary_key=True)  # Stripe's pi_…
    order_id = db.Column(db.Integer, db.ForeignKey("order.id"), nullable=False, index=True)
    charge = db.Column(db.String(255), nullable=False)               # ch_…
    balance_transaction = db.Column(db.String(255), nullable=False)  # txn_…
    amount = db.Column(db.BigInteger, nullable=False)  # in ``currency``'s smallest unit (whole đồng)
    fee = db.Column(db.BigInteger, nullable=False)
    net = db.Column(db.BigInteger, nullable=False)
    currency = db.Column(db.String(3), nullable=False)
    posted = db.Column(db.Boolean, nullable=False, default=False)  # the fee is in the books
    fetched_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    order = db.relationship("Order")

    __table_args__ = (db.CheckConstraint("fee >= 0", name="fee_not_negative"),)
