"""The order's money: one function per allowed payment move, and the one rule for refunds.

The table of moves is ``transitions.PAYMENT_MOVES`` (beside the pickup one); every write of
``Order.payment_status`` goes through ``transitions.move_payment`` from here. Which refunds exist
is the payments domain's knowledge: it hands their totals to ``refunds_changed``.
These never commit; they run in the caller's transaction.
"""
from ..timeutil import utcnow
from .models import Order, PaymentMethod, PaymentStatus
from .transitions import Actor, move_payment, record

S = PaymentStatus
NEVER_PAID = {S.UNPAID, S.PENDING, S.FAILED}


def opening_status(method: PaymentMethod) -> PaymentStatus:
    """Return the status an order starts in: card and transfer wait for money, pay-at-pickup not."""
    return S.PENDING if method in (PaymentMethod.CARD, PaymentMethod.VIETQR) else S.UNPAID


def mark_paid(order: Order, by: Actor, note: str | None = None) -> None:
    """Record that the order's money is all in (pending, unpaid, or failed and paid late)."""
    move_payment(order, S.PAID, by, note)
    order.paid_at = order.paid_at or utcnow()
    record(order, "payment_confirmed", by, note=note)


def mark_failed(order: Order, by: Actor, note: str | None = None) -> None:
    """Record that a card or transfer order will never be paid (it expired or was cancelled)."""
    move_payment(order, S.FAILED, by, note)


def refunds_changed(order: Order, pending: int, refunded: int, by: Actor) -> None:
    """Bring the status in line with the refunds of the order's price, whatever the method.

    ``pending`` is what is still to go back, ``refunded`` what went back (money paid above the
    price, or that no order took, is not counted: it is not a refund of this order). An order
    that was never paid keeps its status.
    """
    if order.payment_status in NEVER_PAID:
        return
    if pending > 0:
        to = S.REFUND_PENDING
    elif refunded >= order.total:
        to = S.REFUNDED
    elif refunded > 0:
        to = S.PARTIALLY_REFUNDED
    else:
        to = S.PAID
    if to != order.payment_status:
        move_payment(order, to, by)
