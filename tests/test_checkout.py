"""Checkout through the pages, and placement itself: amounts from the database, one order per token."""
import re

import pytest

from storefront.extensions import db
from storefront.models import Order, OrderLine, Product
from storefront.notifications.models import OutboxMessage
from storefront.orders import codes
from storefront.orders.placement import (
    AlreadyPlaced, OutOfStock, PickupNotPossible, PriceChanged, ProductUnavailable,
    PaymentMethodUnavailable, place_order,
)
from storefront.timeutil import local_today
from tests.support.checkout_support import CONTACT, cart_rows, line, make_shop, place, stock_of
from tests.support.factories import ProductFactory, StaffUserFactory, UserFactory
from tests.support.stripe_server import stripe_config, stripe_server  # noqa: F401

CUSTOMER = {"name": "Nguyễn Văn Khách", "phone": "0912345678", "email": "khach@example.com"}


@pytest.fixture
def three_outlets_stocked(db):
    return make_shop()


def add(client, product, quantity=1):
    client.post("/cart/add", data={"product_id": product.id, "quantity": quantity})


def fill(client, **fields):
    """Post the checkout page (contact, outlet, payment) asking for the review."""
    data = {**CUSTOMER, "payment_method": "at_pickup", "review": "1", **fields}
    return client.post("/checkout", data={k: v for k, v in data.items() if v is not None})


def review_token(client) -> str:
    page = client.get("/checkout/review").get_data(as_text=True)
    return re.search(r'name="checkout_token" type="hidden" value="([^"]+)"', page)[1]


def orders() -> list[Order]:
    db.session.expire_all()
    return db.session.scalars(db.select(Order).order_by(Order.id)).all()


def buy(client, three_outlets_stocked, outlet=None, **extra):
    """Put two vases and a cup in the cart and go through checkout to the placed order."""
    add(client, three_outlets_stocked.vase, 2)
    add(client, three_outlets_stocked.cup, 1)
    fill(client, outlet_id=(outlet or three_outlets_stocked.b).id)
    return client.post("/checkout/place", data={"accept_terms": "y", "checkout_token": review_token(client), **extra})


# --- the guest journey --------------------------------------------------------------------------

def test_a_guest_paying_at_pickup_gets_a_confirmed_order_with_frozen_prices(client, three_outlets_stocked):
    response = buy(client, three_outlets_stocked, outlet=three_outlets_stocked.b)

    (order,) = orders()
    assert response.headers["Location"] == f"/orders/{order.number}"
    assert re.fullmatch(rf"OC-{local_today().year}-\d{{6}}", order.number)
    assert order.number.endswith(f"{order.id:06d}")
    assert (order.name, order.phone, order.email) == tuple(CUSTOMER.values())
    assert order.user_id is None
    assert (order.payment_method, order.payment_status) == ("at_pickup", "unpaid")
    assert order.total == 2 * 150_000 + 40_000
    (pickup,) = order.pickups
    assert pickup.outlet_id == three_outlets_stocked.b.id and pickup.status == "confirmed"
    assert pickup.confirmed_at is not None and pickup.subtotal == order.total
    lines = {l.product_id: l for l in pickup.lines}
    assert (lines[three_outlets_stocked.vase.id].quantity,
            lines[three_outlets_stocked.vase.id].unit_price) == (2, 150_000)
    assert lines[three_outlets_stocked.vase.id].product_name == "Bình gốm"
    assert lines[three_outlets_stocked.vase.id].producer_id == three_outlets_stocked.vase.producer_id
    assert (stock_of(three_outlets_stocked.vase), stock_of(three_outlets_stocked.cup)) == (3, 9)
    assert [e.kind for e in order.events] == ["placed"]


def test_the_placed_order_keeps_its_prices_when_the_product_price_changes(client, three_outlets_stocked):
    buy(client, three_outlets_stocked)
    db.session.get(Product, three_outlets_stocked.vase.id).price = 999_000
    db.session.commit()
    line_ = db.session.scalar(db.select(OrderLine).where(OrderLine.product_id == three_outlets_stocked.vase.id))
    assert line_.unit_price == 150_000
    assert orders()[0].total == 340_000


