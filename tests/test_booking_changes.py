"""Issue 24 item 5 and the reports: a booking cancelled or moved within and past its deadline, the
refund by method, no-shows, the waitlist told in order, a cancelled session refunding everyone,
and bookings, seats and check-ins by month, village and stars."""
import itertools
from datetime import date, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from storefront.booking_changes import services as changes, waitlist
from storefront.booking_changes.models import WaitlistEntry, WaitlistStatus
from storefront.bookings.models import Booking, BookingStatus
from storefront.bookings.seats import SessionFull
from storefront.experiences import sessions
from storefront.experiences.models import Experience, ExperienceSession, PersonType
from storefront.extensions import db
from storefront.notifications.models import OutboxMessage
from storefront.orders.codes import hash_access_token
from storefront.orders.models import Order, PaymentMethod, PaymentStatus
from storefront.payments.models import Refund
from storefront.payments.transfer_models import TransferRefund
from storefront.reports.bookings import BOOKING_TABLES
from storefront.reports.sales import Period
from tests.support.factories import OutletFactory, ProducerFactory, ProductFactory, VillageFactory

NOW = datetime(2027, 3, 1, 2, 0)  # 09:00 in Hanoi on Monday 1 March 2027 (naive UTC, as stored)
_numbers = itertools.count(1)


def make_experience(*, producer=None, stars=4, free_hours=24):
    product = ProductFactory(group="tourism", price=200000, stock=0, certified=stars,
                             **({"producer": producer} if producer else {}))
    experience = Experience(product=product, place_kind="outlet", outlet=OutletFactory(),
                            duration_minutes=120, cutoff_minutes=60, cancel_free_hours=free_hours)
    experience.person_types = [PersonType(code="adult", label_vi="Người lớn", price=200000)]
    db.session.add(experience)
    db.session.flush()
    return experience


def make_session(experience, starts_at, capacity=10):
    session = ExperienceSession(experience=experience, starts_at=starts_at,
                                ends_at=starts_at + timedelta(hours=2), day=(starts_at + timedelta(hours=7)).date(),
                                capacity=capacity)
    db.session.add(session)
    db.session.commit()
    return session


def book(session, seats=2, *, method=PaymentMethod.CARD, status=BookingStatus.CONFIRMED, email=None,
         stars=4):
    """An order holding one booking of ``seats`` adults at 200,000 đ, paid as ``method`` says."""
    subtotal = seats * 200000
    paid = method != PaymentMethod.AT_PICKUP
    n = next(_numbers)
    order = Order(name="Khách", phone=f"09876543{n:02d}", email=email or f"khach{n}@example.com",
                  locale="vi", payment_method=method,
                  payment_status=PaymentStatus.PAID if paid else PaymentStatus.UNPAID, total=subtotal,
                  access_token_hash=hash_access_token("token"), checkout_token=f"booking-{n}",
                  stripe_payment_intent="pi_test" if method == PaymentMethod.CARD else None,
                  amount_received=subtotal if method == PaymentMethod.VIETQR else 0)
    db.session.add(order)
    db.session.flush()
    order.number = f"OC-2027-{order.id:06d}"
    experience = session.experience
    booking = Booking(order=order, session=session, experience=experience, producer=experience.producer,
                      experience_name=experience.title, stars=stars, seats=seats, subtotal=subtotal,
                      status=status, code_hash="-")
    db.session.add(booking)
    session.seats_taken += seats
    db.session.commit()
    return booking


@pytest.fixture
def experience(app):
    return make_experience()


@pytest.fixture
def session_in_3_days(experience):
    return make_session(experience, NOW + timedelta(days=3))


def _seats_taken(session):
    db.session.expire_all()
    return db.session.get(ExperienceSession, session.id).seats_taken


# --- cancel: within and past the deadline, refunded by method -------------------------------------

def test_cancel_within_the_deadline_by_card_plans_a_stripe_refund_and_frees_the_seats(session_in_3_days):
    booking = book(session_in_3_days, 2, method=PaymentMethod.CARD)

    changes.cancel_booking(booking, by="guest", now=NOW)

    db.session.expire_all()
    assert booking.status == BookingStatus.CANCELLED
    assert _seats_taken(session_in_3_days) == 0
    refund = db.session.scalar(select(Refund))
    assert (refund.amount, refund.idempotency_key) == (400000, f"booking-{booking.id}")
    assert booking.order.payment_status == PaymentStatus.REFUND_PENDING


def test_cancel_by_transfer_owes_the_money_back_from_the_bank(session_in_3_days):
    booking = book(session_in_3_days, 1, method=PaymentMethod.VIETQR)

    changes.cancel_booking(booking, by="guest", now=NOW)

    owed = db.session.scalar(select(TransferRefund))
    assert owed.amount == 200000
    assert db.session.scalar(select(Refund)) is None


