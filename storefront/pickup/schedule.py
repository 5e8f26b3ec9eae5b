"""The ready-day rule, in one place: when a pickup can be ready and which days a shopper may choose.

Pure functions over plain values; the clock is always passed in (``now``, naive UTC as the
database keeps it, or timezone-aware). The shop's calendar is Hanoi's.

The rule: an order placed at or after the daily cut-off counts as placed the next day. Each
line's producer needs its lead time in days from then, and brings the goods on the first day
after that which is one of its delivery weekdays and on which the outlet is open. The pickup
is ready on the latest of its lines' drop-off days; the shopper may choose that day or any
later open day up to ``ahead`` days from today, except closures and full days.
"""
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
ALL_WEEKDAYS = frozenset(range(7))  # Monday is 0, as in ``date.weekday()``
SEARCH_DAYS = 120  # past this nothing is offered: the outlet is closed or full for months


@dataclass(frozen=True)
class Interval:
    """One stretch of opening on a day, e.g. 08:00–12:00."""

    opens: time
    closes: time

    def holds(self, moment: time) -> bool:
        return self.opens <= moment < self.closes


@dataclass(frozen=True)
class Closure:
    """Days the outlet is closed (both ends included), with the reason shown to shoppers."""

    first: date
    last: date
    reason: str = ""

    def covers(self, day: date) -> bool:
        return self.first <= day <= self.last


@dataclass(frozen=True)
class OutletCalendar:
    """An outlet's week, its closures, its daily pickup capacity and the pickups already booked.

    ``hours`` maps a weekday to its intervals; an empty mapping means the hours were never
    entered, and the outlet counts as open every day (a weekday absent from a non-empty mapping
    is a closed day).
    """

    hours: Mapping[int, tuple[Interval, ...]] = field(default_factory=dict)
    closures: tuple[Closure, ...] = ()
    capacity: int | None = None
    booked: Mapping[date, int] = field(default_factory=dict)

    def closure_on(self, day: date) -> Closure | None:
        return next((c for c in self.closures if c.covers(day)), None)

    def intervals_on(self, day: date) -> tuple[Interval, ...]:
        if self.closure_on(day) is not None:
            return ()
        return tuple(self.hours.get(day.weekday(), ()))

    def is_open_on(self, day: date) -> bool:
        if self.closure_on(day) is not None:
            return False
        return not self.hours or bool(self.hours.get(day.weekday()))

    def is_full_on(self, day: date) -> bool:
        return self.capacity is not None and self.booked.get(day, 0) >= self.capacity

    def takes_pickups_on(self, day: date) -> bool:
        return self.is_open_on(day) and not self.is_full_on(day)


@dataclass(frozen=True)
class Supply:
    """What one line needs: its producer's lead time in days and the weekdays it delivers."""

    lead_days: int
    weekdays: frozenset[int] = ALL_WEEKDAYS


def local(now: datetime) -> datetime:
    """Return ``now`` as Hanoi wall-clock time (a naive ``now`` is taken as UTC)."""
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    return now.astimezone(HANOI)


def order_day(now: datetime, cutoff: time) -> date:
    """Return the day an order placed at ``now`` counts from: the next day at or after the cut-off."""
    moment = local(now)
    return moment.date() + timedelta(days=1) if moment.time() >= cutoff else moment.date()


def _first(start: date, good) -> date | None:
    for offset in range(SEARCH_DAYS):
        day = start + timedelta(days=offset)
        if good(day):
            return day
    return None


def dropoff_day(supply: Supply, calendar: OutletCalendar, counted_from: date) -> date | None:
    """Return the first day the producer can bring a line: lead time passed, a delivery day, outlet open."""
    start = counted_from + timedelta(days=max(supply.lead_days, 0))
    weekdays = supply.weekdays or ALL_WEEKDAYS
    return _first(start, lambda d: d.weekday() in weekdays and calendar.is_open_on(d))


