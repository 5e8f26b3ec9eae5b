"""When an experience's place is closed: public holidays (Tết included) everywhere, and an outlet's closures.

Pure over plain values, like ``pickup/schedule.py``: ``occurrences`` turns a weekly pattern and its
exceptions into (day, start time, capacity) for a stretch of days, and ``closure_on`` says why a
day is not offered. The holidays come from the ``holidays`` package (``holidays.VN``), the same
source as ``storefront/workdays.py``, with their Vietnamese and English names.
"""
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time, timedelta
from functools import lru_cache

import holidays


@dataclass(frozen=True)
class Occurrence:
    """One session the pattern or an added date asks for (Hanoi day and start time)."""

    day: date
    starts_at: time
    capacity: int
    from_pattern: bool = True


@dataclass(frozen=True)
class Closed:
    """Why a day is not offered, in both languages."""

    reason: str
    reason_en: str | None = None


@lru_cache(maxsize=16)
def _holidays(year: int, language: str) -> dict:
    return dict(holidays.country_holidays("VN", years=[year], language=language))


def public_holiday(day: date) -> Closed | None:
    """Return the public holiday on ``day`` (New Year, the Tết days, 30/4, 1/5, 2/9 ...), or None."""
    name = _holidays(day.year, "vi").get(day)
    if name is None:
        return None
    return Closed(name, _holidays(day.year, "en_US").get(day))


def closure_on(day: date, closures: Iterable = (), extra_days_off: Iterable[date] = ()) -> Closed | None:
    """Return why the place is closed on ``day``, or None when it is open.

    ``closures`` are the outlet's ``OutletClosure`` rows (or anything with ``first_day``,
    ``last_day``, ``reason``, ``reason_en``); a workshop has none, but still keeps the holidays.
    """
    for closure in closures:
        if closure.first_day <= day <= closure.last_day:
            return Closed(closure.reason, closure.reason_en)
    if day in set(extra_days_off):
        return Closed("Ngày nghỉ", "Day off")
    return public_holiday(day)


def occurrences(slots: Iterable, exceptions: Iterable, first: date, last: date) -> list[Occurrence]:
    """Return the sessions asked for from ``first`` to ``last`` (both included), by start.

    A slot applies on its weekday between its ``valid_from`` and ``valid_until``; a *skip*
    exception removes the sessions of its day (all of them, or the one at its time); an *add*
    exception adds one session (it wins over a skip of the same day and time).
    """
    wanted: dict[tuple[date, time], Occurrence] = {}
    slots = list(slots)
    day = first
    while day <= last:
        for slot in slots:
            if slot.weekday == day.weekday() and (slot.valid_from is None or slot.valid_from <= day) \
                    and (slot.valid_until is None or day <= slot.valid_until):
                wanted[(day, slot.starts_at)] = Occurrence(day, slot.starts_at, slot.capacity)
        day += timedelta(days=1)
    exceptions = [e for e in exceptions if first <= e.day <= last]
    for skip in (e for e in exceptions if e.kind == "skip"):
        for key in [k for k in wanted if k[0] == skip.day and skip.starts_at in (None, k[1])]:
            del wanted[key]
    for add in (e for e in exceptions if e.kind == "add"):
        wanted[(add.day, add.starts_at)] = Occurrence(add.day, add.starts_at, add.capacity, False)
    return sorted(wanted.values(), key=lambda o: (o.day, o.starts_at))