def test_cancel_of_a_booking_paid_at_the_venue_refunds_nothing(session_in_3_days):
    booking = book(session_in_3_days, 1, method=PaymentMethod.AT_PICKUP)

    changes.cancel_booking(booking, by="guest", now=NOW)

    db.session.expire_all()
    assert booking.status == BookingStatus.CANCELLED
    assert db.session.scalar(select(Refund)) is None and db.session.scalar(select(TransferRefund)) is None
    assert booking.order.payment_status == PaymentStatus.UNPAID


def test_cancel_past_the_deadline_is_refused_and_changes_nothing(experience):
    session = make_session(experience, NOW + timedelta(hours=23))  # free until 24 hours before
    booking = book(session, 2)

    with pytest.raises(changes.ChangeDeadlinePassed, match="24 giờ"):
        changes.cancel_booking(booking, by="guest", now=NOW)

    db.session.expire_all()
    assert booking.status == BookingStatus.CONFIRMED and _seats_taken(session) == 2
    assert db.session.scalar(select(Refund)) is None


def test_the_deadline_is_the_experiences_own(app):
    experience = make_experience(free_hours=2)
    booking = book(make_session(experience, NOW + timedelta(hours=3)), 1)

    changes.cancel_booking(booking, by="guest", now=NOW)

    assert booking.status == BookingStatus.CANCELLED


# --- move ---------------------------------------------------------------------------------------

def test_move_within_the_deadline_moves_the_seats_and_keeps_the_price(experience, session_in_3_days):
    later = make_session(experience, NOW + timedelta(days=5), capacity=4)
    booking = book(session_in_3_days, 3)

    changes.move_booking(booking, later.id, by="guest", now=NOW)

    db.session.expire_all()
    assert booking.session_id == later.id and booking.status == BookingStatus.CONFIRMED
    assert (_seats_taken(session_in_3_days), _seats_taken(later)) == (0, 3)
    assert booking.subtotal == 600000 and db.session.scalar(select(Refund)) is None


def test_move_past_the_deadline_is_refused(experience):
    soon = make_session(experience, NOW + timedelta(hours=10))
    later = make_session(experience, NOW + timedelta(days=5))
    booking = book(soon, 1)

    with pytest.raises(changes.ChangeDeadlinePassed):
        changes.move_booking(booking, later.id, by="guest", now=NOW)

    db.session.expire_all()
    assert booking.session_id == soon.id and _seats_taken(later) == 0


def test_move_to_a_full_session_or_another_experience_is_refused(experience, session_in_3_days):
    full = make_session(experience, NOW + timedelta(days=4), capacity=2)
    book(full, 2)
    other = make_session(make_experience(), NOW + timedelta(days=4))
    booking = book(session_in_3_days, 1)

    with pytest.raises(SessionFull):
        changes.move_booking(booking, full.id, by="guest", now=NOW)
    with pytest.raises(changes.NotAnotherSession):
        changes.move_booking(booking, other.id, by="guest", now=NOW)

    db.session.expire_all()
    assert booking.session_id == session_in_3_days.id and _seats_taken(session_in_3_days) == 1


# --- no-shows -----------------------------------------------------------------------------------

def test_a_session_that_ended_without_a_check_in_records_a_no_show(experience):
    past = make_session(experience, NOW - timedelta(hours=3))
    absent, present = book(past, 1), book(past, 2, status=BookingStatus.CHECKED_IN)
    present.checked_in_at = NOW - timedelta(hours=3)
    upcoming = book(make_session(experience, NOW + timedelta(hours=1)), 1)
    db.session.commit()

    assert changes.record_no_shows(now=NOW) == 1
    assert changes.record_no_shows(now=NOW) == 0

    db.session.expire_all()
    assert [b.status for b in (absent, present, upcoming)] == [
        BookingStatus.NO_SHOW, BookingStatus.CHECKED_IN, BookingStatus.CONFIRMED]
    assert _seats_taken(past) == 3  # the session is over: its seats stay counted


# --- the waitlist ---------------------------------------------------------------------------------

def _join(session, name, seats=1):
    return waitlist.join(session, waitlist.Contact(name=name, email=f"{name}@example.com"), seats, now=NOW)


def _offers():
    return [m.to_email for m in db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "waitlist_offer").order_by(OutboxMessage.id))]