def test_placing_empties_the_cart_and_lets_this_browser_see_the_codes(client, three_outlets_stocked):
    buy(client, three_outlets_stocked)
    (order,) = orders()
    with client.session_transaction() as sess:
        assert "cart" not in sess and "checkout" not in sess
        token = sess["order_tokens"][order.number]
    assert codes.token_matches(order, token)
    page = client.get(f"/orders/{order.number}").get_data(as_text=True)
    assert codes.pickup_code_of(order, order.pickups[0].id) in page


def test_pay_at_pickup_tells_the_outlet_staff_in_the_same_transaction(client, three_outlets_stocked):
    staff = StaffUserFactory(outlet=three_outlets_stocked.b)
    buy(client, three_outlets_stocked, outlet=three_outlets_stocked.b)
    sent = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.kind == "outlet_new_order"))
    assert [m.to_email for m in sent] == [staff.email]


def test_the_checkout_page_offers_only_outlets_carrying_every_item(client, three_outlets_stocked):
    add(client, three_outlets_stocked.vase, 1)
    add(client, three_outlets_stocked.cup, 1)
    page = client.get("/checkout").get_data(as_text=True)
    assert f'id="outlet-{three_outlets_stocked.a.id}"' in page and f'id="outlet-{three_outlets_stocked.b.id}"' in page
    assert f'id="outlet-{three_outlets_stocked.c.id}"' not in page


def test_choosing_an_outlet_that_lacks_an_item_is_refused(client, three_outlets_stocked):
    add(client, three_outlets_stocked.vase, 1)
    page = fill(client, outlet_id=three_outlets_stocked.c.id).get_data(as_text=True)
    assert "Điểm bán đã chọn không có đủ “Bình gốm”" in page
    with client.session_transaction() as sess:
        assert "contact" not in sess.get("checkout", {})


# --- splitting into pickups ----------------------------------------------------------------------

def test_a_cart_no_outlet_carries_entirely_is_split_and_a_group_can_move(client, three_outlets_stocked):
    add(client, three_outlets_stocked.vase, 1)
    add(client, three_outlets_stocked.tea, 1)
    page = client.get("/checkout").get_data(as_text=True)
    assert "đơn được chia thành 2 lần nhận" in page
    # The vase group starts at A (lowest id of the two carrying it); move it to B.
    fill(client, **{f"group-{three_outlets_stocked.a.id}": three_outlets_stocked.b.id,
                    f"group-{three_outlets_stocked.c.id}": three_outlets_stocked.c.id})
    client.post("/checkout/place", data={"accept_terms": "y", "checkout_token": review_token(client)})

    (order,) = orders()
    assert sorted((p.outlet_id, [l.product_id for l in p.lines]) for p in order.pickups) == \
        sorted([(three_outlets_stocked.b.id, [three_outlets_stocked.vase.id]),
                (three_outlets_stocked.c.id, [three_outlets_stocked.tea.id])])
    assert len({p.code_hash for p in order.pickups}) == 2
    assert sorted(p.subtotal for p in order.pickups) == [90_000, 150_000]


def test_a_group_cannot_move_to_an_outlet_missing_its_items(client, three_outlets_stocked):
    add(client, three_outlets_stocked.vase, 1)
    add(client, three_outlets_stocked.tea, 1)
    page = fill(client, **{f"group-{three_outlets_stocked.a.id}": three_outlets_stocked.c.id}).get_data(as_text=True)
    assert "Điểm bán đã chọn không có đủ “Bình gốm”" in page
    assert orders() == []


# --- what the form cannot change ---------------------------------------------------------------

def test_tampered_prices_quantities_and_product_ids_in_the_forms_change_nothing(client, three_outlets_stocked):
    other = ProductFactory(price=1_000, stock=50, outlets=[three_outlets_stocked.a, three_outlets_stocked.b])
    add(client, three_outlets_stocked.vase, 2)
    add(client, three_outlets_stocked.cup, 1)
    forged = {"product_id": other.id, "quantity": 50, "price": 1, "unit_price": 1, "total": 1,
              "amount": 1, f"price-{three_outlets_stocked.vase.id}": 1}
    fill(client, outlet_id=three_outlets_stocked.b.id, **forged)
    client.post("/checkout/place", data={"accept_terms": "y", "checkout_token": review_token(client), **forged})

    (order,) = orders()
    assert order.total == 340_000
    assert sorted((l.product_id, l.quantity, l.unit_price) for l in order.lines) == \
        sorted([(three_outlets_stocked.vase.id, 2, 150_000), (three_outlets_stocked.cup.id, 1, 40_000)])
    assert stock_of(other) == 50


