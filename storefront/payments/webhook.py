"""Stripe's webhook events, each applied exactly once."""
import logging

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..unit_of_work import transaction
from ..extensions import db
from ..timeutil import utcnow
from . import refunds, services, stripe_payouts
from .models import Refund, StripeEvent
from .services import Outcome

log = logging.getLogger(__name__)


def handle_event(event: dict) -> Outcome:
    """Apply a verified Stripe event once and return what it did.

    The event's id is written first, in the same unit of work as its effect: a replay, or a
    concurrent duplicate waiting on the same key, fails on the primary key and changes nothing.
    """
    try:
        with transaction():
            record = StripeEvent(id=event["id"], type=event["type"], received_at=utcnow())
            db.session.add(record)
            db.session.flush()
            outcome = record.outcome = _apply(event, record)
    except IntegrityError:
        if db.session.get(StripeEvent, event["id"]) is None:
            raise  # some other constraint: let Stripe retry the event later
        return Outcome.DUPLICATE
    log.info("Stripe event %s (%s): %s", event["id"], event["type"], outcome)
    return outcome


def _apply(event: dict, record: StripeEvent):
    if event["type"] in _REFUND_EVENTS:
        return _refund_changed(event, record)
    if event["type"] in stripe_payouts.EVENTS:  # card money paid out to the shop's bank account
        return stripe_payouts.apply_event(event)
    handler = _HANDLERS.get(event["type"])
    if handler is None:
        return Outcome.IGNORED
    session = event["data"]["object"]
    order = services.order_for_session(session)
    if order is None:
        log.warning("Stripe event %s names no order of ours", event["id"])
        return Outcome.UNKNOWN_ORDER
    record.order_id = order.id
    if not services.session_belongs(order, session):
        log.error("Stripe event %s is for session %s, order %s has %s", event["id"],
                  session.get("id"), order.number, order.stripe_session_id)
        return Outcome.SESSION_MISMATCH
    return handler(order, session)


def _completed(order, session) -> Outcome:
    if session.get("payment_status") == "paid":
        return services.apply_paid(order, session)
    return services.apply_unpaid(order, session)


def _payment_failed(order, session) -> Outcome:
    return services.apply_failed(order, services.STRIPE, _("Thanh toán thẻ không thành công"))


def _expired(order, session) -> Outcome:
    return services.apply_failed(order, services.STRIPE, _("Phiên thanh toán thẻ đã hết hạn"))


def _refund_changed(event: dict, record: StripeEvent):
    stripe_refund = event["data"]["object"]
    if stripe_refund.get("object") != "refund":
        return Outcome.IGNORED
    outcome = refunds.apply_stripe_refund(stripe_refund)
    if outcome != refunds.RefundOutcome.UNKNOWN:
        record.order_id = db.session.scalar(
            db.select(Refund.order_id).where(Refund.stripe_refund_id == stripe_refund.get("id")))
    return outcome


# Each carries a refund object; which of them an account sends depends on its API version.
_REFUND_EVENTS = {"refund.updated", "refund.failed", "charge.refund.updated"}

_HANDLERS = {
    "checkout.session.completed": _completed,
    "checkout.session.async_payment_succeeded": services.apply_paid,
    "checkout.session.expired": _expired,
    "checkout.session.async_payment_failed": _payment_failed,
}
