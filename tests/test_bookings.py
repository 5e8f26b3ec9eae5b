"""Issue 24 items 3 and 4: bookings in the same order as goods, seats held while paying and
released on expiry, capacity under racing checkouts, tickets checked in once, the .ics file."""
import logging
from collections import Counter
from datetime import timedelta
from functools import partial

import pytest
import time_machine
from sqlalchemy import select

from storefront.bookings import seats, tickets
from storefront.bookings.models import Booking, BookingStatus
from storefront.extensions import db
from storefront.notifications.models import OutboxMessage
from storefront.orders import services as order_services
from storefront.orders.placement import BookingUnavailable
from storefront.timeutil import utcnow
from tests.support.bookings_support import (
    book, book_one_seat_repeatedly, race_app_for, seats_taken, workshop,
)
from tests.support.factories import OutletFactory, ProductFactory
from tests.support.race import at_once
from tests.support.transfer_support import app, notification, post  # noqa: F401 — app: with the bank account


def test_one_order_holds_goods_and_a_workshop_at_the_prices_frozen_at_checkout(app):
    experience, session, adult, child = workshop()
    tea = ProductFactory(price=120_000, stock=5, outlets=[experience.outlet])

    placed = book(session, (adult, 2), (child, 1), goods=[(tea, 1)], outlet=experience.outlet,
                  method="vietqr")
    adult.price = 300_000  # a later price change leaves the booking alone
    db.session.commit()

    order = placed.order
    (booking,) = order.bookings
    assert order.total == 120_000 + 2 * 250_000 + 150_000
    assert booking.status == BookingStatus.AWAITING_PAYMENT and booking.seats == 3
    assert [(l.code, l.quantity, l.unit_price) for l in booking.lines] == [("adult", 2, 250_000),
                                                                         ("child", 1, 150_000)]
    assert booking.subtotal == 650_000 and booking.stars == 4
    assert seats_taken(session) == 3 and len(order.pickups) == 1
    assert tickets.code_matches(booking, placed.tickets[booking.id])
    assert booking.code_hash != placed.tickets[booking.id]  # only the keyed hash is stored


def test_a_changed_ticket_price_or_too_few_seats_refuses_the_order_and_writes_nothing(app):
    experience, session, adult, child = workshop(capacity=2)
    with pytest.raises(BookingUnavailable):
        book(session, (adult, 3))
    stale = book.__wrapped__ if hasattr(book, "__wrapped__") else None  # noqa: F841
    adult.price = 260_000
    db.session.commit()
    from storefront.orders.placement import place_order
    from tests.support.bookings_support import Ticket
    from tests.support.checkout_support import CONTACT
    with pytest.raises(BookingUnavailable, match="260.000"):
        place_order([], CONTACT, {}, "at_pickup", "tok-stale",
                    booking_lines=[Ticket(session.id, adult.id, 1, 250_000)])
    assert seats_taken(session) == 0 and db.session.scalars(select(Booking)).all() == []


def test_paying_by_vietqr_confirms_the_booking_and_sends_the_ticket(app, client):
    experience, session, adult, child = workshop()
    order = book(session, (adult, 2), (child, 1), method="vietqr").order

    assert post(client, notification(order.payment_code, order.total)).status_code == 200

    db.session.expire_all()
    (booking,) = db.session.get(type(order), order.id).bookings
    assert booking.status == BookingStatus.CONFIRMED and booking.confirmed_at is not None
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "experience_ticket")).one()
    assert tickets.code_of(booking.order, booking.id) in mail.body and ".ics" in mail.body


def test_seats_held_while_paying_are_released_when_the_payment_expires(app):
    experience, session, adult, child = workshop(capacity=3)
    order = book(session, (adult, 2), (child, 1), method="vietqr").order
    assert seats_taken(session) == 3
    with pytest.raises(BookingUnavailable):  # full while held
        book(session, (adult, 1))

    assert order_services.expire_unpaid_orders(now=utcnow() + timedelta(hours=2)) == 1

    (booking,) = db.session.get(type(order), order.id).bookings
    assert booking.status == BookingStatus.CANCELLED and seats_taken(session) == 0
    assert not seats.release(booking, reason="again")  # safe twice: nothing more comes back
    assert seats_taken(session) == 0
    assert book(session, (adult, 3)).order.bookings[0].seats == 3


def test_paying_at_the_venue_confirms_at_once(app):
    experience, session, adult, child = workshop()
    (booking,) = book(session, (adult, 1)).order.bookings
    assert booking.status == BookingStatus.CONFIRMED
    assert db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "experience_ticket")).one()


def test_a_ticket_checks_in_once_and_locks_after_wrong_codes(app, outlet_user_factory=None):
    experience, session, adult, child = workshop()
    placed = book(session, (adult, 2))
    booking, code = placed.order.bookings[0], placed.tickets[placed.order.bookings[0].id]

    for _ in range(app.config["PICKUP_CODE_MAX_TRIES"]):
        with pytest.raises(tickets.WrongTicketCode):
            tickets.check_in(booking, "AAAA-AAAA", by="staff")
    with pytest.raises(tickets.TicketLocked):
        tickets.check_in(booking, code, by="staff")

    db.session.get(Booking, booking.id).code_locked_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    checked = tickets.check_in(booking, code.lower().replace("-", ""), by="staff", collected="cash",
                               amount=500000)  # paid at the venue: taken in the same step
    assert checked.status == BookingStatus.CHECKED_IN
    with pytest.raises(tickets.NotCheckable, match="check-in"):
        tickets.check_in(booking, code, by="staff")


