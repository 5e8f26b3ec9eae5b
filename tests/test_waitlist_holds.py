"""A waitlist offer holds the seats it offers: others see them taken, only the offered person (through
the link, signed in as the entry's account when it has one) books them, the hold becomes the booking
without counting twice, a lapsed or declined offer passes its seats on (or back on sale), and
racing checkouts keep the session within its capacity."""
import re
from collections import Counter
from dataclasses import replace
from datetime import timedelta
from functools import partial

import pytest
from sqlalchemy import func, select

from storefront.booking_changes import services as changes, waitlist
from storefront.booking_changes.models import WaitlistEntry, WaitlistStatus
from storefront.bookings import cart as booking_cart
from storefront.bookings.models import HOLDING, Booking, BookingStatus, HoldStatus, SeatHold
from storefront.checkout.services import new_checkout_token
from storefront.extensions import db
from storefront.notifications.models import OutboxMessage
from storefront.orders.placement import BookingUnavailable, place_order
from storefront.timeutil import utcnow
from tests.support.bookings_support import (
    Ticket, book, book_one_seat_repeatedly, race_app_for, seats_taken, workshop,
)
from tests.support.checkout_support import CONTACT
from tests.support.factories import ProducerUserFactory, UserFactory
from tests.support.race import at_once

W = WaitlistStatus
LAPSED = timedelta(minutes=waitlist.OFFER_MINUTES, seconds=1)
AN = replace(CONTACT, email="an@example.com", phone="0912000111")


def _join(session, name, seats=1, user=None):
    contact = waitlist.Contact(name=name, email=f"{name}@example.com", user=user)
    return waitlist.join(session, contact, seats)


def _token_sent_to(email):
    """The offer link's token from the last offer mailed to ``email``."""
    body = db.session.scalars(select(OutboxMessage.body).where(
        OutboxMessage.kind == "waitlist_offer", OutboxMessage.to_email == email)
        .order_by(OutboxMessage.id.desc())).first()
    assert body is not None, f"no offer was sent to {email}"
    return re.search(r"/experiences/waitlist/([A-Za-z0-9_-]+)", body)[1]


def _place(session, adult, quantity, *, token=None, user=None, contact=CONTACT):
    line = Ticket(session.id, adult.id, quantity, adult.price)
    line.hold_token = token  # what ``bookings.current.lines_now`` puts on a line it holds seats for
    return place_order([], contact, {}, "at_pickup", new_checkout_token(), user=user, booking_lines=[line])


def _full_with_one_offer(capacity=3, wanted=1, user=None):
    """A full session; "an" waits for ``wanted`` seats; a booking of that many is cancelled."""
    experience, session, adult, child = workshop(capacity=capacity)
    book(session, (adult, capacity - wanted))
    freed = book(session, (adult, wanted))
    an = _join(session, "an", wanted, user=user)
    changes.cancel_booking(freed.order.bookings[0], by="guest")
    db.session.expire_all()
    return experience, session, adult, an


def _held_seats(session):
    return db.session.scalar(select(func.coalesce(func.sum(SeatHold.seats), 0)).where(
        SeatHold.session_id == session.id, SeatHold.status == HoldStatus.HELD))


def _booked_seats(session):
    return db.session.scalar(select(func.coalesce(func.sum(Booking.seats), 0)).where(
        Booking.session_id == session.id, Booking.status.in_(list(HOLDING))))


def _counted_once(session):
    """The session's counter is exactly its bookings' seats plus its running holds' seats."""
    db.session.expire_all()
    return seats_taken(session) == _booked_seats(session) + _held_seats(session)


# --- the hold is seen as taken by everyone else --------------------------------------------------

