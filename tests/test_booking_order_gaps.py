"""Issue 24's gaps in the order and the catalogue, on both backends.

- An order paid at the venue is paid once everything owed is collected: its goods handed over and
  paid at the counter, and its bookings checked in and paid there (``BookingPayment``), through
  the one payment-moves table; never while a booking is still to come.
- The order page's "cancel order" button follows the one rule the service enforces
  (``transitions.shopper_may_cancel_order``), bookings included.
- An experience's catalogue card and product page show its sessions, not its product's stock.
"""
import re
from datetime import timedelta

import pytest

from storefront.booking_changes import services as changes
from storefront.bookings import money, tickets
from storefront.checkout.services import new_checkout_token
from storefront.bookings.models import Booking, BookingStatus
from storefront.catalog import stock
from storefront.catalog.models import Product
from storefront.experiences.models import ExperienceSession
from storefront.extensions import db
from storefront.models import Order
from storefront.orders import services as order_services
from storefront.orders.models import OrderEvent, PaymentStatus, Pickup
from storefront.orders.placement import place_order
from storefront.orders.transitions import shopper_may_cancel_order
from tests.support.bookings_support import book, tickets as ticket_lines, workshop
from tests.support.checkout_support import CONTACT
from tests.support.factories import ProductFactory, StaffUserFactory

CANCEL_BUTTON = 'action="/orders/{number}/cancel"'


def fresh(model, row):
    return db.session.get(model, row.id, populate_existing=True)


def check_in(placed, staff, **collected):
    booking = placed.order.bookings[0]
    return tickets.check_in(fresh(Booking, booking), placed.tickets[booking.id], staff, **collected)


def payment_moves(order) -> list[tuple[str, str]]:
    return [(e.from_status, e.to_status) for e in db.session.scalars(
        db.select(OrderEvent).where(OrderEvent.order_id == order.id, OrderEvent.kind == "payment_status")
        .order_by(OrderEvent.id))]


# --- 1. paid at the venue -------------------------------------------------------------------

def test_a_bookings_only_order_paid_at_the_venue_is_paid_once_its_bookings_are_checked_in_and_paid(app, client):
    experience, session, adult, child = workshop()
    other = ExperienceSession(experience=experience, starts_at=session.starts_at + timedelta(days=1),
                              ends_at=session.ends_at + timedelta(days=1),
                              day=session.day + timedelta(days=1), capacity=10)
    db.session.add(other)
    db.session.commit()
    placed = place_order([], CONTACT, {}, "at_pickup", new_checkout_token(),
                         booking_lines=ticket_lines(session, (adult, 2)) + ticket_lines(other, (child, 1)))
    order, staff = placed.order, StaffUserFactory(outlet=experience.outlet)
    first, second = order.bookings
    assert order.payment_status == PaymentStatus.UNPAID

    tickets.check_in(fresh(Booking, first), placed.tickets[first.id], staff, collected="cash", amount=500000)
    order = fresh(Order, order)
    assert order.payment_status == PaymentStatus.UNPAID and order.paid_at is None  # one still to come
    assert money.amount_due(fresh(Booking, second)) == 150000  # the place still takes it
    page = client.get(f"/orders/{order.number}", query_string={"t": placed.access_token}).get_data(as_text=True)
    assert "Đã thanh toán" not in page

    tickets.check_in(fresh(Booking, second), placed.tickets[second.id], staff, collected="transfer",
                     amount=150000)
    order = fresh(Order, order)
    assert order.payment_status == PaymentStatus.PAID and order.paid_at is not None
    assert payment_moves(order) == [("unpaid", "paid")]  # once, through the moves table
    page = client.get(f"/orders/{order.number}", query_string={"t": placed.access_token}).get_data(as_text=True)
    assert re.search(r'id="payment-status">Đã thanh toán<', page)


def test_goods_handed_over_do_not_make_the_order_paid_while_its_booking_is_still_to_be_paid(app):
    experience, session, adult, child = workshop()
    tea = ProductFactory(price=120_000, stock=5, outlets=[experience.outlet])
    placed = book(session, (adult, 1), goods=[(tea, 1)], outlet=experience.outlet)
    order, staff = placed.order, StaffUserFactory(outlet=experience.outlet)
    pickup = order.pickups[0]
    order_services.receive_line(pickup.lines[0], staff)
    order_services.hand_over(fresh(Pickup, pickup), placed.codes[pickup.id], staff,
                             collected="cash", amount=120000)

    order = fresh(Order, order)
    assert order.payment_status == PaymentStatus.UNPAID and order.paid_at is None
    booking = fresh(Booking, order.bookings[0])
    assert money.amount_due(booking) == 250000  # the ticket is still owed at check-in

    with pytest.raises(money.MoneyNotCollected):
        check_in(placed, staff)
    check_in(placed, staff, collected="cash", amount=250000)
    order = fresh(Order, order)
    assert order.payment_status == PaymentStatus.PAID and payment_moves(order) == [("unpaid", "paid")]


@pytest.mark.parametrize("end", ["cancelled", "no_show"])
def test_goods_paid_at_the_counter_and_the_booking_ended_unpaid_make_the_order_paid(app, end):
    experience, session, adult, child = workshop()
    tea = ProductFactory(price=120_000, stock=5, outlets=[experience.outlet])
    placed = book(session, (adult, 1), goods=[(tea, 1)], outlet=experience.outlet)
    order, staff = placed.order, StaffUserFactory(outlet=experience.outlet)
    pickup = order.pickups[0]
    order_services.receive_line(pickup.lines[0], staff)
    order_services.hand_over(fresh(Pickup, pickup), placed.codes[pickup.id], staff,
                             collected="cash", amount=120000)
    assert fresh(Order, order).payment_status == PaymentStatus.UNPAID

    booking = fresh(Booking, order.bookings[0])
    if end == "cancelled":
        changes.cancel_booking(booking, by="guest")
    else:
        assert changes.record_no_shows(now=session.ends_at + timedelta(minutes=1)) == 1
    assert fresh(Booking, booking).status == BookingStatus(end)

    order = fresh(Order, order)
    assert order.payment_status == PaymentStatus.PAID  # the goods' 120.000 was all that was owed


