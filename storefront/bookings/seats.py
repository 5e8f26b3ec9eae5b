"""Seats: the one place a booking takes seats from a session and gives them back.

``ExperienceSession.seats_taken`` is moved only by one conditional UPDATE each way, so two
checkouts racing for the last seat cannot both get it, on SQLite (one writer) and PostgreSQL
(the UPDATE re-reads the row it waited for); the CHECK ``seats_taken <= capacity`` is the last
guard. Neither function commits: they run inside the caller's unit of work.
"""
from flask_babel import gettext as _
from sqlalchemy import update

from ..extensions import db
from ..experiences.models import ExperienceSession, SessionStatus
from ..timeutil import utcnow
from .models import Booking, BookingStatus


class SessionFull(Exception):
    """Not enough seats are left in the session (or it is no longer open); the message is for the shopper."""

    def __init__(self, message, session_id: int | None = None):
        super().__init__(str(message))
        self.message = message
        self.session_id = session_id


def take(session_id: int, seats: int, *, title: str = "") -> None:
    """Take ``seats`` seats in an open session, or refuse.

    :raises SessionFull: fewer seats are left, or the session is not open.
    """
    result = db.session.execute(
        update(ExperienceSession)
        .where(ExperienceSession.id == session_id, ExperienceSession.status == SessionStatus.OPEN,
               ExperienceSession.seats_taken + seats <= ExperienceSession.capacity)
        .values(seats_taken=ExperienceSession.seats_taken + seats)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise SessionFull(_("Buổi “%(title)s” không còn đủ chỗ cho số người bạn chọn. "
                            "Vui lòng chọn buổi khác hoặc bớt số người.", title=title), session_id)


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
