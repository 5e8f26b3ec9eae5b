"""Payment use cases: applying what Stripe says to an order, sending refunds, reconciling.

The ``apply_*`` functions run in the caller's transaction (the webhook's, or one per order
in ``reconcile``) with the order row locked, so a replayed, duplicated or late message from
Stripe changes nothing twice.
"""
import enum
import logging
from collections import Counter
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import update

from ..unit_of_work import transaction
from ..extensions import db
from ..notifications import services as notify
from ..orders import services as orders
from ..orders.models import Order, PaymentMethod, PaymentStatus, PickupStatus
from ..timeutil import utcnow
from . import gateway
from .gateway import PaymentError
from .models import Refund, RefundStatus
from .refunds import plan_refund

log = logging.getLogger(__name__)
STRIPE = "stripe"  # the actor recorded for changes Stripe asked for


class Outcome(enum.StrEnum):
    CONFIRMED = "confirmed"
    ALREADY_PAID = "already_paid"
    LATE_PAYMENT_REFUNDED = "late_payment_refunded"
    AMOUNT_MISMATCH = "amount_mismatch"
    AWAITING_ASYNC_PAYMENT = "awaiting_async_payment"
    EXPIRED = "expired"
    ALREADY_CLOSED = "already_closed"
    STILL_OPEN = "still_open"
    NOT_CARD = "not_card"
    UNKNOWN_ORDER = "unknown_order"
    SESSION_MISMATCH = "session_mismatch"
    IGNORED = "ignored"
    DUPLICATE = "duplicate"


# --- applying a Checkout Session (in the caller's transaction) ------------------------------

def lock_order(order_id: int) -> Order | None:
    """Load an order with its row locked, so Stripe's messages about it apply one at a time."""
    return db.session.scalar(
        db.select(Order).where(Order.id == order_id).with_for_update()
        .execution_options(populate_existing=True)
    )


def order_for_session(session: dict) -> Order | None:
    """Find and lock the order a Checkout Session pays for (client_reference_id, then metadata)."""
    metadata = session.get("metadata") or {}
    reference = session.get("client_reference_id") or metadata.get("order_id")
    try:
        order_id = int(reference)
    except (TypeError, ValueError):
        return None
    return lock_order(order_id)


def session_belongs(order: Order, session: dict) -> bool:
    return order.stripe_session_id is None or order.stripe_session_id == session.get("id")


def apply_session(order: Order, session: dict, by=STRIPE) -> Outcome:
    """Bring an order in line with its Checkout Session's current state."""
    if session.get("status") == "complete":
        if session.get("payment_status") == "paid":
            return apply_paid(order, session, by)
        return apply_unpaid(order, session)
    if session.get("status") == "expired":
        return apply_failed(order, by, _("Phiên thanh toán thẻ đã hết hạn"))
    return Outcome.STILL_OPEN


def apply_paid(order: Order, session: dict, by=STRIPE) -> Outcome:
    """Confirm an order Stripe says is paid, or refund a payment that came after it was closed."""
    if order.payment_method != PaymentMethod.CARD:
        return Outcome.NOT_CARD
    if session.get("amount_total") != order.total or session.get("currency") != order.currency:
        log.error("Stripe session %s paid %s %s for order %s of %s %s: not confirmed",
                  session.get("id"), session.get("amount_total"), session.get("currency"),
                  order.number, order.total, order.currency)
        return Outcome.AMOUNT_MISMATCH
    if order.paid_at is not None:
        return Outcome.ALREADY_PAID
    intent = _payment_intent(session)
    waiting = [p for p in order.pickups if p.status == PickupStatus.AWAITING_PAYMENT]
    if not waiting:
        # Its stock went back (and may be sold): give the money back instead of reviving it.
        order.paid_at, order.stripe_payment_intent = utcnow(), intent
        orders.refund_whole_order(order, by, _("Thanh toán đến sau khi đơn đã huỷ"))
        return Outcome.LATE_PAYMENT_REFUNDED
    orders.mark_paid(order, by, payment_intent=intent)
    for pickup in order.pickups:
        if pickup.status == PickupStatus.CANCELLED:  # cancelled while waiting, yet paid for
            plan_refund(order, pickup.subtotal, pickup.cancel_reason or _("Đã huỷ"),
                        key=f"pickup-{pickup.id}", pickup=pickup)
    return Outcome.CONFIRMED


def apply_unpaid(order: Order, session: dict) -> Outcome:
    """Note a completed Checkout whose payment is still on its way (an async method)."""
    if order.paid_at is None and order.payment_status == PaymentStatus.PENDING:
        order.stripe_payment_intent = _payment_intent(session) or order.stripe_payment_intent
    return Outcome.AWAITING_ASYNC_PAYMENT


def apply_failed(order: Order, by, note: str) -> Outcome:
    """Cancel an order whose Checkout expired or whose payment failed, returning its stock."""
    if order.paid_at is not None:
        return Outcome.ALREADY_PAID
    if not any(p.status == PickupStatus.AWAITING_PAYMENT for p in order.pickups):
        return Outcome.ALREADY_CLOSED
    orders.expire_payment(order, by, note)
    return Outcome.EXPIRED


def _payment_intent(session: dict) -> str | None:
    intent = session.get("payment_intent")
    return intent.get("id") if isinstance(intent, dict) else intent


# --- reconciling with Stripe ------------------------------------------------------------------