def test_the_waitlist_is_told_in_order_and_a_lapsed_offer_passes_to_the_next(experience):
    session = make_session(experience, NOW + timedelta(days=3), capacity=3)
    first_booking, _second = book(session, 1), book(session, 2)
    with pytest.raises(waitlist.SessionNotFull):
        _join(make_session(experience, NOW + timedelta(days=6)), "early")
    an, binh, chi = _join(session, "an"), _join(session, "binh"), _join(session, "chi")
    with pytest.raises(waitlist.AlreadyInLine):
        _join(session, "an")
    assert waitlist.position(chi) == 3

    changes.cancel_booking(first_booking, by="guest", now=NOW)  # one seat frees

    assert _offers() == ["an@example.com"]
    db.session.expire_all()
    assert [e.status for e in (an, binh, chi)] == [WaitlistStatus.OFFERED, WaitlistStatus.WAITING,
                                                   WaitlistStatus.WAITING]
    assert an.offer_expires_at == NOW + timedelta(minutes=waitlist.OFFER_MINUTES)

    assert waitlist.sweep(now=NOW + timedelta(minutes=5)) == 0  # the offer still runs
    assert waitlist.sweep(now=NOW + timedelta(minutes=waitlist.OFFER_MINUTES)) == 1

    assert _offers() == ["an@example.com", "binh@example.com"]
    db.session.expire_all()
    assert [e.status for e in (an, binh, chi)] == [WaitlistStatus.EXPIRED, WaitlistStatus.OFFERED,
                                                   WaitlistStatus.WAITING]


def test_the_first_in_line_is_told_before_a_smaller_request_behind(experience):
    session = make_session(experience, NOW + timedelta(days=3), capacity=2)
    booking = book(session, 1)
    book(session, 1)
    big, small = _join(session, "big", seats=2), _join(session, "small", seats=1)

    changes.cancel_booking(booking, by="guest", now=NOW)

    assert _offers() == []  # one seat is free: "big" wants two and stays first
    db.session.expire_all()
    assert (big.status, small.status) == (WaitlistStatus.WAITING, WaitlistStatus.WAITING)


def test_an_offer_link_opens_while_it_runs(client, experience):
    session = make_session(experience, NOW + timedelta(days=3), capacity=1)
    booking = book(session, 1)
    _join(session, "an")
    with time_machine.travel(NOW, tick=False):
        changes.cancel_booking(booking, by="guest", now=NOW)
        body = db.session.scalar(select(OutboxMessage.body).where(OutboxMessage.kind == "waitlist_offer"))
        link = next(word for word in body.split() if "/experiences/waitlist/" in word)
        path = link.split("localhost", 1)[1]

        assert client.get(path).status_code == 200
        assert client.get("/experiences/waitlist/not-a-token").status_code == 410
    with time_machine.travel(NOW + timedelta(hours=3), tick=False):
        assert client.get(path).status_code == 410


# --- the producer cancels a session ---------------------------------------------------------------

def test_a_cancelled_session_cancels_tells_and_refunds_everyone_booked(experience, session_in_3_days):
    by_card = book(session_in_3_days, 2, method=PaymentMethod.CARD)
    by_transfer = book(session_in_3_days, 1, method=PaymentMethod.VIETQR)
    at_venue = book(session_in_3_days, 1, method=PaymentMethod.AT_PICKUP)
    other_session = make_session(experience, NOW + timedelta(days=4), capacity=1)
    book(other_session, 1)
    waiting = _join(other_session, "other")
    in_line = waitlist.join(session_in_3_days, waitlist.Contact(name="x", email="x@example.com"), 7, now=NOW)

    sessions.cancel_session(session_in_3_days, by=None, reason="Lò nung hỏng", now=NOW)

    db.session.expire_all()
    assert {b.status for b in (by_card, by_transfer, at_venue)} == {BookingStatus.CANCELLED}
    assert _seats_taken(session_in_3_days) == 0
    assert [r.amount for r in db.session.scalars(select(Refund))] == [400000]
    assert [r.amount for r in db.session.scalars(select(TransferRefund))] == [200000]
    told = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "booking_session_cancelled")
                              .order_by(OutboxMessage.id)).all()
    assert [m.to_email for m in told] == [b.order.email for b in (by_card, by_transfer, at_venue)]
    assert "Lò nung hỏng" in told[0].body
    assert in_line.status == WaitlistStatus.LEFT and waiting.status == WaitlistStatus.WAITING


# --- the shopper's pages, in frozen time --------------------------------------------------------

