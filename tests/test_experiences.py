"""Experiences by date (issue 24 items 1, 2, 7): sessions from a pattern, closures and holidays
skipped, the cut-off, the listing rule on sessions, the producer's pages and the API."""
import datetime as dt
from datetime import date, time, timedelta

import pytest
from sqlalchemy import select

from storefront.experiences import calendar, services, sessions
from storefront.experiences.errors import SessionNotCancellable
from storefront.experiences.models import (
    Experience, ExperienceSession, PersonType, ScheduleException, SessionStatus, WeeklySlot,
)
from storefront.experiences.signals import session_cancelled
from storefront.pickup.models import OutletClosure
from storefront.timeutil import local_today, utcnow
from tests.support.factories import OutletFactory, ProducerUserFactory, ProductFactory

MONDAY = date(2027, 3, 1)  # a Monday with no holiday that week


def make_experience(db, *, product=None, outlet=None, slots=((0, time(9, 0), 10),), cutoff=120, weeks=2):
    product = product or ProductFactory(group="tourism", price=0, stock=0)
    experience = Experience(product=product, place_kind="outlet", outlet=outlet or OutletFactory(),
                            duration_minutes=120, cutoff_minutes=cutoff, weeks_ahead=weeks, languages="vi,en")
    experience.person_types = [PersonType(code="adult", label_vi="Người lớn", label_en="Adult", price=250000),
                               PersonType(code="child", label_vi="Trẻ em", label_en="Child", price=150000,
                                          position=1)]
    experience.slots = [WeeklySlot(weekday=w, starts_at=t, capacity=c) for w, t, c in slots]
    db.session.add(experience)
    db.session.commit()
    return experience


def session_days(experience):
    return [(s.day, s.status) for s in experience.sessions.order_by(ExperienceSession.starts_at)]


# --- the pattern and its exceptions ------------------------------------------------------------

def test_a_weekly_pattern_with_a_skip_and_an_added_date():
    slot = WeeklySlot(weekday=0, starts_at=time(9), capacity=10)
    other = WeeklySlot(weekday=2, starts_at=time(14), capacity=8)
    skip = ScheduleException(kind="skip", day=MONDAY + timedelta(days=7))
    add = ScheduleException(kind="add", day=MONDAY + timedelta(days=5), starts_at=time(8), capacity=4)

    found = calendar.occurrences([slot, other], [skip, add], MONDAY, MONDAY + timedelta(days=13))

    assert [(o.day, o.starts_at, o.capacity, o.from_pattern) for o in found] == [
        (MONDAY, time(9), 10, True), (MONDAY + timedelta(days=2), time(14), 8, True),
        (MONDAY + timedelta(days=5), time(8), 4, False), (MONDAY + timedelta(days=9), time(14), 8, True)]


def test_single_dates_need_no_pattern():
    add = ScheduleException(kind="add", day=MONDAY, starts_at=time(10), capacity=6)
    assert [(o.day, o.capacity) for o in calendar.occurrences([], [add], MONDAY, MONDAY)] == [(MONDAY, 6)]


def test_tet_and_national_day_are_public_holidays():
    assert calendar.public_holiday(date(2027, 2, 6)) is not None  # Tết Nguyên Đán 2027
    assert calendar.public_holiday(date(2026, 9, 2)).reason_en
    assert calendar.public_holiday(MONDAY) is None


def test_materialise_makes_rows_and_closes_holidays_and_outlet_closures(db):
    outlet = OutletFactory()
    db.session.add(OutletClosure(outlet=outlet, first_day=date(2027, 4, 5), last_day=date(2027, 4, 5),
                                 reason="Kiểm kê", reason_en="Stocktaking"))
    experience = make_experience(db, outlet=outlet, slots=((4, time(9), 10), (0, time(9), 10)), weeks=6)

    sessions.materialise(experience, today=date(2027, 4, 1), now=dt.datetime(2027, 3, 31, 20))
    db.session.commit()

    by_day = {s.day: s for s in experience.sessions}
    assert by_day[date(2027, 4, 30)].status == SessionStatus.CLOSED  # Friday 30 April
    assert by_day[date(2027, 4, 5)].closed_reason == "Kiểm kê"  # the outlet's closure
    assert by_day[date(2027, 4, 2)].status == SessionStatus.OPEN
    assert by_day[date(2027, 4, 2)].starts_at == dt.datetime(2027, 4, 2, 2, 0)  # 09:00 Hanoi in UTC
    assert by_day[date(2027, 4, 2)].ends_at == dt.datetime(2027, 4, 2, 4, 0)


