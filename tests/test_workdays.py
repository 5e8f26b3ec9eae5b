"""Legal due dates in Vietnamese working days: weekends and public holidays, Tết included, skipped."""
from datetime import date, datetime

from storefront.workdays import add_working_days, due_after, is_working_day


def test_tet_2026_and_its_weekends_are_not_working_days():
    for day in range(14, 23):  # Sat 14 – Sun 22 February 2026: Tết Bính Ngọ with its weekends
        assert not is_working_day(date(2026, 2, day))
    assert is_working_day(date(2026, 2, 13)) and is_working_day(date(2026, 2, 23))


def test_two_working_days_from_the_eve_of_tet_land_after_it():
    assert add_working_days(date(2026, 2, 13), 2) == date(2026, 2, 24)
    assert add_working_days(date(2026, 2, 13), 10) == date(2026, 3, 6)
    assert add_working_days(date(2027, 2, 3), 2) == date(2027, 2, 12)  # Tết Đinh Mùi: 4–10 Feb 2027


def test_weekends_and_national_day_are_skipped():
    assert add_working_days(date(2026, 8, 28), 2) == date(2026, 9, 4)  # Fri; 31/8, 1/9, 2/9 off
    assert add_working_days(date(2026, 12, 4), 1) == date(2026, 12, 7)  # Friday → Monday


def test_a_request_received_in_the_hanoi_evening_counts_from_that_hanoi_day():
    # 18:30 UTC on Thursday 12 Feb is 01:30 on Friday 13 Feb in Hanoi
    assert due_after(datetime(2026, 2, 12, 18, 30), 2) == date(2026, 2, 24)
    assert due_after(datetime(2026, 2, 12, 9, 0), 2) == date(2026, 2, 23)


def test_extra_days_off_from_the_configuration(app):
    app.config["EXTRA_DAYS_OFF"] = "2026-12-07"
    assert add_working_days(date(2026, 12, 4), 1) == date(2026, 12, 8)