def test_a_price_change_after_review_stops_the_placement(client, three_outlets_stocked):
    add(client, three_outlets_stocked.vase, 2)
    fill(client, outlet_id=three_outlets_stocked.a.id)
    token = review_token(client)
    db.session.get(Product, three_outlets_stocked.vase.id).price = 160_000
    db.session.commit()

    page = client.post("/checkout/place", data={"accept_terms": "y", "checkout_token": token},
                       follow_redirects=True).get_data(as_text=True)

    assert orders() == []
    assert stock_of(three_outlets_stocked.vase) == 5
    assert "Giá đã thay đổi từ" in page


def test_a_cart_changed_after_review_must_be_reviewed_again(client, three_outlets_stocked):
    add(client, three_outlets_stocked.vase, 1)
    fill(client, outlet_id=three_outlets_stocked.a.id)
    token = review_token(client)
    add(client, three_outlets_stocked.vase, 2)  # in another tab
    client.post("/checkout/place", data={"accept_terms": "y", "checkout_token": token})
    assert orders() == []


def test_submitting_the_review_twice_places_one_order(client, three_outlets_stocked):
    add(client, three_outlets_stocked.vase, 2)
    fill(client, outlet_id=three_outlets_stocked.a.id)
    token = review_token(client)

    first = client.post("/checkout/place", data={"accept_terms": "y", "checkout_token": token})
    second = client.post("/checkout/place", data={"accept_terms": "y", "checkout_token": token})

    (order,) = orders()
    assert first.headers["Location"] == second.headers["Location"] == f"/orders/{order.number}"
    assert stock_of(three_outlets_stocked.vase) == 3


def test_a_second_placement_with_the_same_checkout_token_finds_the_first_order(app, three_outlets_stocked):
    placed = place((three_outlets_stocked.vase, 1), outlet=three_outlets_stocked.a, token="same-token")
    with pytest.raises(AlreadyPlaced) as raised:
        place((three_outlets_stocked.vase, 1), outlet=three_outlets_stocked.a, token="same-token")
    assert raised.value.order.id == placed.order.id
    assert stock_of(three_outlets_stocked.vase) == 4


# --- contact details ----------------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "stored"), [
    ("0912345678", "0912345678"), ("0912 345 678", "0912345678"), ("+84912345678", "0912345678"),
    ("+84 912.345.678", "0912345678"), ("0243-123-456", "0243123456"),
    ("024 3874 1234", "02438741234"), ("+84 24 3874 1234", "02438741234"),
])
def test_vietnamese_phone_numbers_are_stored_starting_with_0(client, three_outlets_stocked, typed, stored):
    add(client, three_outlets_stocked.vase, 1)
    fill(client, outlet_id=three_outlets_stocked.a.id, phone=typed)
    client.post("/checkout/place", data={"accept_terms": "y", "checkout_token": review_token(client)})
    assert orders()[0].phone == stored


@pytest.mark.parametrize("typed", ["091234567", "09123456789", "+8491234567", "0012345678",
                                   "84912345678", "abc", "+1 415 555 0100", ""])
def test_a_bad_phone_number_is_refused_and_the_form_keeps_the_values(client, three_outlets_stocked, typed):
    add(client, three_outlets_stocked.vase, 1)
    page = fill(client, outlet_id=three_outlets_stocked.a.id, phone=typed).get_data(as_text=True)
    assert "Số điện thoại phải có 10 chữ số" in page or "Vui lòng nhập số điện thoại." in page
    assert 'value="Nguyễn Văn Khách"' in page
    with client.session_transaction() as sess:
        assert "contact" not in sess.get("checkout", {})


def test_a_missing_name_or_bad_email_is_refused(client, three_outlets_stocked):
    add(client, three_outlets_stocked.vase, 1)
    page = fill(client, outlet_id=three_outlets_stocked.a.id, name="", email="not-an-email").get_data(as_text=True)
    assert "Vui lòng nhập họ và tên." in page
    assert "Địa chỉ e-mail không hợp lệ." in page