def test_the_change_page_cancels_within_and_refuses_past_the_deadline(client, experience):
    booking = book(make_session(experience, NOW + timedelta(hours=30)), 1)
    number, url = booking.order.number, f"/orders/{booking.order.number}/bookings/{booking.id}"

    with time_machine.travel(NOW + timedelta(hours=7), tick=False):  # 23 hours before: too late
        page = client.get(f"{url}/change?t=token").get_data(as_text=True)
        assert "Đã quá hạn" in page
        response = client.post(f"{url}/cancel?t=token")
        assert response.status_code == 303
        db.session.expire_all()
        assert db.session.get(Booking, booking.id).status == BookingStatus.CONFIRMED

    with time_machine.travel(NOW, tick=False):
        assert "Huỷ đặt chỗ" in client.get(f"{url}/change?t=token").get_data(as_text=True)
        assert client.post(f"{url}/cancel?t=token").headers["Location"].endswith(f"/orders/{number}")
        db.session.expire_all()
        assert db.session.get(Booking, booking.id).status == BookingStatus.CANCELLED


# --- reports ------------------------------------------------------------------------------------

def test_bookings_seats_and_check_ins_by_month_village_and_stars(app):
    bat_trang, van_phuc = VillageFactory(name="Bát Tràng"), VillageFactory(name="Vạn Phúc")
    pottery = make_experience(producer=ProducerFactory(village=bat_trang), stars=5)
    weaving = make_experience(producer=ProducerFactory(village=van_phuc), stars=4)
    january = make_session(pottery, datetime(2027, 1, 10, 2))
    # 20:00 UTC on 31 January is 03:00 on 1 February in Hanoi: a February session.
    february = make_session(weaving, datetime(2027, 1, 31, 20))
    book(january, 2, status=BookingStatus.CHECKED_IN, stars=5)
    book(january, 1, status=BookingStatus.NO_SHOW, stars=5)
    book(january, 4, status=BookingStatus.CANCELLED, stars=5)
    book(february, 3, status=BookingStatus.CONFIRMED, stars=4)
    book(february, 5, status=BookingStatus.AWAITING_PAYMENT, stars=4)
    period = Period(date(2027, 1, 1), date(2027, 12, 31))

    def rows(name):
        return [tuple(row) for row in BOOKING_TABLES[name](period).rows]

    assert rows("bookings_by_month") == [("2027-01", 2, 3, 1), ("2027-02", 1, 3, 0)]
    assert rows("bookings_by_village") == [("Bát Tràng", 2, 3, 1), ("Vạn Phúc", 1, 3, 0)]
    assert rows("bookings_by_stars") == [(5, 2, 3, 1), (4, 1, 3, 0)]
    assert BOOKING_TABLES["bookings_by_month"](Period(date(2027, 2, 1), date(2027, 2, 28))).rows == [
        ("2027-02", 1, 3, 0)]


# --- goods at the experience's place: the pickup day defaults to the session's day ----------------

def test_goods_at_the_experiences_outlet_default_to_the_sessions_day(experience):
    from storefront.bookings.cart import BookingLine
    from storefront.checkout.services import visit_days
    from storefront.pickup.choices import DayOffer, default_day

    outlet = experience.outlet
    first = make_session(experience, NOW + timedelta(days=4))
    later = make_session(experience, NOW + timedelta(days=6))
    elsewhere = make_experience()
    elsewhere.place_kind, elsewhere.outlet, elsewhere.address = "workshop", None, "Xóm 2, Bát Tràng"
    at_workshop = make_session(elsewhere, NOW + timedelta(days=2))

    days = visit_days([BookingLine(later, []), BookingLine(first, []), BookingLine(at_workshop, [])])

    assert days == {outlet.id: first.day}  # a workshop is no outlet: nothing to collect there
    offered = DayOffer(outlet.id, tuple(NOW.date() + timedelta(days=n) for n in range(2, 10)))
    assert default_day(offered, days) == first.day
    assert default_day(DayOffer(outlet.id + 1, offered.days), days) == offered.earliest
    assert default_day(DayOffer(outlet.id, offered.days[:2]), days) == offered.earliest  # not offered


def test_the_bookings_report_page_and_its_csv(client, login, experience):
    from tests.support.factories import AdminFactory

    session = make_session(experience, datetime(2027, 1, 10, 2))
    book(session, 2, status=BookingStatus.CHECKED_IN, stars=4)
    login(AdminFactory())

    page = client.get("/admin/reports/bookings?start=2027-01-01&end=2027-12-31")
    csv_body = client.get("/admin/reports/bookings_by_stars.csv?start=2027-01-01&end=2027-12-31")

    assert page.status_code == 200 and "Đặt chỗ trải nghiệm theo làng nghề" in page.get_data(as_text=True)
    assert csv_body.data.decode("utf-8-sig").splitlines() == [
        "Hạng sao,Lượt đặt chỗ,Chỗ đã bán,Lượt check-in", "4 sao,1,2,1"]
    assert client.get("/admin/reports/bookings?start=2027-02-01&end=2027-01-01").status_code == 400
