"""The waitlist of a full session: join it, hold freed seats for the first in line, pass them on.

Seats free up when a booking is cancelled or moved away (``services.py`` calls ``offer_next`` in
its transaction) or when seats held for a payment are released at its deadline (the periodic
``sweep`` finds those). The first in line whose seats fit is offered them with a link that lasts
``OFFER_MINUTES``; strictly in order, so a later, smaller request never jumps the line.

While an offer runs, its seats are **held** for that person (``bookings.seats.hold``, a
``SeatHold`` counted in the session's ``seats_taken``): every other shopper sees them as taken.
The offered person, through the link (``views.offer``, which remembers the token in the browser)
and, when the entry belongs to an account, signed in as it, books them through the cart; at
placement the hold becomes the booking (``seats.take`` with the hold: never counted twice) and
the offer closes as booked in the same transaction (``close_booked_offer``, which receives
``bookings.signals.hold_booked``: bookings cannot import the waitlist). An offer unused when it
lapses (the periodic ``sweep``), or declined (``decline``), gives its seats back and they are
held for the next in line at once, or go back on sale when nobody waits.

Locks: the session row first (``_lock``, as placement's ``lock_sessions``), then the holds.
"""
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from ..catalog.links import absolute_url
from ..experiences.models import ExperienceSession, SessionStatus
from ..experiences.sessions import booking_closes_at
from ..extensions import db
from ..notifications import channels, services as notify
from ..orders.models import Order
from ..timeutil import utcnow
from ..unit_of_work import transaction
from ..bookings import seats
from ..bookings.models import Booking, BookingStatus, HoldStatus
from .models import IN_LINE, WaitlistEntry, WaitlistStatus

OFFER_MINUTES = 120
W = WaitlistStatus
BOOKED_STATUSES = (BookingStatus.AWAITING_PAYMENT, BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN)


class WaitlistError(Exception):
    """Joining or using the waitlist cannot be done; the message is for the shopper."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class SessionNotFull(WaitlistError):
    """The session still has the seats asked for: book them instead."""


class NotWaitable(WaitlistError):
    """The session is cancelled, not offered, or booking for it has closed."""


class AlreadyInLine(WaitlistError):
    """This shopper is already waiting for this session."""


class NoWayToTell(WaitlistError):
    """Neither an e-mail nor (with Zalo or SMS on) a phone to tell the shopper by."""


class OfferNotValid(WaitlistError):
    """The offer link is unknown, used, or has lapsed."""


class OfferBooked(OfferNotValid):
    """The offer's held seats were booked: the link has done its work."""


@dataclass(frozen=True)
class Contact:
    """Who waits: a name and an e-mail or a phone (both for a signed-in shopper's account)."""

    name: str
    email: str | None = None
    phone: str | None = None
    locale: str = "vi"
    user: object | None = None


hash_token = seats.hash_claim  # the offer link's token, stored only as this hash (entry and hold)


def _lock(session: ExperienceSession) -> None:
    """Lock and reload the session row: joins and offers for one session take turns."""
    db.session.refresh(session, with_for_update=True)


def join(session: ExperienceSession, contact: Contact, seats: int, *, now: datetime | None = None) -> WaitlistEntry:
    """Put the shopper at the end of the session's line for ``seats`` seats.

    :raises NotWaitable: the session is not open or booking for it has closed.
    :raises SessionNotFull: the seats are there to book.
    :raises AlreadyInLine: the same e-mail, phone or account is already waiting.
    :raises NoWayToTell: no e-mail, and no phone the shop can message.
    """
    now = now or utcnow()
    if not contact.email and not (contact.phone and channels.on()):
        raise NoWayToTell(_("Hãy cho chúng tôi địa chỉ e-mail để báo khi có chỗ."))
    with transaction():
        _lock(session)
        if session.status != SessionStatus.OPEN or now >= booking_closes_at(session):
            raise NotWaitable(_("Buổi này không còn nhận đặt chỗ."))
        if session.seats_left >= seats:
            raise SessionNotFull(_("Buổi này vẫn còn chỗ: bạn có thể đặt ngay."))
        if _in_line(session, contact):
            raise AlreadyInLine(_("Bạn đã có tên trong danh sách chờ của buổi này."))
        entry = WaitlistEntry(session=session, user=contact.user, name=contact.name,
                              email=contact.email or None, phone=contact.phone or None,
                              locale=contact.locale, seats=seats, status=W.WAITING, created_at=now)
        db.session.add(entry)
    return entry


