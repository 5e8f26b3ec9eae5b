"""What placing an order does for its bookings: lock the sessions, check, take the seats, write them.

Called by ``orders.placement`` inside its unit of work, after the products and before the
outlets (see the lock order there); also the confirmation on payment and the release on expiry,
which ``orders.services`` calls in its transactions.

A ticket line may carry the token of a waitlist offer's hold (``hold_token``: the shopper came
through the offer link, ``current.lines_now``); the order then books the held seats: a full
session is bookable for it, and ``seats.take`` turns the hold into the booking.
"""
from collections.abc import Iterable
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..experiences.models import Experience, ExperienceSession
from ..extensions import db
from ..i18n import format_vnd
from ..notifications import services as notify
from ..timeutil import utcnow
from . import cart, money, seats, tickets
from .models import Booking, BookingSeat, BookingStatus
from .signals import hold_booked

MAX_TICKETS = 20


class BookingRefused(Exception):
    """A booking in the cart cannot be placed as asked; the message is for the shopper."""


class Wanted(dict):
    """{session id: {person type id: (tickets, price seen)}}, and the hold tokens the lines carried."""

    def __init__(self):
        super().__init__()
        self.hold_tokens: dict[int, str] = {}  # session id -> an offer link's token


def wanted_of(ticket_lines: Iterable) -> Wanted:
    """Return {session id: {person type id: (tickets, price seen)}} from the cart's ticket lines."""
    wanted = Wanted()
    for line in ticket_lines:
        quantity = int(line.quantity)
        if not 1 <= quantity <= MAX_TICKETS:
            raise BookingRefused(_("Mỗi loại vé từ 1 đến %(n)d người.", n=MAX_TICKETS))
        wanted.setdefault(int(line.session_id), {})[int(line.person_type_id)] = \
            (quantity, int(line.price_seen))
        if getattr(line, "hold_token", None):
            wanted.hold_tokens[int(line.session_id)] = line.hold_token
    return wanted


def _claims(sessions, wanted, *, user_id, now) -> dict[int, seats.Claim]:
    """The running holds the lines' tokens claim in these (locked) sessions, for this shopper."""
    tokens = getattr(wanted, "hold_tokens", {})
    return seats.claimable(tokens.values(), user_id=user_id, session_ids=[s.id for s in sessions],
                           now=now) if tokens else {}


def lock_sessions(session_ids: list[int]) -> list[ExperienceSession]:
    """Load the sessions, locking their rows by id (FOR NO KEY UPDATE), as products and outlets are.

    Two checkouts for one session take turns here, so the seats each counts stay true until it
    commits; the id order (after the products, before the outlets) keeps every placement's
    locks in one order, so none waits for another in a circle.
    """
    if not session_ids:
        return []
    query = (select(ExperienceSession).where(ExperienceSession.id.in_(session_ids))
             .order_by(ExperienceSession.id).with_for_update(of=ExperienceSession, key_share=True)
             .options(selectinload(ExperienceSession.experience).selectinload(Experience.person_types),
                      selectinload(ExperienceSession.experience).selectinload(Experience.product))
             .execution_options(populate_existing=True))
    sessions = db.session.scalars(query).all()
    if len(sessions) != len(session_ids):
        raise BookingRefused(_("Một buổi trải nghiệm trong giỏ không còn tồn tại. Vui lòng xem lại giỏ hàng."))
    return sessions


def check(sessions: list[ExperienceSession], wanted, now=None) -> int:
    """Check each session is on sale and bookable and each price unchanged; return the total.

    :raises BookingRefused: a session is off sale, past its cut-off, or a price changed.
    """
    now, total = now or utcnow(), 0
    held = set(getattr(wanted, "hold_tokens", {}))  # may be full but for their hold
    for session in sessions:
        experience = session.experience
        if not experience.product.is_listed() or not cart.bookable(session, session.id in held, now):
            raise BookingRefused(_("Buổi “%(title)s” không còn nhận đặt chỗ. Vui lòng xoá khỏi giỏ hàng.",
                                   title=experience.title))
        types = {p.id: p for p in experience.person_types if p.active}
        for ptid, (quantity, seen) in wanted[session.id].items():
            person_type = types.get(ptid)
            if person_type is None:
                raise BookingRefused(_("Một loại vé của “%(title)s” không còn bán. Vui lòng xem lại giỏ hàng.",
                                       title=experience.title))
            if person_type.price != seen:
                raise BookingRefused(_("Giá vé “%(label)s” đã thay đổi từ %(old)s thành %(new)s. "
                                       "Vui lòng xem lại giỏ hàng.", label=person_type.label,
                                       old=format_vnd(seen), new=format_vnd(person_type.price)))
            total += quantity * person_type.price
    return total


