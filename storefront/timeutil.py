"""Clock helpers: the database keeps naive UTC; the shop's calendar is Hanoi's."""
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


_CLOCK: ContextVar[datetime | None] = ContextVar("clock", default=None)


def utcnow() -> datetime:
    """Return the current time as naive UTC, the form every DateTime column stores."""
    return _CLOCK.get() or datetime.now(timezone.utc).replace(tzinfo=None)


def local_today() -> date:
    """Return today's date in Hanoi, the calendar certificates expire by."""
    moment = _CLOCK.get()
    return local_date_of(moment) if moment is not None else datetime.now(HANOI).date()


@contextmanager
def clock_at(moment: datetime):
    """Run the block as if it were ``moment`` (naive UTC): how the demo writes weeks of history
    through the real use cases. Only this context sees it; tests use time-machine instead."""
    token = _CLOCK.set(moment)
    try:
        yield
    finally:
        _CLOCK.reset(token)


def utc_start_of(day: date) -> datetime:
    """Return the naive UTC instant at which ``day`` begins in Hanoi."""
    return datetime.combine(day, time.min, HANOI).astimezone(timezone.utc).replace(tzinfo=None)


def local_date_of(moment: datetime) -> date:
    """Return the Hanoi calendar day of a naive UTC instant."""
    return moment.replace(tzinfo=timezone.utc).astimezone(HANOI).date()


def add_months(day: date, months: int) -> date:
    """Return ``day`` moved by whole months, clamped to the month's last day (29 Feb + 12 → 28 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(f"cannot move {day} by {months} months")


def as_day(value) -> date | None:
    """Return a date from a date or an ISO ``YYYY-MM-DD`` string; ``None`` for anything else."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None
