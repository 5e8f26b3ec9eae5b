"""What a pay-at-pickup pickup still owes at its counter: the one rule the counter's pages, the
hand-over and the order's settlement share.

An order paid at pickup may be split over several outlets, and part of it may already have come in
by bank transfer (``Order.amount_received``). Each counter collects what its pickup's lines cost,
less whatever the order holds beyond what its other handed-over pickups cost.

The same order may hold bookings paid at the venue: each is paid at its check-in
(``bookings.money.collect``, a ``BookingPayment``), and the order is paid only once its goods and
its bookings are all settled (``fully_paid``, asking ``hooks.bookings.venue_dues``).
"""
from . import hooks
from .models import CounterPayment, LineStatus, Order, PaymentMethod, Pickup, PickupStatus

P = PickupStatus
ENDED = {P.COLLECTED, P.CANCELLED, P.NO_SHOW}


def owed_by(pickup: Pickup) -> int:
    """Return what a pickup's lines cost, leaving out the cancelled ones."""
    return sum(line.amount for line in pickup.lines if line.status != LineStatus.CANCELLED)


def collected_at_counters(order: Order) -> int:
    """Return the money outlet staff recorded taking for this order."""
    return sum(payment.amount for payment in order.counter_payments)


def held_for(order: Order) -> int:
    """Return all the money the order holds: transfers received and counter payments."""
    return (order.amount_received or 0) + collected_at_counters(order)


def amount_due(pickup: Pickup, *, received_only: bool = False) -> int:
    """Return what the counter must collect before handing this pickup over (0: nothing to take).

    ``received_only``: for a partial hand-over, which takes only the lines at the outlet.
    """
    order = pickup.order
    if order.payment_method != PaymentMethod.AT_PICKUP or order.paid_at is not None \
            or pickup.status in ENDED:
        return 0
    spent = sum(owed_by(p) for p in order.pickups if p.status == P.COLLECTED and p.id != pickup.id)
    credit = max(held_for(order) - spent, 0)
    owed = sum(line.amount for line in pickup.lines if line.status == LineStatus.RECEIVED) \
        if received_only else owed_by(pickup)
    return max(owed - credit, 0)


def counter_payment_of(pickup: Pickup) -> CounterPayment | None:
    """Return what was collected at the counter for this pickup, if anything."""
    return next((p for p in pickup.order.counter_payments if p.pickup_id == pickup.id), None)


def fully_paid(order: Order) -> bool:
    """Tell whether every pickup and every booking has ended and the money held covers what was
    handed over and what the bookings checked in cost.

    Money held: transfers and counter payments (``held_for``) and what the places took at
    check-in (``BookingPayment``). An order nothing was handed over or checked in for is not
    paid: nothing was taken for it; nor is one with a booking still to come, whose money the
    place has yet to take.
    """
    if not all(p.status in ENDED for p in order.pickups):
        return False
    venue = hooks.bookings.venue_dues(order)
    if not venue.settled:
        return False
    owed = sum(owed_by(p) for p in order.pickups if p.status == P.COLLECTED) + venue.owed
    return owed > 0 and held_for(order) + venue.collected >= owed