def test_a_signed_in_shopper_finds_the_form_filled_and_owns_the_order(client, login, three_outlets_stocked):
    user = UserFactory(name="Trần Thị Mua", phone="0987654321")
    login(user)
    add(client, three_outlets_stocked.vase, 1)
    page = client.get("/checkout").get_data(as_text=True)
    assert 'value="Trần Thị Mua"' in page and f'value="{user.email}"' in page
    fill(client, outlet_id=three_outlets_stocked.a.id, name="Trần Thị Mua", email=user.email)
    client.post("/checkout/place", data={"accept_terms": "y", "checkout_token": review_token(client)})
    (order,) = orders()
    assert order.user_id == user.id
    assert cart_rows(user) == {}


# --- placement refusals (service) ---------------------------------------------------------------

def nothing_written(*products_and_stock) -> bool:
    return orders() == [] and all(stock_of(p) == n for p, n in products_and_stock)


def test_placement_refuses_a_product_no_longer_listed(app, three_outlets_stocked):
    db.session.get(Product, three_outlets_stocked.vase.id).status = "archived"
    db.session.commit()
    with pytest.raises(ProductUnavailable, match="Bình gốm"):
        place((three_outlets_stocked.vase, 1), (three_outlets_stocked.cup, 1), outlet=three_outlets_stocked.a)
    assert nothing_written((three_outlets_stocked.vase, 5), (three_outlets_stocked.cup, 10))


def test_placement_refuses_a_price_the_shopper_did_not_see(app, three_outlets_stocked):
    lines = [line(three_outlets_stocked.vase, 1, price_seen=100_000)]
    with pytest.raises(PriceChanged, match="Bình gốm"):
        place_order(lines, CONTACT, {three_outlets_stocked.vase.id: three_outlets_stocked.a.id}, "at_pickup", "t1")
    assert nothing_written((three_outlets_stocked.vase, 5))


def test_placement_refuses_an_outlet_that_does_not_carry_the_item(app, three_outlets_stocked):
    with pytest.raises(PickupNotPossible):
        place((three_outlets_stocked.vase, 1), outlet=three_outlets_stocked.c)
    three_outlets_stocked.b.active = False
    db.session.commit()
    with pytest.raises(PickupNotPossible):
        place((three_outlets_stocked.vase, 1), outlet=three_outlets_stocked.b)
    assert nothing_written((three_outlets_stocked.vase, 5))


def test_placement_refuses_more_than_the_stock_and_takes_nothing(app, three_outlets_stocked):
    with pytest.raises(OutOfStock):
        place((three_outlets_stocked.cup, 2), (three_outlets_stocked.vase, 6), outlet=three_outlets_stocked.a)
    assert nothing_written((three_outlets_stocked.cup, 10), (three_outlets_stocked.vase, 5))


def test_card_is_refused_without_stripe(app, three_outlets_stocked):
    with pytest.raises(PaymentMethodUnavailable):
        place((three_outlets_stocked.vase, 1), outlet=three_outlets_stocked.a, method="card")
    assert nothing_written((three_outlets_stocked.vase, 5))


def test_placement_stores_only_hashes_of_the_token_and_codes(app, three_outlets_stocked):
    placed = place_order([line(three_outlets_stocked.vase), line(three_outlets_stocked.tea)], CONTACT,
                         {three_outlets_stocked.vase.id: three_outlets_stocked.a.id,
                          three_outlets_stocked.tea.id: three_outlets_stocked.c.id}, "at_pickup", "t2")
    order = placed.order
    assert order.access_token_hash == codes.hash_access_token(placed.access_token)
    for pickup in order.pickups:
        code = placed.codes[pickup.id]
        assert code == codes.pickup_code_of(order, pickup.id)
        assert codes.code_matches(pickup, code) and code not in pickup.code_hash
    assert len(set(placed.codes.values())) == 2


# --- card payment -------------------------------------------------------------------------------

@pytest.fixture
def card_client(make_app, stripe_server):
    app = make_app(**stripe_config(stripe_server.url))
    with app.app_context():
        yield app.test_client()
        db.session.remove()


