"""The ready-day rule (storefront/pickup/schedule.py) on a frozen Hanoi clock.

Mon 30/11/2026 is the reference week: Thu 03/12, Sat 05/12, Sun 06/12.
"""
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

import time_machine

from storefront.pickup import schedule
from storefront.pickup.schedule import Closure, Interval, OutletCalendar, Supply
from storefront.timeutil import utcnow

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
CUTOFF = time(17, 0)
DAY = (Interval(time(8, 0), time(17, 30)),)
WEEKDAYS_ONLY = OutletCalendar(hours={d: DAY for d in range(5)})  # Mon–Fri
EVERY_DAY = OutletCalendar(hours={d: DAY for d in range(7)})


def hanoi(y, m, d, hh=10, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=HANOI)


def ready(now, supplies, calendar=EVERY_DAY):
    return schedule.ready_day(now, supplies, calendar, CUTOFF)


def test_lead_time_counts_from_the_order_day():
    assert ready(hanoi(2026, 11, 30), [Supply(2)]) == date(2026, 12, 2)


def test_an_order_at_or_after_the_cutoff_counts_from_the_next_day():
    assert ready(hanoi(2026, 11, 30, 16, 59), [Supply(2)]) == date(2026, 12, 2)
    assert ready(hanoi(2026, 11, 30, 17, 0), [Supply(2)]) == date(2026, 12, 3)


def test_the_cutoff_is_hanoi_time_even_from_a_utc_clock():
    # 09:30 UTC is 16:30 in Hanoi (before the cut-off); 10:30 UTC is 17:30 (after it).
    with time_machine.travel(datetime(2026, 11, 30, 9, 30, tzinfo=timezone.utc), tick=False):
        assert ready(utcnow(), [Supply(2)]) == date(2026, 12, 2)
    with time_machine.travel(datetime(2026, 11, 30, 10, 30, tzinfo=timezone.utc), tick=False):
        assert ready(utcnow(), [Supply(2)]) == date(2026, 12, 3)


def test_late_evening_utc_is_already_tomorrow_in_hanoi():
    # 18:00 UTC Monday is 01:00 Tuesday in Hanoi: counted from Tuesday, before its cut-off.
    with time_machine.travel(datetime(2026, 11, 30, 18, 0, tzinfo=timezone.utc), tick=False):
        assert ready(utcnow(), [Supply(1)]) == date(2026, 12, 2)


def test_weekend_closed_outlet_moves_the_day_to_monday():
    # Thursday after the cut-off: counts from Friday, lead 1 → Saturday, closed → Monday.
    assert ready(hanoi(2026, 12, 3, 18), [Supply(1)], WEEKDAYS_ONLY) == date(2026, 12, 7)


def test_the_slowest_line_decides_the_pickup():
    assert ready(hanoi(2026, 11, 30), [Supply(0), Supply(3), Supply(1)]) == date(2026, 12, 3)


def test_zero_lead_time_before_cutoff_is_ready_today():
    assert ready(hanoi(2026, 11, 30, 9), [Supply(0)]) == date(2026, 11, 30)


def test_delivery_weekdays_wait_for_the_producers_next_round():
    tuesdays_and_fridays = Supply(1, frozenset({1, 4}))
    # Monday + 1 = Tuesday, a delivery day.
    assert ready(hanoi(2026, 11, 30), [tuesdays_and_fridays]) == date(2026, 12, 1)
    # Wednesday + 1 = Thursday → Friday.
    assert ready(hanoi(2026, 12, 2), [tuesdays_and_fridays]) == date(2026, 12, 4)


def test_a_delivery_day_on_which_the_outlet_is_closed_is_skipped():
    saturday_only = Supply(1, frozenset({5, 0}))  # Saturday and Monday
    assert ready(hanoi(2026, 12, 3), [saturday_only], WEEKDAYS_ONLY) == date(2026, 12, 7)


def test_closures_are_skipped_and_a_long_closure_pushes_far():
    tet = Closure(date(2026, 12, 2), date(2026, 12, 6), "Nghỉ Tết")
    calendar = OutletCalendar(hours=EVERY_DAY.hours, closures=(tet,))
    assert ready(hanoi(2026, 11, 30), [Supply(2)], calendar) == date(2026, 12, 7)
    assert not calendar.is_open_on(date(2026, 12, 4))
    assert calendar.is_open_on(date(2026, 12, 7))


