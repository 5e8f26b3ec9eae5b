"""Refunds: decided inside a transaction, sent to Stripe after it commits."""
from ..unit_of_work import on_commit
from ..extensions import db
from ..orders.models import PaymentStatus
from .models import Refund


def plan_refund(order, amount: int, reason: str, *, key: str, pickup=None) -> Refund | None:
    """Record a refund to send after commit; the same ``key`` never refunds twice."""
    existing = db.session.scalar(db.select(Refund).where(Refund.idempotency_key == key))
    if existing is not None or amount <= 0:
        return existing
    # A cancel reason is free text; the refund keeps as much of it as its column holds.
    reason = reason[:Refund.reason.type.length]
    refund = Refund(order=order, pickup=pickup, amount=amount, reason=reason, idempotency_key=key)
    db.session.add(refund)
    order.payment_status = PaymentStatus.REFUND_PENDING
    db.session.flush()
    refund_id = refund.id
    on_commit(lambda: send_refund(refund_id))
    return refund


def send_refund(refund_id: int) -> None:
    """Ask Stripe to refund (implemented in the payments services)."""
    from .services import send_refund as send

    send(refund_id)