def _in_line(session: ExperienceSession, contact: Contact) -> bool:
    same = [WaitlistEntry.email == contact.email] if contact.email else []
    same += [WaitlistEntry.phone == contact.phone] if contact.phone else []
    same += [WaitlistEntry.user_id == contact.user.id] if contact.user is not None else []
    return db.session.scalar(select(func.count(WaitlistEntry.id)).where(
        WaitlistEntry.session_id == session.id, WaitlistEntry.status.in_(list(IN_LINE)),
        or_(*same))) > 0


def position(entry: WaitlistEntry) -> int:
    """Return the entry's place in its line (1 = next to be told)."""
    return db.session.scalar(select(func.count(WaitlistEntry.id)).where(
        WaitlistEntry.session_id == entry.session_id, WaitlistEntry.status.in_(list(IN_LINE)),
        WaitlistEntry.id <= entry.id))


# --- offers (in the caller's transaction) -------------------------------------------------------

def offer_next(session: ExperienceSession, *, now: datetime | None = None) -> list[WaitlistEntry]:
    """Hold free seats for the first in line, then the next, as long as they cover their requests.

    Offers whose hold was booked close as booked; lapsed offers give their seats back and pass
    on first; entries whose shopper has booked the session meanwhile leave the line (their hold,
    if any, given back). Returns the entries offered now. Runs in the caller's transaction.
    """
    now = now or utcnow()
    _lock(session)
    if session.status != SessionStatus.OPEN or now >= booking_closes_at(session):
        close_line(session, now=now)
        return []
    line = db.session.scalars(select(WaitlistEntry).where(
        WaitlistEntry.session_id == session.id, WaitlistEntry.status.in_(list(IN_LINE)))
        .order_by(WaitlistEntry.id)).all()
    for entry in line:  # the holds as they are now, under the session's lock
        if entry.hold is not None:
            db.session.refresh(entry.hold)
    _settle(session, line, now)
    db.session.refresh(session)  # the seats given back above (held ones are counted as taken)
    free = session.seats_left
    told = []
    for entry in (e for e in line if e.status == W.WAITING):
        if entry.seats > free:
            break  # strictly in order: the first in line is offered before anyone behind
        if not _offer(entry, now):
            break
        free -= entry.seats
        told.append(entry)
    return told


def _settle(session: ExperienceSession, line: list[WaitlistEntry], now: datetime) -> None:
    """Close offers whose hold was booked, entries whose shopper has booked, offers that lapsed."""
    booked = _booked_contacts(session)
    for entry in line:
        hold = entry.hold if entry.status == W.OFFERED else None
        if hold is not None and hold.status == HoldStatus.USED:
            entry.status, entry.closed_at = W.BOOKED, now
        elif {entry.email, entry.phone, entry.user_id} & booked:
            _release(entry, now)
            entry.status, entry.closed_at = W.BOOKED, now
        elif entry.status == W.OFFERED and entry.offer_expires_at <= now:
            if not _release(entry, now) and entry.hold is not None:
                # The hold ended before this guarded release: a checkout may have just booked it
                # (where the database has no row locks, SQLite, it can commit in between).
                db.session.refresh(entry.hold)
            booked_it = entry.hold is not None and entry.hold.status == HoldStatus.USED
            entry.status, entry.closed_at = (W.BOOKED if booked_it else W.EXPIRED), now


def _release(entry: WaitlistEntry, now: datetime) -> bool:
    """Give the seats the entry's offer holds back to the session; False when none were held."""
    return entry.hold is not None and seats.end_hold(entry.hold, now=now)


def _booked_contacts(session: ExperienceSession) -> set:
    rows = db.session.execute(
        select(Order.email, Order.phone, Order.user_id).join(Booking, Booking.order_id == Order.id)
        .where(Booking.session_id == session.id, Booking.status.in_(list(BOOKED_STATUSES)))).all()
    return {value for row in rows for value in row if value is not None}