def test_an_unpaid_ticket_does_not_check_in(app):
    experience, session, adult, child = workshop()
    placed = book(session, (adult, 1), method="vietqr")
    booking = placed.order.bookings[0]
    with pytest.raises(tickets.NotCheckable):
        tickets.check_in(booking, placed.tickets[booking.id], by="staff")


def test_the_calendar_file_is_under_the_orders_private_link_only(app, client):
    experience, session, adult, child = workshop()
    placed = book(session, (adult, 2), (child, 1))
    order, booking = placed.order, placed.order.bookings[0]
    url = f"/orders/{order.number}/bookings/{booking.id}.ics"

    assert client.get(url).status_code == 404
    response = client.get(url, query_string={"t": placed.access_token})

    assert response.status_code == 200 and response.mimetype == "text/calendar"
    body = response.get_data(as_text=True)
    assert "BEGIN:VEVENT" in body and f"UID:booking-{booking.id}@" in body
    assert "DTSTART:" + session.starts_at.strftime("%Y%m%dT%H%M%SZ") in body
    assert "Lớp làm gốm Bát Tràng" in body


# --- racing checkouts ---------------------------------------------------------------------------

THREADS, CHECKOUTS_PER_THREAD, CAPACITY = 50, 4, 20  # 200 bookings of one seat for 20 seats


@pytest.fixture
def race_app(make_app):
    app = race_app_for(make_app)
    with app.app_context():
        yield app
        db.session.remove()


def booker(session_id, adult_id, price, n):
    return book_one_seat_repeatedly(session_id, adult_id, price, f"book-{n}", CHECKOUTS_PER_THREAD)


def test_two_hundred_racing_bookings_for_twenty_seats_take_exactly_twenty(race_app, caplog):
    experience, session, adult, child = workshop(capacity=CAPACITY)
    jobs = [partial(booker, session.id, adult.id, adult.price, n) for n in range(THREADS)]

    with caplog.at_level(logging.INFO):
        outcomes = Counter(o for result in at_once(race_app, *jobs) for o in result)

    assert outcomes == {"booked": CAPACITY, "full": THREADS * CHECKOUTS_PER_THREAD - CAPACITY}
    assert seats_taken(session) == CAPACITY
    assert db.session.scalar(select(db.func.sum(Booking.seats)).where(Booking.session_id == session.id)) == CAPACITY


# --- pages --------------------------------------------------------------------------------------

def test_book_from_the_experience_page_then_the_cart_shows_it(app, client):
    experience, session, adult, child = workshop()
    page = client.get(f"/experiences/{experience.slug}")
    assert page.status_code == 200 and b'name="session_id"' in page.data

    response = client.post(f"/experiences/{experience.slug}/book",
                           data={"session_id": session.id, f"pt-{adult.id}": 2, f"pt-{child.id}": 1})

    assert response.status_code == 303 and response.headers["Location"].endswith("/cart")
    cart = client.get("/cart").get_data(as_text=True)
    assert "Lớp làm gốm Bát Tràng" in cart and "650.000" in cart


def test_the_order_page_shows_the_ticket_and_the_outlet_checks_it_in_once(app, client, login):
    from tests.support.factories import StaffUserFactory
    experience, session, adult, child = workshop()
    placed = book(session, (adult, 2), (child, 1))
    booking, code = placed.order.bookings[0], placed.tickets[placed.order.bookings[0].id]
    page = client.get(f"/orders/{placed.order.number}", query_string={"t": placed.access_token})
    assert code in page.get_data(as_text=True) and ".ics" in page.get_data(as_text=True)

    login(StaffUserFactory(outlet=experience.outlet))
    day = session.day.isoformat()
    sheet = client.get("/outlet/check-in", query_string={"day": day}).get_data(as_text=True)
    assert placed.order.name in sheet and "0 / 3" in sheet

    client.post(f"/outlet/check-in?day={day}", data={"code": code, "collected": "cash", "amount": 650000})
    again = client.post(f"/outlet/check-in?day={day}", data={"code": code}, follow_redirects=True)

    assert db.session.get(Booking, booking.id, populate_existing=True).status == BookingStatus.CHECKED_IN
    assert "đã được check-in" in again.get_data(as_text=True) and "3 / 3" in again.get_data(as_text=True)


def test_a_workshop_checks_in_at_the_producers_page_and_no_other_place_can(app, client, login):
    from tests.support.factories import ProducerUserFactory, StaffUserFactory
    experience, session, adult, child = workshop()
    producer_user = ProducerUserFactory(producer=experience.product.producer)
    experience.place_kind, experience.outlet_id, experience.address = "workshop", None, "Xóm 3, Bát Tràng"
    db.session.commit()
    placed = book(session, (adult, 1))
    booking, code = placed.order.bookings[0], placed.tickets[placed.order.bookings[0].id]
    day = session.day.isoformat()

    login(StaffUserFactory(outlet=OutletFactory()))  # an outlet's staff: the session is not theirs
    client.post(f"/outlet/check-in?day={day}", data={"code": code})
    assert db.session.get(Booking, booking.id, populate_existing=True).status == BookingStatus.CONFIRMED
    client.post("/auth/logout")

    login(producer_user)
    sheet = client.get(f"/producer/experiences/check-in?day={day}").get_data(as_text=True)
    assert placed.order.name in sheet
    client.post(f"/producer/experiences/check-in?day={day}",
                data={"code": code, "collected": "cash", "amount": 250000})
    assert db.session.get(Booking, booking.id, populate_existing=True).status == BookingStatus.CHECKED_IN
