"""Checkout with only bookings in the cart (issue 24): no pickup outlet to choose, the payment methods
as for goods with paying at the venue instead of at pickup, placed through the pages."""
import re

from sqlalchemy import select

from storefront.bookings.models import Booking, BookingStatus
from storefront.extensions import db
from storefront.models import Order
from tests.support.bookings_support import seats_taken, workshop
from tests.support.transfer_support import app  # noqa: F401 — app: with the bank account (VietQR offered)

CUSTOMER = {"name": "Nguyễn Văn Khách", "phone": "0912345678", "email": "khach@example.com"}


def book_in_cart(client, experience, session, adult, child):
    response = client.post(f"/experiences/{experience.slug}/book",
                           data={"session_id": session.id, f"pt-{adult.id}": 2, f"pt-{child.id}": 1})
    assert response.status_code == 303


def test_a_cart_of_bookings_only_checks_out_at_the_venue_without_an_outlet(app, client):
    experience, session, adult, child = workshop()
    book_in_cart(client, experience, session, adult, child)

    page = client.get("/checkout")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Điểm nhận hàng" not in html and 'name="outlet_id"' not in html
    assert "Trả tại nơi trải nghiệm" in html and "Trả khi nhận hàng" not in html
    assert 'value="vietqr"' in html  # the methods are those offered for goods
    assert "Lớp làm gốm Bát Tràng" in html and "650.000" in html

    filled = client.post("/checkout", data={**CUSTOMER, "payment_method": "at_pickup", "review": "1"})
    assert filled.status_code == 303 and filled.headers["Location"].endswith("/checkout/review")
    review = client.get("/checkout/review").get_data(as_text=True)
    assert "Trả tại nơi trải nghiệm" in review and ">Nhận hàng<" not in review
    token = re.search(r'name="checkout_token" type="hidden" value="([^"]+)"', review)[1]

    placed = client.post("/checkout/place", data={"accept_terms": "y", "checkout_token": token})

    order = db.session.scalars(select(Order)).one()
    assert placed.status_code == 303 and placed.headers["Location"].endswith(f"/orders/{order.number}")
    assert order.pickups == [] and order.total == 650000 and order.payment_method == "at_pickup"
    (booking,) = db.session.scalars(select(Booking)).all()
    assert booking.status == BookingStatus.CONFIRMED and booking.seats == 3 and seats_taken(session) == 3
    shown = client.get(f"/orders/{order.number}")
    assert shown.status_code == 200 and "Lớp làm gốm Bát Tràng" in shown.get_data(as_text=True)
    assert client.get("/cart").status_code == 200 and not db.session.scalars(select(Booking).where(
        Booking.order_id != order.id)).all()


def test_a_cart_of_bookings_only_places_straight_from_the_checkout_page_by_transfer(app, client):
    experience, session, adult, child = workshop()
    book_in_cart(client, experience, session, adult, child)
    html = client.get("/checkout").get_data(as_text=True)
    token = re.search(r'name="checkout_token" type="hidden" value="([^"]+)"', html)[1]
    seen = re.search(r'name="seen" type="hidden" value="([^"]+)"', html)[1]

    client.post("/checkout", data={**CUSTOMER, "payment_method": "vietqr", "place": "1", "accept_terms": "y",
                                   "checkout_token": token, "seen": seen})

    order = db.session.scalars(select(Order)).one()
    assert order.payment_method == "vietqr" and order.pickups == []
    assert order.bookings[0].status == BookingStatus.AWAITING_PAYMENT


def test_an_empty_cart_still_does_not_check_out(app, client):
    response = client.get("/checkout")
    assert response.status_code == 302 and response.headers["Location"].endswith("/cart")