def test_a_bookings_only_order_cancelled_or_a_no_show_at_the_venue_is_never_paid(app):
    experience, session, adult, child = workshop()
    placed = book(session, (adult, 1))
    assert changes.record_no_shows(now=session.ends_at + timedelta(minutes=1)) == 1
    order = fresh(Order, placed.order)
    assert order.payment_status == PaymentStatus.UNPAID and order.paid_at is None


# --- 2. the shopper's cancel button -----------------------------------------------------------

def test_the_cancel_button_of_a_bookings_only_order_follows_the_free_cancellation_deadline(app, client):
    experience, session, adult, child = workshop(days_ahead=5)
    experience.cancel_free_hours = 48
    db.session.commit()
    placed = book(session, (adult, 1))
    order, token = placed.order, placed.access_token
    button = CANCEL_BUTTON.format(number=order.number)

    assert shopper_may_cancel_order(order)
    assert button in client.get(f"/orders/{order.number}", query_string={"t": token}).get_data(as_text=True)

    past = session.starts_at - timedelta(hours=47)  # within the 48 hours: no free cancellation
    assert not shopper_may_cancel_order(order, now=past)
    experience.cancel_free_hours = 24 * 6  # the deadline is now behind us
    db.session.commit()
    order = fresh(Order, order)
    assert not shopper_may_cancel_order(order)
    assert button not in client.get(f"/orders/{order.number}", query_string={"t": token}).get_data(as_text=True)
    with pytest.raises(order_services.InvalidTransition, match="quá hạn huỷ miễn phí"):
        order_services.cancel_order(order, "guest", "Khách hàng huỷ đơn", by_shopper=True)

    experience.cancel_free_hours = 24
    db.session.commit()
    response = client.post(f"/orders/{order.number}/cancel", query_string={"t": token}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert fresh(Booking, order.bookings[0]).status == BookingStatus.CANCELLED
    assert button not in page  # nothing left to cancel
    assert not shopper_may_cancel_order(fresh(Order, order))


def test_an_order_with_a_ready_pickup_cannot_be_cancelled_by_the_shopper_even_with_an_open_booking(app):
    experience, session, adult, child = workshop()
    tea = ProductFactory(price=120_000, stock=5, outlets=[experience.outlet])
    placed = book(session, (adult, 1), goods=[(tea, 1)], outlet=experience.outlet)
    order = placed.order
    assert shopper_may_cancel_order(order)
    order_services.receive_line(order.pickups[0].lines[0], StaffUserFactory(outlet=experience.outlet))
    order = fresh(Order, order)
    assert not shopper_may_cancel_order(order)
    with pytest.raises(order_services.InvalidTransition, match="sẵn sàng"):
        order_services.cancel_order(order, "guest", "Khách hàng huỷ đơn", by_shopper=True)


# --- 3. the experience's card ------------------------------------------------------------------

def _card_of(page: str, name: str) -> str:
    cards = re.findall(r"<article class=\"card h-100 product-card.*?</article>", page, re.S)
    found = [card for card in cards if name in card]
    assert len(found) == 1, cards
    return found[0]


def test_an_experience_card_shows_its_sessions_not_the_products_stock(app, client):
    experience, session, adult, child = workshop()
    assert experience.product.stock == 0  # as the producer page makes it
    ProductFactory(name_vi="Chè Thái Nguyên", stock=0)  # goods sold out stay sold out

    page = client.get("/products").get_data(as_text=True)
    card = _card_of(page, "Lớp làm gốm Bát Tràng")
    with app.test_request_context():
        day = app.jinja_env.from_string("{{ day|date }}").render(day=session.day)
    assert "Hết hàng" not in card and f"Có buổi từ {day}" in card
    assert "Hết hàng" in _card_of(page, "Chè Thái Nguyên")

    detail = client.get(f"/products/{experience.product.slug}").get_data(as_text=True)
    assert "Hết hàng" not in detail and f"Có buổi từ {day}" in detail and "Còn chỗ: 20" in detail
    assert f'href="/experiences/{experience.product.slug}"' in detail

    api = client.get("/api/products").get_json()
    listed = [p for p in api["items"] if p["slug"] == experience.product.slug]
    assert listed and listed[0]["stock_status"] == "in_stock"


def test_an_experience_with_no_session_left_says_so_instead_of_sold_out(app, client):
    experience, session, adult, child = workshop(capacity=1)
    book(session, (adult, 1))  # the only seat

    card = _card_of(client.get("/products").get_data(as_text=True), "Lớp làm gốm Bát Tràng")
    assert "Chưa có buổi còn chỗ" in card and "Hết hàng" not in card


def test_the_stock_rule_counts_an_experiences_seats_not_its_stock(app):
    product = db.session.get(Product, ProductFactory(stock=0).id)
    assert stock.is_sold_out(product)
    assert not stock.is_sold_out(product, seats_left=3)
    product.stock = 5
    assert stock.is_sold_out(product, seats_left=0) and not stock.is_sold_out(product)
