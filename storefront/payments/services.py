"""Payment use cases: applying what Stripe says to an order, reconciling (refunds: ``refunds.py``).

The ``apply_*`` functions run in the caller's transaction (the webhook's, or one per order
in ``reconcile``) with the order row locked, so a replayed, duplicated or late message from
Stripe changes nothing twice.
"""
import enum
import logging
from collections import Counter

from flask_babel import gettext as _

from ..unit_of_work import on_commit, transaction
from ..extensions import db
from ..orders import payment, services as orders
from ..orders.money_events import MoneyKind, announce
from ..orders.locks import lock_order
from ..orders.models import Order, PaymentMethod, PaymentStatus, PickupStatus
from ..orders.transitions import OPEN_PICKUP
from ..queue import enqueue, task
from ..timeutil import utcnow
from . import gateway
from .gateway import PaymentError
from .refunds import give_back, refund_whole_order

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
    announce(MoneyKind.CARD_RECEIVED, f"card-{order.id}", amount=order.total, order=order,
             channel="stripe", reference=intent)
    waiting = [p for p in order.pickups if p.status == PickupStatus.AWAITING_PAYMENT]
    if not waiting:
        # Its stock went back (and may be sold): give the money back instead of reviving it.
        order.stripe_payment_intent = intent
        payment.mark_paid(order, by, note=_("Thanh toán đến sau khi đơn đã huỷ"))
        refund_whole_order(order, by, _("Thanh toán đến sau khi đơn đã huỷ"))
        return Outcome.LATE_PAYMENT_REFUNDED
    orders.mark_paid(order, by, payment_intent=intent)
    for pickup in order.pickups:
        if pickup.status == PickupStatus.CANCELLED:  # cancelled while waiting, yet paid for
            give_back(order, pickup.subtotal, pickup.cancel_reason or _("Đã huỷ"),
                      key=f"pickup-{pickup.id}", pickup=pickup, by=by)
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


# --- closing the Checkout page of a cancelled order -------------------------------------------

def close_checkout_of_cancelled(pickup, **_ignored) -> None:
    """Once every pickup of an unpaid card order has ended, close its Checkout page at Stripe."""
    order = pickup.order
    if order.payment_method != PaymentMethod.CARD or order.paid_at is not None \
            or not order.stripe_session_id \
            or any(p.status in OPEN_PICKUP for p in order.pickups):
        return
    order_id = order.id
    on_commit(lambda: enqueue(expire_checkout_task, order_id))


def expire_checkout(order_id: int) -> str | None:
    """Expire the open Checkout Session of an order cancelled before it was paid.

    Return the session's status at Stripe afterwards (None when there is nothing to close).
    A session completed meanwhile is left alone: its payment webhook refunds it.

    :raises PaymentError: Stripe could not be reached; the task is retried.
    """
    order = db.session.get(Order, order_id)
    if order is None or not order.stripe_session_id or order.paid_at is not None \
            or order.payment_status != PaymentStatus.FAILED:
        return None
    session_id = order.stripe_session_id
    db.session.rollback()  # hold nothing open while talking to Stripe
    status = _expire_at_stripe(session_id).get("status")
    if status == "open":
        raise PaymentError(f"Checkout Session {session_id} is still open")
    return status


@task(name="expire_checkout", retries=5, retry_delay=60)
def expire_checkout_task(order_id: int) -> None:
    """Close at Stripe the Checkout page of a card order cancelled before it was paid."""
    expire_checkout(order_id)


def _expire_at_stripe(session_id: str) -> dict:
    try:
        return gateway.expire_session(session_id)
    except PaymentError:
        # Completed (or expired) meanwhile: Stripe only expires open sessions.
        return gateway.retrieve_session(session_id)