def test_an_offer_holds_its_seats_and_others_see_them_taken(app, client):
    experience, session, adult, an = _full_with_one_offer(capacity=3, wanted=1)

    assert an.status == W.OFFERED and an.hold.status == HoldStatus.HELD and an.hold.seats == 1
    assert seats_taken(session) == 3 and _counted_once(session)  # the freed seat is held, not free
    page = client.get(f"/experiences/{experience.slug}").get_data(as_text=True)
    assert "Hết chỗ" in page and f'id="session-{session.id}"' not in page  # not in the picker
    api = client.get(f"/api/experiences/{experience.slug}").get_json()
    assert [s["seats_left"] for s in api["sessions"] if s["id"] == session.id] == [0]
    with pytest.raises(booking_cart.BookingCartError):
        booking_cart.add(booking_cart.GuestBookings(), session.id, {adult.id: 1})
    with pytest.raises(BookingUnavailable):
        _place(session, adult, 1)  # another shopper's checkout
    with pytest.raises(BookingUnavailable):
        _place(session, adult, 1, token="not-the-offer")
    assert seats_taken(session) == 3 and _counted_once(session)


# --- the offered person books the held seats -----------------------------------------------------

def test_the_offered_person_books_the_held_seats_through_the_link_and_checkout(app, client):
    experience, session, adult, an = _full_with_one_offer(capacity=3, wanted=2)
    token = _token_sent_to("an@example.com")

    offer = client.get(f"/experiences/waitlist/{token}")
    assert offer.status_code == 200 and "đang giữ 2 chỗ cho bạn" in offer.get_data(as_text=True)
    added = client.post(f"/experiences/waitlist/{token}/book", data={f"pt-{adult.id}": 2})
    assert added.status_code == 303 and added.headers["Location"].endswith("/cart")
    assert "Chỉ còn" not in client.get("/cart").get_data(as_text=True)  # the held seats are theirs
    html = client.get("/checkout").get_data(as_text=True)
    checkout_token = re.search(r'name="checkout_token" type="hidden" value="([^"]+)"', html)[1]
    seen = re.search(r'name="seen" type="hidden" value="([^"]+)"', html)[1]
    placed = client.post("/checkout", data={"name": "An", "phone": "0912000111", "email": "an@example.com",
                                            "payment_method": "at_pickup", "place": "1", "accept_terms": "y",
                                            "checkout_token": checkout_token, "seen": seen})
    assert placed.status_code == 303 and "/orders/" in placed.headers["Location"]

    db.session.expire_all()
    booking = db.session.scalars(select(Booking).where(Booking.session_id == session.id)
                                 .order_by(Booking.id.desc())).first()
    assert booking.order.email == "an@example.com" and booking.seats == 2
    assert booking.status == BookingStatus.CONFIRMED
    hold = db.session.get(SeatHold, an.hold_id)
    assert hold.status == HoldStatus.USED and hold.booking_id == booking.id
    assert seats_taken(session) == 3 and _counted_once(session)  # the hold became the booking: not 5
    assert client.get(f"/experiences/waitlist/{token}").status_code == 410  # done its work
    assert db.session.get(WaitlistEntry, an.id).status == W.BOOKED  # at once, not at the next sweep
    waitlist.sweep()
    assert db.session.get(WaitlistEntry, an.id).status == W.BOOKED

    changes.cancel_booking(booking, by="guest")  # cancelling gives back the booking's seats once
    assert seats_taken(session) == 1 and _counted_once(session)


def test_booking_the_held_seats_closes_the_offer_as_booked_in_the_same_transaction(app):
    experience, session, adult, an = _full_with_one_offer(capacity=3, wanted=2)
    binh = _join(session, "binh")
    token = _token_sent_to("an@example.com")

    placed = _place(session, adult, 2, token=token, contact=AN)  # no sweep runs after this

    db.session.expire_all()
    entry = db.session.get(WaitlistEntry, an.id)
    assert entry.status == W.BOOKED and entry.closed_at == placed.order.created_at
    assert entry.hold.status == HoldStatus.USED and entry.hold.booking_id == placed.order.bookings[0].id
    assert waitlist.position(db.session.get(WaitlistEntry, binh.id)) == 1  # an is out of the line
    assert waitlist.sweep() == 0 and db.session.get(WaitlistEntry, binh.id).status == W.WAITING