def test_card_is_offered_only_with_stripe_and_a_large_enough_total(client, make_app, three_outlets_stocked,
                                                                   stripe_server):
    add(client, three_outlets_stocked.vase, 1)
    assert 'value="card"' not in client.get("/checkout").get_data(as_text=True)

    app = make_app(**stripe_config(stripe_server.url, STRIPE_MIN_AMOUNT=200_000))
    with app.app_context():
        card = app.test_client()
        add(card, three_outlets_stocked.vase, 1)
        assert 'value="card"' not in card.get("/checkout").get_data(as_text=True)
        add(card, three_outlets_stocked.vase, 1)
        assert 'value="card"' in card.get("/checkout").get_data(as_text=True)


def test_a_card_order_waits_for_payment_and_sends_the_shopper_to_stripe(card_client, three_outlets_stocked,
                                                                         stripe_server):
    add(card_client, three_outlets_stocked.vase, 1)
    fill(card_client, outlet_id=three_outlets_stocked.a.id, payment_method="card")
    response = card_client.post("/checkout/place", data={"accept_terms": "y", "checkout_token": review_token(card_client)})

    (order,) = orders()
    assert response.status_code == 303
    assert response.headers["Location"] == stripe_server.sessions[order.stripe_session_id]["url"]
    assert (order.payment_method, order.payment_status) == ("card", "pending")
    assert order.payment_deadline is not None
    assert [p.status for p in order.pickups] == ["awaiting_payment"]
    assert stock_of(three_outlets_stocked.vase) == 4
    # Outlets and producers hear of it once it is paid; the shopper gets only the private link.
    assert db.session.scalars(db.select(OutboxMessage.kind)).all() == ["order_placed"]
    with card_client.session_transaction() as sess:
        token = sess["order_tokens"][order.number]
    # The secret token never goes to Stripe; coming back, the browser's session opens the order.
    session = stripe_server.sessions[order.stripe_session_id]
    assert token not in session["success_url"] and token not in session["cancel_url"]
    assert session["success_url"] == f"http://localhost/orders/{order.number}"
    back = card_client.get(session["success_url"])
    assert back.status_code == 200 and order.number in back.get_data(as_text=True)


def test_when_stripe_fails_the_card_order_is_cancelled_and_stock_returned(card_client, three_outlets_stocked,
                                                                          stripe_server):
    add(card_client, three_outlets_stocked.vase, 2)
    fill(card_client, outlet_id=three_outlets_stocked.a.id, payment_method="card")
    token = review_token(card_client)
    stripe_server.fail_next("/v1/checkout/sessions")

    page = card_client.post("/checkout/place", data={"accept_terms": "y", "checkout_token": token},
                            follow_redirects=True).get_data(as_text=True)

    (order,) = orders()
    assert order.payment_status == "failed"
    assert [p.status for p in order.pickups] == ["cancelled"]
    assert stock_of(three_outlets_stocked.vase) == 5
    assert "Cổng thanh toán đang gặp sự cố" in page and "đã được huỷ" in page
    with card_client.session_transaction() as sess:
        assert sess["cart"]  # the cart is kept, to try again


def test_the_journey_works_with_csrf_protection_on_and_refuses_a_forged_post(make_app, three_outlets_stocked):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        browser = app.test_client()

        def csrf(path):
            page = browser.get(path).get_data(as_text=True)
            return re.search(r'name="csrf_token"[^>]*?value="([^"]+)"', page)[1]

        assert browser.post("/cart/add", data={"product_id": three_outlets_stocked.vase.id, "quantity": 1}
                            ).status_code == 400  # no token: refused
        browser.post("/cart/add", data={"product_id": three_outlets_stocked.vase.id, "quantity": 1,
                                        "csrf_token": csrf("/cart")})
        browser.post("/checkout", data={**CUSTOMER, "outlet_id": three_outlets_stocked.a.id,
                                        "csrf_token": csrf("/checkout"),
                                        "payment_method": "at_pickup", "review": "1"})
        review = browser.get("/checkout/review").get_data(as_text=True)
        fields = dict(re.findall(r'name="(csrf_token|checkout_token)" type="hidden" value="([^"]+)"',
                                 review))
        response = browser.post("/checkout/place", data={**fields, "accept_terms": "y"})
        (order,) = orders()
        assert response.headers["Location"] == f"/orders/{order.number}"
        assert [line_.quantity for line_ in order.lines] == [1]  # the forged add took nothing
        db.session.remove()
