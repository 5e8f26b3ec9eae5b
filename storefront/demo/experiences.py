"""Demo experiences: a pottery class at Bát Tràng, a silk-weaving visit at Vạn Phúc and a community-tourism
day at Hồng Vân, each on a demo product already certified, with sessions over the next weeks (some nearly
full) and one added on the next public holiday, which is not offered.

Seats are marked taken directly on the session counter to show "nearly full"; real bookings arrive
with the booking work (issue 24 items 3–6).
"""
from datetime import date, time, timedelta

from sqlalchemy import select

from ..catalog.models import Outlet, Product
from ..experiences import calendar, sessions
from ..experiences.models import (
    Experience, ExperienceSession, PersonType, ScheduleException, SessionStatus, WeeklySlot,
)
from ..extensions import db
from ..text import slugify
from ..unit_of_work import transaction

# product name (a demo product), place, duration, languages, minimum age, slots (weekday, hh, mm, seats),
# prices (adult, child, group of 5), what to bring (vi, en), accessibility (vi, en)
EXPERIENCES = (
    ("Trải nghiệm làm gốm Bát Tràng", ("outlet", "bt"), 120, "vi,en", 6,
     ((1, 9, 0, 12), (3, 14, 0, 12), (5, 9, 0, 16), (6, 9, 0, 16)), (250000, 150000, 1100000),
     ("Quần áo có thể dính đất; tóc dài nên buộc gọn.", "Clothes that may get clay on them; tie long hair back."),
     ("Xưởng ở tầng trệt, lối vào bằng phẳng; có nhà vệ sinh cho xe lăn.",
      "Ground-floor workshop with a level entrance; wheelchair-accessible toilet.")),
    ("Trải nghiệm dệt lụa Vạn Phúc", ("workshop", "Số 12 ngõ 3, phường Vạn Phúc, Hà Đông, Hà Nội"), 90,
     "vi,en,fr", 8, ((2, 10, 0, 10), (5, 15, 0, 10)), (180000, 100000, 800000),
     ("Không cần mang gì; có thể mua lụa tại xưởng.", "Nothing needed; silk can be bought at the workshop."),
     ("Khung cửi ở sân trong, có hai bậc thềm.", "Looms in the inner courtyard, two steps up.")),
    ("Tour một ngày làng quê Hồng Vân", ("workshop", "Nhà văn hoá thôn Hồng Vân, xã Hồng Vân, Thường Tín, Hà Nội"),
     420, "vi,en", 0, ((6, 8, 0, 20),), (450000, 250000, 2000000),
     ("Mũ, kem chống nắng, giày đi bộ.", "Hat, sun cream, walking shoes."),
     ("Đi bộ và đạp xe trên đường làng khoảng 5 km.", "About 5 km of walking and cycling on village lanes.")),
)
MAP_LINKS = {"Trải nghiệm dệt lụa Vạn Phúc": "https://www.openstreetmap.org/?mlat=20.9790&mlon=105.7735#map=17/20.9790/105.7735",
             "Tour một ngày làng quê Hồng Vân": "https://www.openstreetmap.org/?mlat=20.8797&mlon=105.8795#map=15/20.8797/105.8795"}
NEARLY_FULL = ((0, 10), (2, 11))  # (the n-th open session of the pottery class, seats taken)


def next_holiday(today: date) -> date:
    """Return the first public holiday after ``today`` (the demo's session that is not offered)."""
    day = today + timedelta(days=1)
    while calendar.public_holiday(day) is None:
        day += timedelta(days=1)
    return day


def seed_experiences(today: date) -> int:
    """Give the three demo products their experience, pattern and sessions; return how many were made."""
    made = 0
    with transaction():
        for fact in EXPERIENCES:
            product = db.session.scalar(select(Product).where(Product.slug == slugify(fact[0])))
            if product is None or product.experience is not None:
                continue
            db.session.add(_experience(product, fact, today))
            made += 1
    if not made:
        return 0
    for experience in db.session.scalars(select(Experience).order_by(Experience.id)):
        sessions.refresh(experience, today=today)
    _nearly_full()
    return made


def _experience(product: Product, fact, today: date) -> Experience:
    name, (kind, where), minutes, languages, min_age, slots, prices, bring, access = fact
    holiday = next_holiday(today)
    # Looked up before the experience exists: a query while it is half-built would autoflush it.
    outlet = (db.session.scalar(select(Outlet).where(Outlet.slug == _outlet_slug(where)))
              if kind == "outlet" else None)
    experience = Experience(
        product=product, place_kind=kind, duration_minutes=minutes, languages=languages,
        min_age=min_age or None, bring_vi=bring[0], bring_en=bring[1], accessibility_vi=access[0],
        accessibility_en=access[1], cutoff_minutes=120, cancel_free_hours=24,
        weeks_ahead=max(6, (holiday - today).days // 7 + 2))
    if kind == "outlet":
        experience.outlet = outlet
    else:
        experience.address, experience.map_url = where, MAP_LINKS.get(name)
    for position, (code, vi, en, seats) in enumerate((("adult", "Người lớn", "Adult", 1),
                                                      ("child", "Trẻ em (6–12 tuổi)", "Child (6–12)", 1),
                                                      ("group", "Nhóm 5 người", "Group of 5", 5))):
        experience.person_types.append(PersonType(code=code, label_vi=vi, label_en=en, seats=seats,
                                                  price=prices[position], position=position))
    experience.slots = [WeeklySlot(weekday=w, starts_at=time(h, m), capacity=c) for w, h, m, c in slots]
    if name.startswith("Tour"):  # the community-tourism day also runs on the next holiday: not offered
        experience.exceptions.append(ScheduleException(kind="add", day=holiday, starts_at=time(8),
                                                       capacity=20, note="Ngày lễ"))
    product.price = min(prices[:2])
    return experience


def _outlet_slug(key: str) -> str:
    from .data import OUTLETS

    return slugify(next(o for o in OUTLETS if o.key == key).name)


def _nearly_full() -> None:
    pottery = db.session.scalar(select(Experience).join(Product).where(
        Product.slug == slugify(EXPERIENCES[0][0])))
    if pottery is None:
        return
    open_sessions = pottery.sessions.filter(ExperienceSession.status == SessionStatus.OPEN).all()
    with transaction():
        for index, taken in NEARLY_FULL:
            if index < len(open_sessions):
                open_sessions[index].seats_taken = min(taken, open_sessions[index].capacity)
