"""Seats: the one place a booking takes seats from a session and gives them back.

``ExperienceSession.seats_taken`` is moved only by one conditional UPDATE each way, so two
checkouts racing for the last seat cannot both get it, on SQLite (one writer) and PostgreSQL
(the UPDATE re-reads the row it waited for); the CHECK ``seats_taken <= capacity`` is the last
guard. None of these functions commits: they run inside the caller's unit of work.

Holds (a waitlist offer's seats, ``SeatHold``) are counted in ``seats_taken`` as well, so every
other checkout, card, picker and the API sees them as taken. A hold ends exactly once, by one
guarded UPDATE of its row (``status = 'held'``): either it becomes its person's booking
(``take(..., hold=...)`` moves its seats to the booking in the same UPDATE that checks capacity)
or its seats are given back (``end_hold``). Callers lock the session row first (placement's
``lock_sessions``, the waitlist's ``_lock``), so the session, then the hold, is the lock order.
"""
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import or_, select, update

from ..extensions import db
from ..experiences.models import ExperienceSession, SessionStatus
from ..timeutil import utcnow
from .models import Booking, BookingStatus, HoldStatus, SeatHold


class SessionFull(Exception):
    """Not enough seats are left in the session (or it is no longer open); the message is for the shopper."""

    def __init__(self, message, session_id: int | None = None):
        super().__init__(str(message))
        self.message = message
        self.session_id = session_id


def take(session_id: int, seats: int, *, title: str = "", hold: SeatHold | None = None,
         now: datetime | None = None) -> bool:
    """Take ``seats`` seats in an open session, or refuse; True when ``hold``'s seats were used.

    With a running ``hold`` of this session, its seats count towards ``seats`` (the hold ends as
    ``used``, in the same unit of work): taking fewer gives the rest back, more needs them free.
    A hold that ended meanwhile (lapsed and passed on) is not used: the seats must then be free.
    :raises SessionFull: fewer seats are left, or the session is not open.
    """
    held = (hold.seats if hold is not None and hold.session_id == session_id
            and _end(hold, HoldStatus.USED, now) else 0)
    result = db.session.execute(
        update(ExperienceSession)
        .where(ExperienceSession.id == session_id, ExperienceSession.status == SessionStatus.OPEN,
               ExperienceSession.seats_taken - held + seats <= ExperienceSession.capacity)
        .values(seats_taken=ExperienceSession.seats_taken - held + seats)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise SessionFull(_("Buổi “%(title)s” không còn đủ chỗ cho số người bạn chọn. "
                            "Vui lòng chọn buổi khác hoặc bớt số người.", title=title), session_id)
    return bool(held)


# --- holds: a waitlist offer's seats ------------------------------------------------------------

def hash_claim(token: str) -> str:
    """Return the stored form of a hold's (an offer link's) token."""
    return hashlib.sha256((token or "").encode()).hexdigest()


def hold(session_id: int, seats: int, *, token_hash: str, expires_at: datetime, user_id: int | None = None,
         now: datetime | None = None) -> SeatHold | None:
    """Hold ``seats`` seats of an open session for one person until ``expires_at``; None when fewer are left."""
    result = db.session.execute(
        update(ExperienceSession)
        .where(ExperienceSession.id == session_id, ExperienceSession.status == SessionStatus.OPEN,
               ExperienceSession.seats_taken + seats <= ExperienceSession.capacity)
        .values(seats_taken=ExperienceSession.seats_taken + seats)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        return None
    held = SeatHold(session_id=session_id, seats=seats, token_hash=token_hash, user_id=user_id,
                    status=HoldStatus.HELD, expires_at=expires_at, created_at=now or utcnow())
    db.session.add(held)
    db.session.flush()
    return held


def end_hold(held: SeatHold, *, now: datetime | None = None) -> bool:
    """Give a running hold's seats back to its session; False when it had already ended."""
    if not _end(held, HoldStatus.RELEASED, now):
        return False
    give_back(held.session_id, held.seats)
    return True


def _end(held: SeatHold, status: HoldStatus, now: datetime | None) -> bool:
    """End the hold as ``status`` if it still runs (one guarded UPDATE: it ends once, whoever races)."""
    moved = db.session.execute(
        update(SeatHold).where(SeatHold.id == held.id, SeatHold.status == HoldStatus.HELD)
        .values(status=status, ended_at=now or utcnow())
        .execution_options(synchronize_session=False)).rowcount
    db.session.refresh(held)
    return moved == 1


@dataclass(frozen=True)
class Claim:
    """A running hold and the token that claims it (the shopper arrived through its link)."""

    token: str
    hold: SeatHold


def claimable(tokens: Iterable[str], *, user_id: int | None, session_ids: Iterable[int] | None = None,
              now: datetime | None = None) -> dict[int, Claim]:
    """Return {session id: claim} for the running holds these tokens open for this shopper.

    A hold made for an account is claimed only by that account signed in (``user_id``); one made
    for a guest by whoever has its link. Lapsed holds are not claimable, even before the waitlist's
    periodic job passes them on.
    """
    by_hash = {hash_claim(token): token for token in tokens if token}
    if not by_hash:
        return {}
    query = select(SeatHold).where(
        SeatHold.token_hash.in_(list(by_hash)), SeatHold.status == HoldStatus.HELD,
        SeatHold.expires_at > (now or utcnow()),
        or_(SeatHold.user_id.is_(None), SeatHold.user_id == user_id) if user_id is not None
        else SeatHold.user_id.is_(None))
    if session_ids is not None:
        query = query.where(SeatHold.session_id.in_(list(session_ids)))
    found: dict[int, Claim] = {}
    for held in db.session.scalars(query.order_by(SeatHold.id)):
        found.setdefault(held.session_id, Claim(by_hash[held.token_hash], held))
    return found


def give_back(session_id: int, seats: int) -> None:
    """Give ``seats`` seats back to a session (never below zero)."""
    db.session.execute(
        update(ExperienceSession)
        .where(ExperienceSession.id == session_id, ExperienceSession.seats_taken >= seats)
        .values(seats_taken=ExperienceSession.seats_taken - seats)
        .execution_options(synchronize_session=False))


def release(booking: Booking, *, reason: str, now=None) -> bool:
    """Cancel a booking that still holds seats and give its seats back; False when it held none.

    The one function every end of a booking goes through: payment expired, the order or the
    session cancelled, the shopper cancelled. Safe to call twice.
    """
    if booking.status not in (BookingStatus.AWAITING_PAYMENT, BookingStatus.CONFIRMED):
        return False
    give_back(booking.session_id, booking.seats)
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = now or utcnow()
    booking.cancel_reason = reason
    return True