def ready_day(now: datetime, supplies: Iterable[Supply], calendar: OutletCalendar,
              cutoff: time) -> date | None:
    """Return the earliest day a pickup of these lines can be collected, or ``None`` if none is near."""
    counted_from = order_day(now, cutoff)
    latest = counted_from
    for supply in supplies:
        day = dropoff_day(supply, calendar, counted_from)
        if day is None:
            return None
        latest = max(latest, day)
    return _first(latest, calendar.takes_pickups_on)


def pickup_days(now: datetime, supplies: Iterable[Supply], calendar: OutletCalendar, cutoff: time,
                ahead: int = 14) -> list[date]:
    """Return the days a shopper may choose: from the ready day, open and not full, ``ahead`` days on.

    When the ready day itself lies beyond ``ahead`` days, it is the only choice.
    """
    earliest = ready_day(now, supplies, calendar, cutoff)
    if earliest is None:
        return []
    last = max(local(now).date() + timedelta(days=ahead), earliest)
    return [earliest + timedelta(days=n) for n in range((last - earliest).days + 1)
            if calendar.takes_pickups_on(earliest + timedelta(days=n))]


def window_last_day(calendar: OutletCalendar, start: date, open_days: int) -> date:
    """Return the last day of a pickup window of ``open_days`` open days starting on ``start``.

    Capacity does not matter here: a booked shopper may always come. If the outlet is closed for
    the whole search range, the window ends ``open_days`` calendar days on.
    """
    counted = 0
    for offset in range(SEARCH_DAYS * 3):
        day = start + timedelta(days=offset)
        if calendar.is_open_on(day):
            counted += 1
            if counted >= max(open_days, 1):
                return day
    return start + timedelta(days=max(open_days, 1) - 1)


@dataclass(frozen=True)
class OpenStatus:
    """What a shopper wants to know now: open or not, today's hours, and when it next opens."""

    open_now: bool
    today: tuple[Interval, ...]
    closure: Closure | None
    next_opening: datetime | None  # Hanoi wall-clock time
    hours_known: bool
    day: date  # today in Hanoi


def open_status(calendar: OutletCalendar, now: datetime) -> OpenStatus:
    """Tell whether the outlet is open at ``now`` and, if not, when it next opens."""
    moment = local(now)
    today = moment.date()
    intervals = calendar.intervals_on(today)
    if not calendar.hours:
        return OpenStatus(calendar.is_open_on(today), (), calendar.closure_on(today), None, False,
                          today)
    is_open = any(i.holds(moment.time()) for i in intervals)
    return OpenStatus(is_open, intervals, calendar.closure_on(today),
                      None if is_open else _next_opening(calendar, moment), True, today)


def _next_opening(calendar: OutletCalendar, moment: datetime) -> datetime | None:
    for offset in range(SEARCH_DAYS):
        day = moment.date() + timedelta(days=offset)
        for interval in calendar.intervals_on(day):
            start = datetime.combine(day, interval.opens, HANOI)
            if start > moment:
                return start
    return None


def parse_intervals(text: str) -> tuple[Interval, ...]:
    """Read ``"08:00-12:00, 13:30-17:30"`` (en dash also accepted) into intervals, in order.

    :raises ValueError: a part is not ``HH:MM-HH:MM``, closes before it opens, or overlaps another.
    """
    intervals = []
    for part in filter(None, (p.strip() for p in (text or "").replace("–", "-").split(","))):
        opens_text, sep, closes_text = part.partition("-")
        if not sep:
            raise ValueError(part)
        opens, closes = _hhmm(opens_text), _hhmm(closes_text)
        if closes <= opens:
            raise ValueError(part)
        intervals.append(Interval(opens, closes))
    intervals.sort(key=lambda i: i.opens)
    for before, after in zip(intervals, intervals[1:]):
        if after.opens < before.closes:
            raise ValueError(text)
    return tuple(intervals)


def _hhmm(text: str) -> time:
    hours, sep, minutes = text.strip().partition(":")
    if not (hours.isdigit() and minutes.isdigit() and sep and len(minutes) == 2):
        raise ValueError(text)
    return time(int(hours), int(minutes))


def format_intervals(intervals: Iterable[Interval]) -> str:
    return ", ".join(f"{i.opens:%H:%M}–{i.closes:%H:%M}" for i in intervals)
