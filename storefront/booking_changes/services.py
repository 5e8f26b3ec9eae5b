"""Changes to a booking after placement: the shopper cancels or moves it, a session passes, a session is cancelled.

The shopper may cancel or move to another session of the same experience for free until the
experience's ``cancel_free_hours`` before the start (``change_deadline``); past it, both are
refused. What was paid goes back the way it came, through the one refund path
(``payments.refunds.give_back``): a card through Stripe, a transfer owed back from the bank by an
admin, nothing for a booking to be paid at the venue. Freed seats are offered to the session's
waitlist in the same transaction (``waitlist.offer_next``).

Locks: the order first (as every payment change locks it), then the sessions' rows through the
seat counter's UPDATEs, in session id order when a move touches two, so two moves cannot deadlock.
"""
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update

from ..experiences import queries
from ..experiences.errors import NotAnExperience
from ..experiences.models import ExperienceSession, SessionStatus
from ..experiences.sessions import booking_closes_at
from ..extensions import db
from ..notifications import services as notify
from ..orders.locks import lock_order
from ..orders.services import settle_at_pickup
from ..orders.transitions import Actor, record
from ..payments.refunds import give_back
from ..timeutil import utcnow
from ..unit_of_work import transaction
from ..bookings import money as booking_money, seats
from ..bookings.models import Booking, BookingStatus
from . import waitlist

CHANGEABLE = (BookingStatus.AWAITING_PAYMENT, BookingStatus.CONFIRMED)


class BookingChangeError(Exception):
    """A change the shopper asked for cannot be made; the message is for them."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class ChangeDeadlinePassed(BookingChangeError):
    """The free cancellation and move window of the booking has closed."""


class BookingNotChangeable(BookingChangeError):
    """The booking is already cancelled, used, or its session is not open."""


class NotAnotherSession(BookingChangeError):
    """The session asked for is not another bookable session of the same experience."""


def booking_of(order, booking_id: int) -> Booking | None:
    """Return the order's booking ``booking_id``; another order's is not found."""
    return next((b for b in order.bookings if b.id == booking_id), None)


def sessions_to_move_to(booking: Booking, now: datetime | None = None) -> list[ExperienceSession]:
    """Return the sessions on sale of the booking's experience with room for its seats, but its own."""
    try:
        page = queries.detail(booking.experience.slug, now=now)
    except NotAnExperience:
        return []
    return [s for s in page.sessions if s.id != booking.session_id and s.seats_left >= booking.seats]


def change_deadline(booking: Booking) -> datetime:
    """Return the last instant (naive UTC) the booking may be cancelled or moved for free."""
    return booking.session.starts_at - timedelta(hours=booking.experience.cancel_free_hours)


def may_change(booking: Booking, now: datetime | None = None) -> bool:
    """Tell whether the shopper may still cancel or move the booking (template helper)."""
    return (booking.status in CHANGEABLE and booking.session.status == SessionStatus.OPEN
            and (now or utcnow()) <= change_deadline(booking))


def _check_changeable(booking: Booking, now: datetime) -> None:
    if booking.status not in CHANGEABLE or booking.session.status != SessionStatus.OPEN:
        raise BookingNotChangeable(_("Lượt đặt chỗ này không thể thay đổi: đã huỷ, đã dùng "
                                     "hoặc buổi không còn tổ chức."))
    if now > change_deadline(booking):
        raise ChangeDeadlinePassed(_(
            "Đã quá hạn huỷ hoặc đổi buổi miễn phí (%(hours)d giờ trước giờ bắt đầu). "
            "Vui lòng liên hệ cơ sở nếu bạn không thể đến.",
            hours=booking.experience.cancel_free_hours))


def _locked(booking: Booking):
    order = lock_order(booking.order_id)
    db.session.refresh(booking)
    return order


def cancel_booking(booking: Booking, *, by: Actor, now: datetime | None = None) -> None:
    """Cancel the booking before its deadline, give its seats back and refund what was paid.

    :raises ChangeDeadlinePassed: past the free cancellation window.
    :raises BookingNotChangeable: the booking or its session cannot change any more.
    """
    now = now or utcnow()
    with transaction():
        order = _locked(booking)
        _check_changeable(booking, now)
        reason = _("Khách huỷ đặt chỗ %(title)s", title=booking.experience_name)
        _end(order, booking, reason, by, now, kind="booking_cancelled")
        waitlist.offer_next(booking.session, now=now)


def move_booking(booking: Booking, to_session_id: int, *, by: Actor, now: datetime | None = None) -> None:
    """Move the booking to another open session of the same experience, before its deadline.

    The price stays what was paid: every session of an experience has the same person types.
    :raises ChangeDeadlinePassed: past the free window of the booking's current session.
    :raises NotAnotherSession: the target is not another bookable session of the experience.
    :raises seats.SessionFull: the target has too few seats left.
    """
    now = now or utcnow()
    with transaction():
        order = _locked(booking)
        _check_changeable(booking, now)
        target = db.session.get(ExperienceSession, to_session_id)
        if (target is None or target.id == booking.session_id
                or target.experience_id != booking.experience_id or target.status != SessionStatus.OPEN
                or now >= booking_closes_at(target)):  # too few seats: ``seats.take`` says so
            raise NotAnotherSession(_("Hãy chọn một buổi khác còn mở đặt chỗ của cùng trải nghiệm."))
        old = booking.session
        _move_seats(booking, old.id, target.id)
        booking.session_id = target.id
        db.session.flush()
        db.session.expire(booking, ["session"])
        record(order, "booking_moved", by,
               note=f"{booking.experience_name}: {old.starts_at:%Y-%m-%d %H:%M} → "
                    f"{target.starts_at:%Y-%m-%d %H:%M} UTC")
        waitlist.offer_next(old, now=now)