def _offer(entry: WaitlistEntry, now: datetime) -> bool:
    """Hold the entry's seats and send the offer with its link; False when they cannot be held."""
    # 72 random bits: enough for a link that works 120 minutes, short enough for one SMS.
    token = secrets.token_urlsafe(9)
    expires = now + timedelta(minutes=OFFER_MINUTES)
    hold = seats.hold(entry.session_id, entry.seats, token_hash=hash_token(token), expires_at=expires,
                      user_id=entry.user_id, now=now)
    if hold is None:
        return False
    entry.status, entry.token_hash, entry.hold = W.OFFERED, hash_token(token), hold
    entry.offered_at, entry.offer_expires_at = now, expires
    session = entry.session
    # Zalo's and the SMS's parameters (the hold's deadline too) come from the entry and session
    # (``notifications.events``), as a transfer's deadline comes from its order.
    notify.queue("waitlist_offer", entry.email or "", entry.locale, None, entry=entry,
                 session=session, experience=session.experience, phone=entry.phone,
                 link=absolute_url("shop.waitlist_offer", token=token),
                 short_link=absolute_url("shop.waitlist_short_link", token=token),
                 decline_link=absolute_url("shop.decline_waitlist_offer", token=token),
                 minutes=OFFER_MINUTES)
    return True


def close_line(session: ExperienceSession, *, now: datetime | None = None) -> int:
    """Take everyone still in line off it (the session was cancelled or has closed for booking).

    Seats still held for an offer go back to the session.
    """
    now = now or utcnow()
    line = db.session.scalars(select(WaitlistEntry).where(
        WaitlistEntry.session_id == session.id, WaitlistEntry.status.in_(list(IN_LINE)))).all()
    for entry in line:
        _release(entry, now)
        entry.status, entry.closed_at = W.LEFT, now
    return len(line)


def close_booked_offer(hold, *, booking=None, now: datetime | None = None) -> WaitlistEntry | None:
    """Close the running offer whose held seats a booking has just taken, as booked.

    Receives ``bookings.signals.hold_booked`` inside placement's transaction, which holds the
    session's row (``lock_sessions``), so no sweep or decline of this line runs meanwhile.
    Returns the entry closed, or None when no running offer held those seats.
    """
    entry = db.session.scalar(select(WaitlistEntry).where(
        WaitlistEntry.hold_id == hold.id, WaitlistEntry.status == W.OFFERED))
    if entry is not None:
        entry.status, entry.closed_at = W.BOOKED, now or utcnow()
    return entry


def offered_entry(token: str, *, now: datetime | None = None) -> WaitlistEntry:
    """Return the running offer a link's token opens.

    :raises OfferBooked: its held seats were booked already.
    :raises OfferNotValid: unknown, passed on, declined, or lapsed.
    """
    now = now or utcnow()
    entry = db.session.scalar(select(WaitlistEntry).where(WaitlistEntry.token_hash == hash_token(token or "")))
    if entry is not None and (entry.status == W.BOOKED or (
            entry.hold is not None and entry.hold.status == HoldStatus.USED)):
        raise OfferBooked(_("Bạn đã đặt những chỗ được giữ theo lời mời này."))
    if entry is None or entry.status != W.OFFERED or entry.offer_expires_at <= now:
        raise OfferNotValid(_("Lời mời này không còn hiệu lực: đã hết hạn hoặc đã chuyển cho "
                              "người tiếp theo trong danh sách chờ."))
    return entry


def decline(token: str, *, now: datetime | None = None) -> WaitlistEntry:
    """Decline a running offer: its held seats go to the next in line at once (or back on sale).

    :raises OfferNotValid: the link is unknown, booked, passed on, declined or lapsed.
    """
    now = now or utcnow()
    with transaction():
        session = offered_entry(token, now=now).session
        _lock(session)
        entry = db.session.scalar(select(WaitlistEntry).where(WaitlistEntry.token_hash == hash_token(token))
                                  .execution_options(populate_existing=True))
        if entry.hold is not None:
            db.session.refresh(entry.hold)
        entry = offered_entry(token, now=now)  # again under the session's lock: a checkout may have won
        _release(entry, now)
        entry.status, entry.closed_at = W.LEFT, now
        offer_next(session, now=now)
    return entry


def sweep(*, now: datetime | None = None) -> int:
    """Pass lapsed offers (and their held seats) on, offer seats freed outside a change, close lines.

    The periodic job; returns how many shoppers were offered seats. One transaction per session.
    """
    now = now or utcnow()
    session_ids = db.session.scalars(
        select(WaitlistEntry.session_id).where(WaitlistEntry.status.in_(list(IN_LINE)))
        .distinct().order_by(WaitlistEntry.session_id)).all()
    told = 0
    for session_id in session_ids:
        with transaction():
            told += len(offer_next(db.session.get(ExperienceSession, session_id), now=now))
    return told
