"""How a session's taken seats divide: booked by orders, and held for waitlist offers.

``ExperienceSession.seats_taken`` counts both (``seats.py``); the producer's schedule and
dashboard (``templates/experiences/producer_*.html``, through the template globals
``session_seats`` and ``experience_seats`` that ``producer_views`` registers) show them apart,
counted here from the rows themselves: bookings that hold seats (``models.HOLDING``) and
running holds (``SeatHold``, ``held``). Experiences cannot import bookings, so its templates
ask here.
"""
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select

from ..experiences.models import ExperienceSession, SessionStatus
from ..extensions import db
from ..timeutil import utcnow
from .models import HOLDING, Booking, HoldStatus, SeatHold


@dataclass(frozen=True)
class SeatCount:
    """Seats booked by orders and seats held for a waitlist offer (together: ``seats_taken``)."""

    booked: int = 0
    held: int = 0


def _by(key, *sessions_where) -> dict[int, SeatCount]:
    """{key: SeatCount} over the sessions ``sessions_where`` selects, ``key`` a session column."""
    booked = db.session.execute(
        select(key, func.sum(Booking.seats)).join(Booking, Booking.session_id == ExperienceSession.id)
        .where(*sessions_where, Booking.status.in_(list(HOLDING))).group_by(key)).all()
    held = dict(db.session.execute(
        select(key, func.sum(SeatHold.seats)).join(SeatHold, SeatHold.session_id == ExperienceSession.id)
        .where(*sessions_where, SeatHold.status == HoldStatus.HELD).group_by(key)).all())
    found = {k: SeatCount(int(n or 0), int(held.pop(k, 0) or 0)) for k, n in booked}
    found.update((k, SeatCount(0, int(n or 0))) for k, n in held.items())
    return found


def of_sessions(sessions: Iterable[ExperienceSession]) -> dict[int, SeatCount]:
    """Return {session id: SeatCount} for each of these sessions."""
    ids = [session.id for session in sessions]
    found = _by(ExperienceSession.id, ExperienceSession.id.in_(ids)) if ids else {}
    return {id_: found.get(id_, SeatCount()) for id_ in ids}


def of_experiences(experiences: Iterable, *, now=None) -> dict[int, SeatCount]:
    """Return {experience id: SeatCount} over each experience's open sessions still to start."""
    ids = [experience.id for experience in experiences]
    found = _by(ExperienceSession.experience_id, ExperienceSession.experience_id.in_(ids),
                ExperienceSession.status == SessionStatus.OPEN,
                ExperienceSession.starts_at > (now or utcnow())) if ids else {}
    return {id_: found.get(id_, SeatCount()) for id_ in ids}