def test_materialise_again_drops_unbooked_sessions_and_keeps_booked_ones(db):
    experience = make_experience(db, slots=((0, time(9), 10),), weeks=3)
    now = dt.datetime(2027, 2, 28)
    sessions.materialise(experience, today=MONDAY, now=now)
    db.session.commit()
    booked, unbooked = experience.sessions.order_by(ExperienceSession.starts_at).all()[:2]
    booked.seats_taken = 3
    experience.slots.clear()
    db.session.flush()

    sessions.materialise(experience, today=MONDAY, now=now)
    db.session.commit()

    assert [s.id for s in experience.sessions] == [booked.id]


# --- the cut-off and cancelling ----------------------------------------------------------------

def test_booking_closes_at_the_cut_off(db):
    experience = make_experience(db, cutoff=90)
    start = utcnow() + timedelta(hours=2)
    session = ExperienceSession(experience=experience, starts_at=start, ends_at=start + timedelta(hours=2),
                                day=local_today(), capacity=5, seats_taken=0, status="open")
    assert sessions.is_bookable(session, now=start - timedelta(minutes=91))
    assert not sessions.is_bookable(session, now=start - timedelta(minutes=90))
    session.seats_taken = 5
    assert not sessions.is_bookable(session, now=start - timedelta(hours=5))


def test_cancel_session_marks_it_and_tells_booking(db):
    experience = make_experience(db)
    start = utcnow() + timedelta(days=3)
    session = ExperienceSession(experience=experience, starts_at=start, ends_at=start + timedelta(hours=2),
                                day=local_today() + timedelta(days=3), capacity=5, seats_taken=2)
    db.session.add(session)
    db.session.commit()
    user = ProducerUserFactory(producer=experience.product.producer)
    heard = []
    session_cancelled.connect(receiver := lambda s, **kw: heard.append((s.id, kw["reason"])))
    try:
        sessions.cancel_session(session, by=user, reason="Mưa bão")
    finally:
        session_cancelled.disconnect(receiver)

    assert session.status == SessionStatus.CANCELLED and session.cancelled_by_id == user.id
    assert heard == [(session.id, "Mưa bão")]
    with pytest.raises(SessionNotCancellable):
        sessions.cancel_session(session, by=user)


# --- the listing rule, on the page and in the API ------------------------------------------------

def offered_experience(db, **kwargs):
    experience = make_experience(db, **kwargs)
    sessions.refresh(experience)
    return experience


def test_experiences_page_lists_upcoming_sessions(client, db):
    experience = offered_experience(db, slots=tuple((w, time(23, 0), 10) for w in range(7)))

    page = client.get("/experiences").get_data(as_text=True)

    assert experience.product.name_vi in page
    assert experience.sessions.filter_by(status="open").count() >= 10


def test_an_expired_certificate_takes_the_experience_off_sale(client, db):
    experience = offered_experience(db, slots=tuple((w, time(23, 0), 10) for w in range(7)))
    slug = experience.product.slug
    assert client.get(f"/api/experiences/{slug}").status_code == 200
    certificate = experience.product.certificates[0]
    certificate.decision_date = local_today() - timedelta(days=2000)
    certificate.expires_on = local_today()
    db.session.commit()

    assert client.get(f"/experiences/{slug}").status_code == 404
    assert client.get(f"/api/experiences/{slug}").status_code == 404
    assert experience.product.name_vi not in client.get("/experiences").get_data(as_text=True)
    assert client.get("/api/experiences").get_json()["items"] == []


def test_sessions_after_the_certificate_expires_are_not_offered(client, db):
    experience = offered_experience(db, slots=tuple((w, time(23, 0), 10) for w in range(7)))
    certificate = experience.product.certificates[0]
    certificate.expires_on = local_today() + timedelta(days=3)
    db.session.commit()

    days = {s["start"][:10] for s in client.get(f"/api/experiences/{experience.product.slug}").get_json()["sessions"]}

    assert days and max(days) < (local_today() + timedelta(days=3)).isoformat()