def test_full_days_cannot_be_chosen_and_are_not_the_ready_day():
    calendar = OutletCalendar(hours=EVERY_DAY.hours, capacity=2,
                              booked={date(2026, 12, 2): 2, date(2026, 12, 3): 1})
    assert ready(hanoi(2026, 11, 30), [Supply(2)], calendar) == date(2026, 12, 3)
    days = schedule.pickup_days(hanoi(2026, 11, 30), [Supply(2)], calendar, CUTOFF, ahead=4)
    assert days == [date(2026, 12, 3), date(2026, 12, 4)]


def test_choices_run_from_the_ready_day_to_fourteen_days_ahead_on_open_days():
    days = schedule.pickup_days(hanoi(2026, 11, 30), [Supply(2)], WEEKDAYS_ONLY, CUTOFF)
    assert days[0] == date(2026, 12, 2)
    assert days[-1] == date(2026, 12, 14)  # Monday 30/11 + 14
    assert all(d.weekday() < 5 for d in days)
    assert len(days) == 9


def test_a_ready_day_beyond_the_horizon_is_the_only_choice():
    days = schedule.pickup_days(hanoi(2026, 11, 30), [Supply(20)], EVERY_DAY, CUTOFF)
    assert days == [date(2026, 12, 20)]


def test_no_day_when_the_outlet_never_opens():
    closed = OutletCalendar(hours={}, closures=(Closure(date(2026, 1, 1), date(2027, 12, 31)),))
    assert ready(hanoi(2026, 11, 30), [Supply(1)], closed) is None
    assert schedule.pickup_days(hanoi(2026, 11, 30), [Supply(1)], closed, CUTOFF) == []


def test_unknown_hours_count_as_open_every_day():
    assert ready(hanoi(2026, 12, 4), [Supply(1)], OutletCalendar()) == date(2026, 12, 5)


def test_open_now_and_next_opening():
    lunch_break = OutletCalendar(hours={d: (Interval(time(8), time(12)), Interval(time(13, 30), time(17, 30)))
                                        for d in range(6)})
    status = schedule.open_status(lunch_break, hanoi(2026, 11, 30, 9))
    assert status.open_now and status.next_opening is None
    status = schedule.open_status(lunch_break, hanoi(2026, 11, 30, 12, 15))
    assert not status.open_now and status.next_opening == hanoi(2026, 11, 30, 13, 30)
    status = schedule.open_status(lunch_break, hanoi(2026, 12, 5, 18))  # Saturday evening
    assert status.next_opening == hanoi(2026, 12, 7, 8)  # Sunday closed: Monday 08:00
    status = schedule.open_status(lunch_break, hanoi(2026, 11, 30, 6))
    assert status.next_opening == hanoi(2026, 11, 30, 8)


def test_the_pickup_window_counts_open_days_from_the_chosen_day():
    # Chosen Friday 04/12, three open days on a Mon–Fri outlet: Fri, Mon, Tue.
    assert schedule.window_last_day(WEEKDAYS_ONLY, date(2026, 12, 4), 3) == date(2026, 12, 8)
    holiday = Closure(date(2026, 12, 7), date(2026, 12, 7), "Nghỉ lễ")
    calendar = OutletCalendar(hours=WEEKDAYS_ONLY.hours, closures=(holiday,))
    assert schedule.window_last_day(calendar, date(2026, 12, 4), 3) == date(2026, 12, 9)


def test_hours_text_is_parsed_and_checked():
    assert schedule.parse_intervals("13:30-17:30, 08:00–12:00") == (
        Interval(time(8), time(12)), Interval(time(13, 30), time(17, 30)))
    assert schedule.parse_intervals("  ") == ()
    for bad in ("8-12", "12:00-08:00", "08:00-12:00, 11:00-13:00", "25:00-26:00", "08:00"):
        try:
            schedule.parse_intervals(bad)
        except ValueError:
            continue
        raise AssertionError(f"{bad!r} was accepted")
