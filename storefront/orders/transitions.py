"""The order state machine: one table of allowed moves, enforced in one place.

These building blocks never commit; the use cases in ``services.py`` (and the
payment webhook) own the transaction they run in.
"""
from flask_babel import gettext as _

from ..accounts.models import User
from ..catalog import stock
from ..extensions import db
from ..notifications import services as notify
from ..timeutil import utcnow
from . import hooks
from .models import PICKUP_STATUS_LABELS, LineStatus, OrderEvent, PaymentStatus, PickupStatus
from .money_events import MoneyKind, announce

P = PickupStatus
PICKUP_MOVES: dict[PickupStatus, set[PickupStatus]] = {
    P.AWAITING_PAYMENT: {P.CONFIRMED, P.CANCELLED},
    P.CONFIRMED: {P.READY, P.CANCELLED, P.NO_SHOW},
    P.READY: {P.COLLECTED, P.CANCELLED, P.NO_SHOW},
    P.COLLECTED: set(),
    P.CANCELLED: set(),
    P.NO_SHOW: set(),
}
LINE_MOVES: dict[LineStatus, set[LineStatus]] = {
    LineStatus.AWAITING_DROPOFF: {LineStatus.RECEIVED, LineStatus.CANCELLED},
    LineStatus.RECEIVED: {LineStatus.CANCELLED},
    LineStatus.CANCELLED: set(),
}
S = PaymentStatus
# The order's money (one status per order; the moves are the functions in ``payment.py``).
PAYMENT_MOVES: dict[PaymentStatus, set[PaymentStatus]] = {
    S.UNPAID: {S.PAID},                      # pay at pickup: paid once what was handed over is
    S.PENDING: {S.PAID, S.FAILED},           # card or transfer: paid, or never
    S.FAILED: {S.PAID},                      # paid after it was closed: refunded at once
    # PARTIALLY_REFUNDED or REFUNDED straight from PAID: a card refund Stripe failed (the order
    # went back to PAID) that an admin then paid back from the bank.
    S.PAID: {S.REFUND_PENDING, S.PARTIALLY_REFUNDED, S.REFUNDED},
    S.REFUND_PENDING: {S.PAID, S.PARTIALLY_REFUNDED, S.REFUNDED},  # PAID: the refund was refused
    S.PARTIALLY_REFUNDED: {S.REFUND_PENDING, S.PAID},              # PAID: a success undone
    S.REFUNDED: {S.PAID, S.PARTIALLY_REFUNDED},                    # Stripe failed it afterwards
}
OPEN_PICKUP = {P.AWAITING_PAYMENT, P.CONFIRMED, P.READY}
# The shopper may cancel a pickup until it is ready; from then on only the outlet can.
SHOPPER_MAY_CANCEL = {P.AWAITING_PAYMENT, P.CONFIRMED}
_STAMP = {P.CONFIRMED: "confirmed_at", P.READY: "ready_at", P.COLLECTED: "collected_at",
          P.CANCELLED: "cancelled_at", P.NO_SHOW: "cancelled_at"}

Actor = User | str | None


class OrderError(Exception):
    """An order action that cannot be done; the message is for the person who tried."""


class InvalidTransition(OrderError):
    """The move is not in the table for the current status."""


def actor_label(by: Actor) -> str:
    if isinstance(by, User):
        return by.email
    return by or "system"


def record(order, kind: str, by: Actor, *, pickup=None, line=None, before=None, after=None,
           note=None) -> OrderEvent:
    """Write who did what to which part of an order, and when."""
    event = OrderEvent(order=order, kind=kind, pickup_id=pickup.id if pickup else None,
                       line_id=line.id if line else None, from_status=before, to_status=after,
                       actor_id=by.id if isinstance(by, User) else None,
                       actor_label=actor_label(by), note=note, created_at=utcnow())
    db.session.add(event)
    return event


def move_pickup(pickup, to: PickupStatus, by: Actor, note: str | None = None) -> None:
    """Move a pickup to ``to`` if the table allows it, stamping the time and recording it.

    :raises InvalidTransition: when the move is not allowed from the current status.
    """
    before = PickupStatus(pickup.status)
    if to not in PICKUP_MOVES[before]:
        raise InvalidTransition(_("Không thể chuyển đơn nhận hàng từ “%(a)s” sang “%(b)s”.",
                                  a=_label(before), b=_label(to)))
    pickup.status = to
    setattr(pickup, _STAMP[to], utcnow())
    record(pickup.order, "pickup_status", by, pickup=pickup, before=before, after=to, note=note)
    if to == P.COLLECTED:  # the lines not cancelled are the producers' now
        announce(MoneyKind.HANDED_OVER, f"handover-{pickup.id}", order=pickup.order, pickup=pickup)
        notify.collected(pickup)  # by Zalo or SMS, when configured


def move_payment(order, to: PaymentStatus, by: Actor, note: str | None = None) -> None:
    """Move an order's payment status to ``to`` if ``PAYMENT_MOVES`` allows it, recording it.

    :raises InvalidTransition: when the move is not allowed from the current status.
    """
    before = PaymentStatus(order.payment_status)
    if to not in PAYMENT_MOVES[before]:
        raise InvalidTransition(f"payment status {before} cannot become {to}")
    order.payment_status = to
    record(order, "payment_status", by, before=before, after=to, note=note)


def move_line(line, to: LineStatus, by: Actor, note: str | None = None) -> None:
    """Move an order line to ``to`` if allowed, recording it.

    :raises InvalidTransition: when the move is not allowed from the current status.
    """
    before = LineStatus(line.status)
    if to not in LINE_MOVES[before]:
        raise InvalidTransition(_("Dòng hàng này không thể chuyển trạng thái nữa."))
    line.status = to
    if to == LineStatus.RECEIVED:
        line.received_at = utcnow()
    record(line.pickup.order, "line_status", by, pickup=line.pickup, line=line, before=before,
           after=to, note=note)


def end_pickup(pickup, to: PickupStatus, by: Actor, note: str | None = None) -> None:
    """Cancel or no-show a pickup: its open lines are cancelled and their stock returned."""
    move_pickup(pickup, to, by, note)
    if to == P.CANCELLED:
        pickup.cancel_reason = note
    for line in pickup.lines:
        if line.status != LineStatus.CANCELLED:
            move_line(line, LineStatus.CANCELLED, by)
            stock.release(line.product_id, line.quantity)


def shopper_may_cancel(pickup) -> bool:
    """Tell whether the shopper may cancel this pickup themselves."""
    return pickup.status in SHOPPER_MAY_CANCEL


def shopper_may_cancel_order(order, now=None) -> bool:
    """Tell whether the shopper may cancel the whole order: a pickup or a booking is still open,
    no open pickup is ready, and no open booking is past its experience's free-cancellation
    deadline (``hooks.bookings.past_free_change``). The order page's button and
    ``services.cancel_order`` both ask this."""
    live = [p for p in order.pickups if p.status in OPEN_PICKUP]
    bookings = hooks.bookings.open_of(order)
    return bool(live or bookings) and all(shopper_may_cancel(p) for p in live) \
        and not hooks.bookings.past_free_change(bookings, now)


def _label(status: PickupStatus) -> str:
    return str(PICKUP_STATUS_LABELS[status])
