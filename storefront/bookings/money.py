"""A booking's money at its place: what is due there, taking it at check-in, and the producer's sale.

A booking is its experience producer's sale. Its money moves in the books twice (announced on
``orders.signals.money_moved``, posted by ``finance.posting`` in the same transaction):

- paid at the venue (``PaymentMethod.AT_PICKUP``): the check-in takes its amount in one step,
  as an outlet's counter does for a pickup ("collected N ₫ in cash / by transfer — check in");
  ``BOOKING_COLLECTED``: cash into the outlet's drawer, a transfer into the shop's bank account,
  and at a producer's own workshop, money the producer kept (paid to the producer outside the shop);
- given (``BOOKING_ATTENDED``): at check-in, or at the no-show for a booking whose money the shop
  holds (paid by card or transfer: the no-show comes after the free-cancellation deadline, and a
  no-show is not refunded, as the returns policy says), the seats' amount less the operator's fee
  becomes the producer's. A pay-at-the-venue no-show paid nothing, so nothing moves.
"""
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..experiences.models import PlaceKind
from ..extensions import db
from ..i18n import format_vnd
from ..orders.models import COUNTER_METHOD_LABELS, CounterMethod, PaymentMethod
from ..orders.money_events import MoneyKind, announce
from ..orders.transitions import actor_label, record
from ..timeutil import utcnow
from .models import Booking, BookingPayment, BookingStatus


class MoneyNotCollected(Exception):
    """The code is right but the booking is paid at the venue: say how its amount was taken."""

    def __init__(self, message, amount: int):
        super().__init__(str(message))
        self.amount = amount


class AmountChanged(MoneyNotCollected):
    """The amount confirmed is not what the booking owes now."""


def paid_at_venue(booking: Booking) -> bool:
    return booking.order.payment_method == PaymentMethod.AT_PICKUP


def amount_due(booking: Booking) -> int:
    """Return what the place must take before checking the booking in (0: nothing to take).

    A booking paid at the venue owes its whole amount (its order's transfers and counter
    payments pay for goods: ``orders.dues``); once taken, nothing.
    """
    if not paid_at_venue(booking) or booking.order.paid_at is not None \
            or booking.status != BookingStatus.CONFIRMED or booking.payment is not None:
        return 0
    return booking.subtotal


def collect(booking: Booking, by, method: str | None, amount: int | None) -> BookingPayment | None:
    """Record what the place took for a booking about to be checked in (caller's transaction).

    :raises MoneyNotCollected: money is due and ``method`` does not say how it was taken.
    :raises AmountChanged: ``amount`` is not what is due.
    """
    due = amount_due(booking)
    if due <= 0:
        return None
    if method not in {m.value for m in CounterMethod}:
        raise MoneyNotCollected(_("Thu %(amount)s của khách, rồi bấm “đã thu” để check-in.",
                                  amount=format_vnd(due)), due)
    if amount != due:
        raise AmountChanged(_("Số tiền cần thu bây giờ là %(amount)s. Vui lòng kiểm tra rồi "
                              "xác nhận lại.", amount=format_vnd(due)), due)
    experience = booking.experience
    at_outlet = experience.place_kind == PlaceKind.OUTLET
    payment = BookingPayment(order_id=booking.order_id, booking=booking, amount=due, method=method,
                             outlet_id=experience.outlet_id if at_outlet else None,
                             collected_by_id=getattr(by, "id", None), collected_by=actor_label(by),
                             collected_at=utcnow())
    db.session.add(payment)
    channel = ("cash" if method == CounterMethod.CASH else "bank") if at_outlet else "producer"
    announce(MoneyKind.BOOKING_COLLECTED, f"booking-collected-{booking.id}", amount=due,
             order=booking.order, booking=booking, channel=channel, reference=f"booking-{booking.id}")
    record(booking.order, "booking_payment", by,
           note=f"{booking.experience_name}: {due} VND, {COUNTER_METHOD_LABELS[CounterMethod(method)]}")
    return payment


@dataclass(frozen=True)
class VenueDues:
    """What an order's bookings paid at the venue come to, for the order's money rule (``orders.dues``).

    ``settled``: no booking is still to happen (each was checked in, cancelled or a no-show);
    ``owed``: what the bookings checked in cost; ``collected``: what the places took for them
    (``BookingPayment``). A cancelled booking or a no-show paid at the venue owes nothing.
    """

    settled: bool
    owed: int
    collected: int


_ENDED = (BookingStatus.CHECKED_IN, BookingStatus.CANCELLED, BookingStatus.NO_SHOW)


def venue_dues(order) -> VenueDues:
    """Return what the order's bookings owe and paid at the venue, read afresh (caller's transaction).

    The bookings and their payments are reloaded, so a check-in committed meanwhile by another
    place (waited for on the order's lock) counts.
    """
    bookings = db.session.scalars(
        select(Booking).where(Booking.order_id == order.id).options(selectinload(Booking.payment))
        .execution_options(populate_existing=True)).all()
    return VenueDues(settled=all(b.status in _ENDED for b in bookings),
                     owed=sum(b.subtotal for b in bookings if b.status == BookingStatus.CHECKED_IN),
                     collected=sum(b.payment.amount for b in bookings if b.payment is not None))


def money_held(booking: Booking) -> int:
    """Return the booking's money the books hold in the shopper's deposit (or counted as collected)."""
    if paid_at_venue(booking):
        return booking.payment.amount if booking.payment is not None else 0
    return booking.subtotal  # confirmed only once paid by card or transfer


def given(booking: Booking, how: str) -> None:
    """Announce the experience given (``how``: "check-in" or "no-show"): the producer's sale."""
    amount = money_held(booking)
    if amount > 0:
        announce(MoneyKind.BOOKING_ATTENDED, f"booking-given-{booking.id}", amount=amount,
                 order=booking.order, booking=booking, reference=how)
