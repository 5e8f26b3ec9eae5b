"""Sessions: made from the pattern for the next weeks, offered until the cut-off, cancelled by the producer.

``materialise`` keeps an experience's session rows in step with its pattern, exceptions and the
place's closures for ``weeks_ahead`` weeks: it runs when a producer saves the schedule and daily
from the worker (``refresh_all``). A session someone has booked is never removed or closed by it:
only ``cancel_session`` ends it, and tells booking through ``signals.session_cancelled``.
"""
from datetime import date, datetime, timedelta, timezone

from flask import current_app, has_app_context
from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..timeutil import HANOI, local_today, utcnow
from ..unit_of_work import transaction
from . import calendar
from .errors import SessionNotCancellable
from .models import Experience, ExperienceSession, PlaceKind, SessionStatus
from .signals import session_cancelled


def utc_start(day: date, at) -> datetime:
    """Return the naive UTC instant of ``at`` o'clock on ``day`` in Hanoi."""
    return datetime.combine(day, at, HANOI).astimezone(timezone.utc).replace(tzinfo=None)


def booking_closes_at(session: ExperienceSession) -> datetime:
    """Return the last instant (naive UTC) a seat can be booked: the start less the cut-off."""
    return session.starts_at - timedelta(minutes=session.experience.cutoff_minutes)


def is_bookable(session: ExperienceSession, now: datetime | None = None) -> bool:
    """Tell whether a shopper may book ``session`` now: open, seats left, before the cut-off."""
    now = now or utcnow()
    return (session.status == SessionStatus.OPEN and session.seats_left > 0
            and now < booking_closes_at(session))


def _extra_days_off() -> list[date]:
    raw = (current_app.config.get("EXTRA_DAYS_OFF") or "") if has_app_context() else ""
    return [date.fromisoformat(part.strip()) for part in raw.split(",") if part.strip()]


def _closures(experience: Experience) -> list:
    if experience.place_kind == PlaceKind.OUTLET and experience.outlet is not None:
        return list(getattr(experience.outlet, "closures", []))
    return []


def materialise(experience: Experience, *, today: date | None = None, now: datetime | None = None) -> None:
    """Bring the experience's future session rows in step with its schedule (no commit).

    A wanted session on a closed day is kept as ``closed`` (never offered, shown to the producer
    with the reason); one no longer wanted is deleted unless seats are taken in it.
    """
    today, now = today or local_today(), now or utcnow()
    last = today + timedelta(weeks=experience.weeks_ahead) - timedelta(days=1)
    wanted = calendar.occurrences(experience.slots, experience.exceptions, today, last)
    closures, days_off = _closures(experience), _extra_days_off()
    existing = {s.starts_at: s for s in db.session.scalars(
        select(ExperienceSession).where(ExperienceSession.experience_id == experience.id,
                                        ExperienceSession.starts_at > now))}
    duration = timedelta(minutes=experience.duration_minutes)
    for occurrence in wanted:
        start = utc_start(occurrence.day, occurrence.starts_at)
        if start <= now:
            continue
        session = existing.pop(start, None)
        if session is None:
            session = ExperienceSession(experience=experience, starts_at=start, day=occurrence.day)
            db.session.add(session)
        _fill(session, occurrence, start + duration,
              calendar.closure_on(occurrence.day, closures, days_off))
    for session in existing.values():  # no longer asked for
        if session.seats_taken == 0 and session.status != SessionStatus.CANCELLED:
            db.session.delete(session)


def _fill(session: ExperienceSession, occurrence, ends_at: datetime, closed) -> None:
    session.ends_at = ends_at
    session.capacity = max(occurrence.capacity, session.seats_taken or 0)
    session.from_pattern = occurrence.from_pattern
    if session.status == SessionStatus.CANCELLED or (session.seats_taken or 0) > 0:
        return  # a cancelled session stays so; a booked one is ended only by cancel_session
    if closed is None:
        session.status, session.closed_reason, session.closed_reason_en = SessionStatus.OPEN, None, None
    else:
        session.status = SessionStatus.CLOSED
        session.closed_reason, session.closed_reason_en = closed.reason[:200], (closed.reason_en or "")[:200] or None


def refresh(experience: Experience, *, today: date | None = None) -> None:
    """Make the experience's sessions for the coming weeks, as one unit of work."""
    with transaction():
        materialise(experience, today=today)


def refresh_all(*, today: date | None = None) -> int:
    """Make every experience's sessions for the coming weeks (the daily job); return how many experiences."""
    ids = db.session.scalars(select(Experience.id).order_by(Experience.id)).all()
    for experience_id in ids:
        with transaction():
            materialise(db.session.get(Experience, experience_id), today=today)
    return len(ids)


def cancel_session(session: ExperienceSession, *, by, reason: str = "", now: datetime | None = None) -> None:
    """Cancel a session: nobody can book it any more, and everyone booked is told and refunded.

    Sends ``signals.session_cancelled`` inside the transaction, so what its receivers write
    (refunds owed, notices) commits with the cancellation or not at all.
    :raises SessionNotCancellable: when the session is not open or has already started.
    """
    now = now or utcnow()
    with transaction():
        db.session.refresh(session, with_for_update=True)
        if session.status != SessionStatus.OPEN or session.starts_at <= now:
            raise SessionNotCancellable(_("Buổi này không thể huỷ: đã huỷ, không tổ chức hoặc đã bắt đầu."))
        session.status = SessionStatus.CANCELLED
        session.cancelled_at, session.cancel_reason = now, (reason or "").strip() or None
        session.cancelled_by_id = getattr(by, "id", None)
        session_cancelled.send(session, by=by, reason=session.cancel_reason)