def reconcile(now=None) -> Counter:
    """Settle card orders still waiting for payment with what Stripe says of their sessions.

    Complete and paid → confirmed; expired → cancelled; open past the deadline → expired at
    Stripe first (so it can no longer be paid), then cancelled. Returns outcomes counted.
    """
    now = now or utcnow()
    order_ids = db.session.scalars(
        db.select(Order.id).where(Order.payment_method == PaymentMethod.CARD,
                                  Order.payment_status == PaymentStatus.PENDING,
                                  Order.stripe_session_id.is_not(None)).order_by(Order.id)
    ).all()
    db.session.rollback()  # hold nothing open while talking to Stripe
    outcomes = Counter()
    for order_id in order_ids:
        try:
            outcomes[str(_reconcile_one(order_id, now))] += 1
        except PaymentError:
            outcomes["stripe_error"] += 1
    return outcomes


def _reconcile_one(order_id: int, now) -> Outcome:
    order = db.session.get(Order, order_id)
    session = gateway.retrieve_session(order.stripe_session_id)
    if session.get("status") == "open" and order.payment_deadline and order.payment_deadline <= now:
        session = _expire_at_stripe(session["id"])
    db.session.rollback()
    with transaction():
        order = lock_order(order_id)
        if order.payment_status != PaymentStatus.PENDING:
            return Outcome.IGNORED  # the webhook (or a cancellation) got there first
        return apply_session(order, session)


def _expire_at_stripe(session_id: str) -> dict:
    try:
        return gateway.expire_session(session_id)
    except PaymentError:
        # Completed (or expired) meanwhile: Stripe only expires open sessions.
        return gateway.retrieve_session(session_id)


# --- refunds ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class _RefundRequest:
    refund_id: int
    payment_intent: str | None
    amount: int
    idempotency_key: str


def send_refund(refund_id: int) -> None:
    """Send one planned refund to Stripe, never twice; record the result, or the error for a retry.

    A sender first claims the refund (a guarded UPDATE of its attempts, committed), so a second
    sender that read the same attempt backs off; Stripe's idempotency key covers a retry that
    overlaps a slow first try; and only the sender whose guarded UPDATE finds it still pending
    records the result and tells the shopper. No transaction stays open while Stripe answers.
    """
    claimed = _claim_refund(refund_id)
    if claimed is None:
        return
    try:
        if not claimed.payment_intent:
            raise PaymentError("order has no Stripe payment to refund")
        result = gateway.create_refund(claimed.payment_intent, claimed.amount,
                                       claimed.idempotency_key)
    except PaymentError as error:
        _refund_failed(refund_id, error)
        return
    _refund_sent(refund_id, result)


def _claim_refund(refund_id: int) -> _RefundRequest | None:
    row = db.session.execute(
        db.select(Refund.attempts, Refund.amount, Refund.idempotency_key,
                  Order.stripe_payment_intent)
        .join(Order, Order.id == Refund.order_id)
        .where(Refund.id == refund_id, Refund.status == RefundStatus.PENDING)
    ).first()
    db.session.commit()
    if row is None:
        return None
    claimed = db.session.execute(
        update(Refund)
        .where(Refund.id == refund_id, Refund.status == RefundStatus.PENDING,
               Refund.attempts == row.attempts)
        .values(attempts=row.attempts + 1).execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    if not claimed:
        return None  # another sender has it
    return _RefundRequest(refund_id, row.stripe_payment_intent, row.amount, row.idempotency_key)


def _refund_failed(refund_id: int, error: Exception) -> None:
    cause = error.__cause__ or error
    message = f"{type(cause).__name__}: {cause}"[:2000]
    with transaction():
        db.session.execute(
            update(Refund).where(Refund.id == refund_id, Refund.status == RefundStatus.PENDING)
            .values(last_error=message).execution_options(synchronize_session=False))
    log.warning("refund %s failed: %s", refund_id, message)


def _refund_sent(refund_id: int, result: dict) -> None:
    succeeded = result.get("status") not in ("failed", "canceled")
    with transaction():
        recorded = db.session.execute(
            update(Refund).where(Refund.id == refund_id, Refund.status == RefundStatus.PENDING)
            .values(status=RefundStatus.SUCCEEDED if succeeded else RefundStatus.FAILED,
                    stripe_refund_id=result.get("id"), completed_at=utcnow(),
                    last_error=None if succeeded else f"Stripe refund {result.get('status')}")
            .execution_options(synchronize_session=False)
        ).rowcount
        if not recorded:
            return  # a concurrent sender recorded the same Stripe refund
        refund = db.session.get(Refund, refund_id, populate_existing=True)
        order = lock_order(refund.order_id)
        order.payment_status = _refund_state(order)
        if succeeded:
            notify.refunded(refund)
        else:
            log.error("refund %s was %s at Stripe", refund_id, result.get("status"))


def _refund_state(order: Order) -> PaymentStatus:
    refunds = db.session.scalars(db.select(Refund).where(Refund.order_id == order.id)).all()
    if any(r.status == RefundStatus.PENDING for r in refunds):
        return PaymentStatus.REFUND_PENDING
    refunded = sum(r.amount for r in refunds if r.status == RefundStatus.SUCCEEDED)
    if refunded >= order.total:
        return PaymentStatus.REFUNDED
    return PaymentStatus.PARTIALLY_REFUNDED if refunded else PaymentStatus.PAID


def retry_refunds() -> Counter:
    """Send every refund still pending, oldest first; return how many succeeded and remain."""
    refund_ids = db.session.scalars(
        db.select(Refund.id).where(Refund.status == RefundStatus.PENDING).order_by(Refund.id)
    ).all()
    db.session.rollback()
    for refund_id in refund_ids:
        send_refund(refund_id)
    statuses = db.session.scalars(db.select(Refund.status).where(Refund.id.in_(refund_ids))).all()
    return Counter(str(s) for s in statuses)
