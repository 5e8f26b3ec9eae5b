"""Working days in Vietnam: Monday to Friday, less the public holidays (Tết included).

Legal deadlines counted in working days (a data request acknowledged within 2, a complaint answered
within 7) are counted here and nowhere else. The holidays come from the ``holidays`` package
(``holidays.VN``: New Year, the Tết days, Hùng Kings, 30 April, 1 May, National Day and the days
the government substitutes); ``EXTRA_DAYS_OFF`` (ISO dates, comma-separated) adds days a year's
decree gives off that the package does not know yet.
"""
from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays
from flask import current_app, has_app_context

from .timeutil import local_date_of


@lru_cache(maxsize=16)
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("VN", years=[year]))


def _extra_days_off() -> frozenset[date]:
    if not has_app_context():
        return frozenset()
    raw = current_app.config.get("EXTRA_DAYS_OFF") or ""
    return frozenset(date.fromisoformat(part.strip()) for part in raw.split(",") if part.strip())


def is_working_day(day: date) -> bool:
    """Tell whether ``day`` is a working day in Vietnam (not a weekend, not a public holiday)."""
    return day.weekday() < 5 and day not in _public_holidays(day.year) \
        and day not in _extra_days_off()


def add_working_days(start: date, days: int) -> date:
    """Return the ``days``-th working day after ``start`` (the day itself is not counted).

    A request received on Friday evening, a Sunday or during Tết has its first working day on the
    next day the offices open.
    """
    day = start
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def due_after(moment: datetime, days: int) -> date:
    """Return the Hanoi day by which something received at ``moment`` (naive UTC) is due."""
    return add_working_days(local_date_of(moment), days)


def working_days_between(first: date, last: date) -> int:
    """Return how many working days follow ``first`` up to and including ``last`` (0 if none)."""
    count, day = 0, first
    while day < last:
        day += timedelta(days=1)
        count += is_working_day(day)
    return count