def test_a_placement_that_fails_after_taking_the_hold_leaves_the_offer_running(app):
    experience, session, adult, an = _full_with_one_offer(capacity=3, wanted=1)
    token = _token_sent_to("an@example.com")
    _other, nearly_full, other_adult, _child = workshop(capacity=2)  # a later session id: taken second
    book(nearly_full, (other_adult, 1))
    held = Ticket(session.id, adult.id, 1, adult.price)
    held.hold_token = token

    with pytest.raises(BookingUnavailable):  # the hold is taken first, then two seats of one refused
        place_order([], AN, {}, "at_pickup", new_checkout_token(),
                    booking_lines=[held, Ticket(nearly_full.id, other_adult.id, 2, other_adult.price)])

    db.session.expire_all()
    entry = db.session.get(WaitlistEntry, an.id)
    assert entry.status == W.OFFERED and entry.closed_at is None  # rolled back with the booking
    assert entry.hold.status == HoldStatus.HELD and _counted_once(session)
    _place(session, adult, 1, token=token, contact=AN)  # the link still books the held seat
    db.session.expire_all()
    assert db.session.get(WaitlistEntry, an.id).status == W.BOOKED


def test_booking_fewer_than_held_gives_the_rest_back_and_more_needs_free_seats(app):
    experience, session, adult, an = _full_with_one_offer(capacity=4, wanted=2)
    token = _token_sent_to("an@example.com")

    with pytest.raises(BookingUnavailable):
        _place(session, adult, 3, token=token)  # one more than held, and none is free
    assert db.session.get(SeatHold, an.hold_id).status == HoldStatus.HELD  # the refusal changed nothing
    _place(session, adult, 1, token=token, contact=AN)

    assert seats_taken(session) == 3 and _counted_once(session)  # 2 held -> 1 booked, 1 back on sale
    _place(session, adult, 1)  # the seat given back is anyone's
    assert seats_taken(session) == 4


def test_an_offer_to_an_account_is_booked_only_signed_in_as_it(app, client, login):
    user = UserFactory()
    experience, session, adult, an = _full_with_one_offer(capacity=2, wanted=1, user=user)
    token = _token_sent_to("an@example.com")

    with pytest.raises(BookingUnavailable):
        _place(session, adult, 1, token=token)  # the link alone, as a guest
    with pytest.raises(BookingUnavailable):
        _place(session, adult, 1, token=token, user=UserFactory())  # another account
    page = client.get(f"/experiences/waitlist/{token}").get_data(as_text=True)
    assert "Đăng nhập để đặt chỗ" in page and "book_waitlist_offer" not in page
    refused = client.post(f"/experiences/waitlist/{token}/book", data={f"pt-{adult.id}": 1})
    assert refused.status_code == 303 and "/auth/login" in refused.headers["Location"]

    login(user)
    assert "Thêm chỗ được giữ vào giỏ hàng" in client.get(f"/experiences/waitlist/{token}").get_data(as_text=True)
    placed = _place(session, adult, 1, token=token, user=user)
    assert placed.order.bookings[0].seats == 1 and seats_taken(session) == 2 and _counted_once(session)


# --- the producer sees booked and held seats apart ------------------------------------------------

def _seats_shown(page, marker):
    """The text and the data-seats of the seat line in the block ``marker`` opens."""
    block = page[page.index(marker):]
    found = re.search(r'data-seats="([^"]+)">([^<]+)</p>', block)
    return found[1], " ".join(found[2].split())