def test_api_shape(client, db):
    experience = offered_experience(db, slots=tuple((w, time(23, 0), 10) for w in range(7)))
    session = experience.sessions.filter_by(status="open").first()
    session.seats_taken = 4
    db.session.commit()

    found = client.get("/api/experiences").get_json()["items"][0]

    assert found["slug"] == experience.product.slug and found["stars"] == 4
    assert {p["code"]: p["price"] for p in found["prices"]} == {"adult": 250000, "child": 150000}
    first = next(s for s in found["sessions"] if s["id"] == session.id)
    assert first["capacity"] == 10 and first["seats_left"] == 6
    assert first["start"].endswith("+07:00") and first["end"] > first["start"]
    assert client.get("/api/experiences?stars=2").status_code == 400


def test_filters_by_village_and_stars(client, db):
    experience = offered_experience(db, slots=tuple((w, time(23, 0), 10) for w in range(7)))
    village = experience.product.producer.village.slug

    assert client.get(f"/api/experiences?village={village}&stars=4").get_json()["items"]
    assert not client.get("/api/experiences?stars=5").get_json()["items"]
    assert not client.get("/api/experiences?village=nowhere").get_json()["items"]


def test_village_and_producer_pages_show_their_sessions(client, db):
    experience = offered_experience(db, slots=tuple((w, time(23, 0), 10) for w in range(7)))
    producer = experience.product.producer

    assert experience.product.name_vi in client.get(f"/villages/{producer.village.slug}").get_data(as_text=True)
    assert experience.product.name_vi in client.get(f"/producers/{producer.slug}").get_data(as_text=True)


# --- the producer's pages ---------------------------------------------------------------------

def test_producer_creates_an_experience_prices_and_pattern(client, db, login):
    user = ProducerUserFactory()
    outlet = OutletFactory()
    login(user)

    response = client.post("/producer/experiences/new", data={
        "title_vi": "Lớp làm gốm", "description_vi": "Nặn và vuốt gốm", "group": "tourism",
        "place_kind": "outlet", "outlet_id": outlet.id, "duration_minutes": 120, "languages": ["vi", "en"],
        "cutoff_minutes": 60, "cancel_free_hours": 24, "weeks_ahead": 4})
    experience = db.session.scalars(select(Experience)).one()
    assert response.status_code == 302 and experience.product.producer_id == user.producer_id
    client.post(f"/producer/experiences/{experience.id}/prices",
                data={"price-adult": "300.000", "active-adult": "y", "price-child": "200000",
                      "active-child": "y", "price-group": "1200000"})
    client.post(f"/producer/experiences/{experience.id}/slots",
                data={"weekday": 5, "starts_at": "09:00", "capacity": 12})

    db.session.expire_all()
    assert experience.product.price == 200000
    assert experience.sessions.count() >= 3
    page = client.get(f"/producer/experiences/{experience.id}").get_data(as_text=True)
    assert "0 / 12" in page


def test_another_producers_experience_is_not_found(client, db, login):
    experience = make_experience(db)
    sessions.refresh(experience)
    session = experience.sessions.first()
    login(ProducerUserFactory())

    assert client.get(f"/producer/experiences/{experience.id}").status_code == 404
    assert client.get(f"/producer/experiences/{experience.id}/edit").status_code == 404
    assert client.post(f"/producer/experience-sessions/{session.id}/cancel",
                       data={"confirm": "y"}).status_code == 404
    assert session.status == SessionStatus.OPEN


def test_producer_cancels_a_session(client, db, login):
    experience = make_experience(db)
    sessions.refresh(experience)
    session = experience.sessions.filter_by(status="open").first()
    login(ProducerUserFactory(producer=experience.product.producer))

    client.post(f"/producer/experience-sessions/{session.id}/cancel", data={"confirm": "y", "reason": "Mưa"})

    db.session.refresh(session)
    assert session.status == SessionStatus.CANCELLED and session.cancel_reason == "Mưa"