def add_bookings(order, sessions: list[ExperienceSession], wanted, *, confirmed: bool, now) -> None:
    """Take each session's seats (in session-id order, as locked) and write one booking per session.

    A session whose seats are held for this shopper (a waitlist offer whose token a line carries,
    made to this order's account or to a guest) books them: the hold becomes the booking, and
    ``signals.hold_booked`` closes its waitlist offer as booked, in this transaction.
    :raises seats.SessionFull: a session has fewer seats left than asked.
    """
    claims = _claims(sessions, wanted, user_id=order.user_id, now=now)
    for session in sessions:
        experience = session.experience
        types = {p.id: p for p in experience.person_types}
        booking = Booking(order=order, session=session, experience=experience,
                          producer_id=experience.product.producer_id,
                          experience_name=experience.product.name_vi, stars=_stars_of(experience),
                          status=BookingStatus.CONFIRMED if confirmed else BookingStatus.AWAITING_PAYMENT,
                          confirmed_at=now if confirmed else None, code_hash="", created_at=now,
                          seats=0, subtotal=0)
        for ptid, (quantity, _seen) in sorted(wanted[session.id].items()):
            person_type = types[ptid]
            booking.lines.append(BookingSeat(
                person_type=person_type, code=person_type.code, label_vi=person_type.label_vi,
                label_en=person_type.label_en, quantity=quantity, seats_each=person_type.seats,
                unit_price=person_type.price))
        booking.seats = sum(line.seats for line in booking.lines)
        booking.subtotal = sum(line.amount for line in booking.lines)
        db.session.add(booking)
        claim = claims.get(session.id)
        if seats.take(session.id, booking.seats, title=experience.title,
                      hold=claim.hold if claim else None, now=now):
            claim.hold.booking = booking
            hold_booked.send(claim.hold, booking=booking, now=now)


def _stars_of(experience) -> int | None:
    certificate = experience.product.current_certificate()
    return certificate.stars if certificate is not None else None


def confirm(order, now=None) -> list[Booking]:
    """Confirm the order's bookings awaiting payment and send each its ticket (caller's transaction)."""
    now, done = now or utcnow(), []
    for booking in order.bookings:
        if booking.status == BookingStatus.AWAITING_PAYMENT:
            booking.status, booking.confirmed_at = BookingStatus.CONFIRMED, now
            done.append(booking)
    for booking in done:
        send_ticket(booking)
    return done


def send_ticket(booking: Booking) -> None:
    """Write the ticket notice (``experience_ticket``) to the outbox, in the caller's transaction."""
    order, session = booking.order, booking.session
    notify.queue("experience_ticket", order.email, order.locale, order=order, booking=booking,
                 customer_name=order.name, order_number=order.number, title=booking.experience_name,
                 date=session.local_day.strftime("%d/%m/%Y"))  # Zalo and SMS read ``booking``


def release_unpaid(order, reason: str) -> int:
    """Give back the seats of the order's bookings still awaiting payment; return how many bookings."""
    return sum(seats.release(booking, reason=reason) for booking in order.bookings
               if booking.status == BookingStatus.AWAITING_PAYMENT)


OPEN = (BookingStatus.AWAITING_PAYMENT, BookingStatus.CONFIRMED)


def open_of(order) -> list[Booking]:
    """Return the order's bookings that still hold seats and may end (held or confirmed)."""
    return [booking for booking in order.bookings if booking.status in OPEN]


def past_free_change(bookings, now=None) -> bool:
    """Tell whether any of ``bookings`` is past its experience's free-cancellation deadline."""
    now = now or utcnow()
    return any(now > booking.session.starts_at - timedelta(hours=booking.experience.cancel_free_hours)
               for booking in bookings)


# What ``orders`` reaches through ``orders.hooks.bookings`` besides the functions above.
SessionFull = seats.SessionFull
set_codes = tickets.set_codes
venue_dues = money.venue_dues
