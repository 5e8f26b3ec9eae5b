"""Words for pickup days and opening hours, in the reader's language."""
from datetime import date

from flask_babel import format_date, gettext as _

from . import schedule

MONDAY = date(2024, 1, 1)  # weekday n is this day + n


def weekday_name(weekday: int) -> str:
    """Return the short weekday name (``Th 2`` / ``Mon``)."""
    return format_date(date.fromordinal(MONDAY.toordinal() + weekday), "EEE")


def pickup_day(day: date | None) -> str:
    """Write a pickup day the way the issue's shoppers read it: ``Thu 03/12`` / ``Th 5 03/12``."""
    if day is None:
        return ""
    return format_date(day, "EEE dd/MM")


def weekly_hours(outlet) -> dict[int, tuple[schedule.Interval, ...]]:
    """Return the outlet's hours data as weekday → intervals."""
    week: dict[int, list] = {}
    for row in outlet.hours_rows:
        week.setdefault(row.weekday, []).append(schedule.Interval(row.opens, row.closes))
    return {day: tuple(sorted(items, key=lambda i: i.opens)) for day, items in week.items()}


def week_summary(outlet) -> str:
    """Return the week as ``Th 2–Th 6 08:00–17:30; Th 7 08:00–12:00; CN nghỉ``; empty when unknown."""
    week = weekly_hours(outlet)
    if not week:
        return ""
    runs: list[tuple[int, int, str]] = []
    for weekday in range(7):
        text = schedule.format_intervals(week.get(weekday, ())) or _("nghỉ")
        if runs and runs[-1][2] == text:
            runs[-1] = (runs[-1][0], weekday, text)
        else:
            runs.append((weekday, weekday, text))
    parts = []
    for first, last, text in runs:
        days = weekday_name(first) if first == last else f"{weekday_name(first)}–{weekday_name(last)}"
        parts.append(f"{days} {text}")
    return "; ".join(parts)


def status_line(status: schedule.OpenStatus) -> str:
    """Return ``Đang mở cửa · hôm nay 08:00–17:30`` or ``Đang đóng cửa · mở lúc 08:00``."""
    if not status.hours_known:
        return "" if status.closure is None else _("Hôm nay nghỉ: %(reason)s", reason=status.closure.reason)
    if status.open_now:
        return _("Đang mở cửa · hôm nay %(hours)s", hours=schedule.format_intervals(status.today))
    text = _("Đang đóng cửa")
    if status.closure is not None:
        text = _("Hôm nay nghỉ: %(reason)s", reason=status.closure.reason)
    if status.next_opening is None:
        return text
    today = status.next_opening.date() == status.day
    when = (_("mở lúc %(time)s", time=f"{status.next_opening:%H:%M}") if today else
            _("mở lại %(day)s lúc %(time)s", day=pickup_day(status.next_opening.date()),
              time=f"{status.next_opening:%H:%M}"))
    return f"{text} · {when}"