def _move_seats(booking: Booking, from_id: int, to_id: int) -> None:
    """Take the seats in the new session and give them back in the old one, in session id order."""
    if to_id < from_id:
        seats.take(to_id, booking.seats, title=booking.experience_name)
        seats.give_back(from_id, booking.seats)
    else:
        seats.give_back(from_id, booking.seats)
        seats.take(to_id, booking.seats, title=booking.experience_name)


def _end(order, booking: Booking, reason: str, by: Actor, now: datetime, *, kind: str) -> None:
    """Cancel the booking, give its seats back and owe back what was paid for it (no commit).

    An order paid at the venue whose other parts were all settled is paid now (its goods
    handed over and paid at the counter, say): this booking was the last still to come.
    """
    seats.release(booking, reason=reason, now=now)
    give_back(order, booking.subtotal, reason, key=f"booking-{booking.id}", by=by)
    record(order, kind, by, note=reason)
    settle_at_pickup(order, by)


# --- the producer cancelled a session ---------------------------------------------------------

def end_bookings_of_cancelled_session(session: ExperienceSession, *, by=None, reason=None,
                                      now: datetime | None = None, **_ignored) -> None:
    """Cancel, refund and tell everyone booked in a session the producer cancelled.

    Receives ``experiences.signals.session_cancelled`` inside ``cancel_session``'s transaction
    (connected in ``storefront/wiring.py``), so the refunds and notices commit with it. Orders are
    locked in id order, so two cancelled sessions sharing orders cannot deadlock.
    """
    now = now or utcnow()
    bookings = db.session.scalars(
        select(Booking).where(Booking.session_id == session.id, Booking.status.in_(CHANGEABLE))
        .order_by(Booking.order_id, Booking.id)).all()
    for booking in bookings:
        order = _locked(booking)
        if booking.status not in CHANGEABLE:
            continue
        text = _("Cơ sở huỷ buổi %(title)s", title=booking.experience_name)
        _end(order, booking, text, by or "system", now, kind="booking_session_cancelled")
        notify.queue("booking_session_cancelled", order.email, order.locale, order, booking=booking,
                     session=session, reason=reason or "")
    waitlist.close_line(session, now=now)


# --- the whole order cancelled -----------------------------------------------------------------

def end_bookings_of_cancelled_order(order, *, reason: str, by: Actor = "system",
                                    now: datetime | None = None, **_ignored) -> None:
    """Cancel the open bookings of an order cancelled as a whole: seats back, refunded by method.

    Receives ``orders.signals.order_cancelled`` inside ``orders.services.cancel_order``'s
    transaction (connected in ``storefront/wiring.py``); the order is locked after its pickups, as
    a hand-over locks them. Each booking's refund has the key its own cancel would (``booking-<id>``),
    so it is never owed twice. Freed seats go to the session's waitlist.
    """
    now = now or utcnow()
    lock_order(order.id)
    for booking in list(order.bookings):
        if booking.status in CHANGEABLE:
            _end(order, booking, reason, by, now, kind="booking_order_cancelled")
            waitlist.offer_next(booking.session, now=now)


# --- no-shows -----------------------------------------------------------------------------------

def record_no_shows(*, now: datetime | None = None) -> int:
    """Mark every confirmed booking whose session has ended without a check-in as a no-show.

    Its seats stay counted (the session is over) and nothing is refunded: money the shop holds for
    it becomes the producer's sale in the books (``bookings.money.given``). Returns how many.
    Safe to run twice and beside check-ins: each row moves only from ``confirmed``. Each order
    is locked before its booking moves (in order id order, as a check-in locks it first); an order
    paid at the venue whose other parts were all settled is paid once its last booking is a no-show.
    """
    now = now or utcnow()
    with transaction():
        ended = select(ExperienceSession.id).where(ExperienceSession.ends_at <= now)
        bookings = db.session.scalars(
            select(Booking).where(Booking.status == BookingStatus.CONFIRMED,
                                  Booking.checked_in_at.is_(None), Booking.session_id.in_(ended))
            .order_by(Booking.order_id, Booking.id)).all()
        marked = 0
        for booking in bookings:
            order = lock_order(booking.order_id)
            moved = db.session.execute(
                update(Booking).where(Booking.id == booking.id, Booking.status == BookingStatus.CONFIRMED,
                                      Booking.checked_in_at.is_(None))
                .values(status=BookingStatus.NO_SHOW).execution_options(synchronize_session=False)
            ).rowcount
            if moved:
                marked += 1
                record(booking.order, "booking_no_show", "system", note=booking.experience_name)
                # Past the free-cancellation deadline and not refunded: paid by card or transfer,
                # the seats are the producer's sale now (paid at the venue: nothing was paid).
                booking_money.given(booking, "no-show")
                settle_at_pickup(order, "system")
    return marked
