"""Demo pickup facts: outlet hours as data, pickup instructions, limits, producer lead times,
and Vietnam's public holidays for the coming year (from the ``holidays`` package, which follows
the government's yearly decisions on Tết and the bridging days) as closures of every outlet.
"""
from datetime import date, time, timedelta

import holidays
from sqlalchemy import select

from ..extensions import db
from ..pickup.models import OutletClosure, OutletHours

EVERY_DAY = range(7)
MON_SAT = range(6)

# key: (weekdays, [(opens, closes), ...])
HOURS = {
    "bt": (EVERY_DAY, [(time(8), time(17, 30))]),
    "vp": (EVERY_DAY, [(time(8), time(18))]),
    "dl": (EVERY_DAY, [(time(8), time(17, 30))]),
    "kp": (EVERY_DAY, [(time(7), time(19))]),
    "bigc": (EVERY_DAY, [(time(8), time(22))]),
    "mm": (EVERY_DAY, [(time(6), time(22))]),
    "bx": (EVERY_DAY, [(time(5, 30), time(21))]),
    "dx": (EVERY_DAY, [(time(6), time(18))]),
    "px": (MON_SAT, [(time(8), time(12)), (time(13, 30), time(17))]),
}

INSTRUCTIONS = {
    "bt": ("Nhận hàng tại quầy số 2 trong sảnh trưng bày; gửi xe máy miễn phí ở cổng sau.",
           "Collect at counter 2 in the showroom hall; free motorbike parking at the back gate."),
    "bigc": ("Quầy Góc OCOP ở tầng 1, cạnh quầy dịch vụ khách hàng; gửi xe ở tầng hầm B1.",
             "The OCOP corner desk on floor 1, next to customer service; parking in basement B1."),
    "mm": ("Quầy dịch vụ khách hàng gần lối vào chính; đọc mã nhận hàng cho nhân viên.",
           "Customer service desk by the main entrance; read your pickup code to the staff."),
    "bx": ("Ki-ốt OCOP ở sảnh chờ tầng 1, cạnh cửa ra bến.",
           "The OCOP kiosk in the ground-floor waiting hall, next to the platform exit."),
}

PICKUPS_PER_DAY = {"bt": 30, "dx": 20}

# producer key: (lead days, delivery weekdays as digits, Monday 0)
DELIVERY = {
    "gom-bt": (2, "01234"),
    "quang-vinh": (1, "0123456"),
    "lua-vp": (3, "135"),
    "sua-tl": (1, "0123456"),
    "moc-sh": (5, "14"),
    "kham-cm": (4, "2"),
}


def public_holidays(first: date, last: date) -> list[tuple[date, date, str, str]]:
    """Return Vietnam's public holidays between two days as runs ``(first, last, vi, en)``."""
    years = range(first.year, last.year + 1)
    vi = holidays.country_holidays("VN", years=years, language="vi")
    en = holidays.country_holidays("VN", years=years, language="en_US")
    runs: list[tuple[date, date, str, str]] = []
    for day in sorted(d for d in vi if first <= d <= last):
        if runs and runs[-1][1] == day - timedelta(days=1) and _same_feast(runs[-1][2], vi[day]):
            runs[-1] = (runs[-1][0], day, runs[-1][2], runs[-1][3])
        else:
            runs.append((day, day, vi[day], en.get(day, vi[day])))
    return runs


def _same_feast(first: str, other: str) -> bool:
    """Keep Tết (and a holiday with its bridging day) as one closure."""
    return first.split(" (")[0] == other.split(" (")[0] or ("Tết" in first and "Tết" in other)


def seed_pickup(outlets: dict, producers: dict, today: date) -> None:
    """Give the demo outlets hours, instructions, limits and holiday closures, once each."""
    holidays_ahead = public_holidays(today, today + timedelta(days=365))
    for key, outlet in outlets.items():
        db.session.flush()
        if outlet.id is not None and db.session.scalar(
                select(OutletHours.id).where(OutletHours.outlet_id == outlet.id).limit(1)):
            continue  # seeded before (or edited by an admin): leave it
        weekdays, intervals = HOURS.get(key, (EVERY_DAY, [(time(8), time(17))]))
        for weekday in weekdays:
            for opens, closes in intervals:
                outlet.hours_rows.append(OutletHours(weekday=weekday, opens=opens, closes=closes))
        outlet.instructions_vi, outlet.instructions_en = INSTRUCTIONS.get(key, (None, None))
        outlet.pickups_per_day = PICKUPS_PER_DAY.get(key)
        for first, last, reason_vi, reason_en in holidays_ahead:
            outlet.closures.append(OutletClosure(first_day=first, last_day=last, reason=reason_vi[:200],
                                                 reason_en=reason_en[:200]))
    for key, (lead, weekdays) in DELIVERY.items():
        producer = producers.get(key)
        if producer is not None and producer.lead_days in (None, 2) \
                and producer.delivery_weekdays in (None, "0123456"):  # still the defaults
            producer.lead_days, producer.delivery_weekdays = lead, weekdays