def test_the_producer_sees_seats_booked_and_held_for_the_waitlist_apart(app, client, login):
    experience, session, adult, an = _full_with_one_offer(capacity=5, wanted=2)
    login(ProducerUserFactory(producer=experience.product.producer))

    schedule = client.get(f"/producer/experiences/{experience.id}").get_data(as_text=True)
    dashboard = client.get("/producer/experiences").get_data(as_text=True)

    assert seats_taken(session) == 5  # the counter holds both; the pages tell them apart
    assert _seats_shown(schedule, f'data-session="{session.id}"') == (
        "3/2", "Đã đặt 3 · giữ cho hàng chờ 2 / 5 chỗ")
    assert _seats_shown(dashboard, f'data-experience="{experience.id}"') == (
        "3/2", "Chỗ đã đặt trong các buổi sắp tới: 3 · giữ cho hàng chờ 2")

    _place(session, adult, 1, token=_token_sent_to("an@example.com"), contact=AN)  # one of two held

    schedule = client.get(f"/producer/experiences/{experience.id}").get_data(as_text=True)
    dashboard = client.get("/producer/experiences").get_data(as_text=True)
    assert _seats_shown(schedule, f'data-session="{session.id}"') == ("4/0", "Đã đặt 4 / 5 chỗ")
    assert _seats_shown(dashboard, f'data-experience="{experience.id}"') == (
        "4/0", "Chỗ đã đặt trong các buổi sắp tới: 4")


# --- lapsed or declined: the hold passes on -----------------------------------------------------

def test_a_lapsed_offer_passes_its_hold_to_the_next_then_back_on_sale(app):
    experience, session, adult, an = _full_with_one_offer(capacity=3, wanted=1)
    binh = _join(session, "binh")
    an_token = _token_sent_to("an@example.com")

    assert waitlist.sweep(now=utcnow() + LAPSED) == 1

    db.session.expire_all()
    assert (an.status, binh.status) == (W.EXPIRED, W.OFFERED)
    assert an.hold.status == HoldStatus.RELEASED and binh.hold.status == HoldStatus.HELD
    assert seats_taken(session) == 3 and _counted_once(session)  # still held: now for binh
    with pytest.raises(BookingUnavailable):
        _place(session, adult, 1, token=an_token)  # an's link no longer holds anything
    with pytest.raises(BookingUnavailable):
        _place(session, adult, 1)  # nor is the seat anyone else's

    assert waitlist.sweep(now=utcnow() + 2 * LAPSED) == 0  # binh's lapses too; nobody waits
    db.session.expire_all()
    assert binh.status == W.EXPIRED and seats_taken(session) == 2 and _counted_once(session)
    _place(session, adult, 1)  # back on sale
    assert seats_taken(session) == 3


def test_declining_passes_the_hold_on_at_once(app, client):
    experience, session, adult, an = _full_with_one_offer(capacity=3, wanted=1)
    binh = _join(session, "binh")
    token = _token_sent_to("an@example.com")
    assert "/decline" in db.session.scalars(select(OutboxMessage.body).where(
        OutboxMessage.to_email == "an@example.com")).first()  # the mail has a decline link

    ask = client.get(f"/experiences/waitlist/{token}/decline")  # a mail scanner's visit changes nothing
    db.session.expire_all()
    assert ask.status_code == 200 and an.status == W.OFFERED and "Từ chối và nhường chỗ" in ask.get_data(as_text=True)

    declined = client.post(f"/experiences/waitlist/{token}/decline")

    assert declined.status_code == 303
    db.session.expire_all()
    assert (an.status, binh.status) == (W.LEFT, W.OFFERED) and an.hold.status == HoldStatus.RELEASED
    assert binh.hold.status == HoldStatus.HELD and seats_taken(session) == 3 and _counted_once(session)
    assert client.get(f"/experiences/waitlist/{token}").status_code == 410
    assert client.post(f"/experiences/waitlist/{token}/decline").status_code == 410

    waitlist.decline(_token_sent_to("binh@example.com"))  # nobody else waits: back on sale
    db.session.expire_all()
    assert binh.status == W.LEFT and seats_taken(session) == 2 and _counted_once(session)


def test_a_cancelled_session_releases_the_hold(app):
    from storefront.experiences import sessions
    experience, session, adult, an = _full_with_one_offer(capacity=3, wanted=1)

    sessions.cancel_session(session, by=None, reason="Mưa bão")

    db.session.expire_all()
    assert an.status == W.LEFT and an.hold.status == HoldStatus.RELEASED
    assert seats_taken(session) == 0 and _counted_once(session)


# --- racing checkouts ---------------------------------------------------------------------------

THREADS, CHECKOUTS_PER_THREAD = 50, 4


@pytest.fixture
def race_app(make_app):
    app = race_app_for(make_app)
    with app.app_context():
        yield app
        db.session.remove()


def _others(session_id, adult_id, price, n):
    return book_one_seat_repeatedly(session_id, adult_id, price, f"hold-{n}", CHECKOUTS_PER_THREAD)


def _offered(session_id, adult_id, price, token, seats):
    line = Ticket(session_id, adult_id, seats, price)
    line.hold_token = token
    try:
        place_order([], AN, {}, "at_pickup", "race-hold-offered",
                    booking_lines=[line])
        return ["offered booked"]
    except BookingUnavailable:
        return ["offered full"]
    except Exception as error:  # noqa: BLE001
        return [repr(error)]


def _sweep_lapsed():
    waitlist.sweep(now=utcnow() + LAPSED)
    return ["swept"]


def _race_setup(capacity=20, wanted=3, freed=5):
    """A full session of ``capacity``; "an" waits for ``wanted``; a booking of ``freed`` is cancelled."""
    experience, session, adult, child = workshop(capacity=capacity)
    book(session, (adult, capacity - freed))
    leaving = book(session, (adult, freed))
    _join(session, "an", wanted)
    changes.cancel_booking(leaving.order.bookings[0], by="guest")
    return session, adult, _token_sent_to("an@example.com")


def test_the_offered_person_and_two_hundred_racing_shoppers_never_overbook(race_app):
    session, adult, token = _race_setup(capacity=20, wanted=3, freed=5)  # 3 held, 2 free
    assert seats_taken(session) == 18

    jobs = [partial(_others, session.id, adult.id, adult.price, n) for n in range(THREADS)]
    jobs.append(partial(_offered, session.id, adult.id, adult.price, token, 3))
    outcomes = Counter(o for result in at_once(race_app, *jobs) for o in result)

    assert outcomes == {"booked": 2, "full": THREADS * CHECKOUTS_PER_THREAD - 2, "offered booked": 1}
    db.session.expire_all()
    assert seats_taken(session) == 20 and _booked_seats(session) == 20 and _held_seats(session) == 0
    assert db.session.scalars(select(SeatHold)).one().status == HoldStatus.USED
    assert db.session.scalars(select(WaitlistEntry.status)).all() == [W.BOOKED]


def test_an_offer_lapsing_while_it_is_booked_is_counted_once_either_way(race_app):
    session, adult, token = _race_setup(capacity=20, wanted=3, freed=3)  # 3 held, none free

    jobs = [partial(_others, session.id, adult.id, adult.price, n) for n in range(THREADS)]
    jobs += [partial(_offered, session.id, adult.id, adult.price, token, 3), _sweep_lapsed]
    outcomes = Counter(o for result in at_once(race_app, *jobs) for o in result)

    assert not [o for o in outcomes if o not in ("booked", "full", "offered booked", "offered full", "swept")]
    db.session.expire_all()
    hold = db.session.scalars(select(SeatHold)).one()
    entry = db.session.scalars(select(WaitlistEntry)).one()
    if hold.status == HoldStatus.USED:  # the checkout came first: the hold became the booking
        assert outcomes["offered booked"] == 1 and outcomes["booked"] == 0
        assert entry.status == W.BOOKED
    else:  # the lapse came first: the seats went back on sale (nobody else waits), anyone's to take
        assert hold.status == HoldStatus.RELEASED and entry.status == W.EXPIRED
        assert outcomes["booked"] + 3 * outcomes["offered booked"] <= 3
    assert seats_taken(session) == _booked_seats(session) <= 20 and _held_seats(session) == 0
