"""The order status page: who may see it, when codes show, and what the shopper may cancel."""
import pytest

from storefront.extensions import db
from storefront.models import Order, Pickup
from storefront.notifications.models import OutboxMessage
from storefront.orders import services
from storefront.orders.placement import place_order
from tests.support.checkout_support import CONTACT, line, make_shop, place, stock_of
from tests.support.factories import UserFactory


@pytest.fixture
def three_outlets_stocked(db):
    return make_shop()


@pytest.fixture
def placed(three_outlets_stocked):
    """A guest's pay-at-pickup order of two vases at outlet A."""
    return place((three_outlets_stocked.vase, 2), outlet=three_outlets_stocked.a)


def page(client, placed, token=None):
    query = f"?t={token}" if token else ""
    return client.get(f"/orders/{placed.order.number}{query}")


def pickup_of(placed, index=0) -> Pickup:
    db.session.expire_all()
    return db.session.get(Order, placed.order.id).pickups[index]


def make_ready(pickup) -> None:
    for order_line in pickup.lines:
        services.receive_line(order_line, "outlet")


# --- who may see it ----------------------------------------------------------------------------

def test_the_token_opens_the_order_with_its_code_as_text_and_qr(client, placed):
    html = page(client, placed, placed.access_token).get_data(as_text=True)
    code = placed.codes[placed.order.pickups[0].id]
    assert placed.order.number in html
    assert code in html
    assert "<svg" in html and "pickup-qr" in html
    assert "Điểm A" in html and "openstreetmap.org" in html
    assert "Đã đặt hàng" in html  # the timeline


def test_anyone_without_the_token_gets_not_found(client, placed):
    assert page(client, placed).status_code == 404
    assert page(client, placed, "wrong-token").status_code == 404
    assert client.get("/orders/OC-2000-999999").status_code == 404


def test_another_signed_in_shopper_gets_not_found(client, login, three_outlets_stocked):
    owner, stranger = UserFactory(), UserFactory()
    placed = place((three_outlets_stocked.vase, 1), outlet=three_outlets_stocked.a, user=owner)
    login(stranger)
    assert page(client, placed).status_code == 404


def test_the_signed_in_owner_sees_their_codes_on_any_device(client, login, three_outlets_stocked):
    owner = UserFactory()
    placed = place((three_outlets_stocked.vase, 1), outlet=three_outlets_stocked.a, user=owner)
    code = placed.codes[placed.order.pickups[0].id]
    login(owner)  # a second device: this browser never held the order's token

    html = page(client, placed).get_data(as_text=True)
    assert placed.order.number in html and code in html and "pickup-qr" in html

    assert "Đường dẫn riêng" not in html

    html = page(client, placed, placed.access_token).get_data(as_text=True)
    assert code in html
    assert f"/orders/{placed.order.number}?t={placed.access_token}" in html  # the link to keep


def test_a_token_opened_once_keeps_working_in_this_browser(client, placed):
    page(client, placed, placed.access_token)
    html = page(client, placed).get_data(as_text=True)
    assert placed.codes[placed.order.pickups[0].id] in html


def test_codes_show_only_while_the_pickup_is_confirmed_or_ready(client, make_app, three_outlets_stocked):
    card_app = make_app(STRIPE_SECRET_KEY="sk_test_x", STRIPE_WEBHOOK_SECRET="whsec_x")
    with card_app.app_context():
        card = place_order([line(three_outlets_stocked.vase)], CONTACT,
                           {three_outlets_stocked.vase.id: three_outlets_stocked.a.id}, "card", "card-1")
        number, token, (code,) = card.order.number, card.access_token, card.codes.values()
    opened = f"/orders/{number}?t={token}"
    html = client.get(opened).get_data(as_text=True)
    assert number in html and code not in html
    assert "Mã nhận hàng sẽ hiện sau khi thanh toán thành công." in html

    order = db.session.scalar(db.select(Order).where(Order.number == number))
    services.cancel_order(order, "guest", "test", by_shopper=True)
    assert code not in client.get(opened).get_data(as_text=True)


def test_a_ready_pickup_still_shows_its_code(client, placed):
    make_ready(pickup_of(placed))
    html = page(client, placed, placed.access_token).get_data(as_text=True)
    assert placed.codes[placed.order.pickups[0].id] in html
    assert "Sẵn sàng nhận hàng" in html


# --- cancelling -------------------------------------------------------------------------------

def test_the_shopper_cancels_before_ready_and_the_stock_returns(client, three_outlets_stocked, placed):
    assert stock_of(three_outlets_stocked.vase) == 3
    client.post(f"/orders/{placed.order.number}/cancel", data={"t": placed.access_token})

    assert pickup_of(placed).status == "cancelled"
    assert stock_of(three_outlets_stocked.vase) == 5
    kinds = db.session.scalars(db.select(OutboxMessage.kind)).all()
    assert "pickup_cancelled" in kinds


def test_the_shopper_cancels_one_pickup_of_a_split_order(client, three_outlets_stocked):
    placed = place_order([line(three_outlets_stocked.vase, 1), line(three_outlets_stocked.tea, 2)], CONTACT,
                         {three_outlets_stocked.vase.id: three_outlets_stocked.a.id,
                          three_outlets_stocked.tea.id: three_outlets_stocked.c.id}, "at_pickup", "split")
    tea_pickup = next(p for p in placed.order.pickups if p.outlet_id == three_outlets_stocked.c.id)
    page(client, placed, placed.access_token)  # remembered by the session from here on

    client.post(f"/orders/{placed.order.number}/pickups/{tea_pickup.id}/cancel")

    db.session.expire_all()
    statuses = {p.outlet_id: p.status for p in db.session.get(Order, placed.order.id).pickups}
    assert statuses == {three_outlets_stocked.a.id: "confirmed", three_outlets_stocked.c.id: "cancelled"}
    assert (stock_of(three_outlets_stocked.tea), stock_of(three_outlets_stocked.vase)) == (3, 4)


def test_the_shopper_cannot_cancel_once_the_pickup_is_ready(client, three_outlets_stocked, placed):
    make_ready(pickup_of(placed))
    html = client.post(f"/orders/{placed.order.number}/cancel", data={"t": placed.access_token},
                       follow_redirects=True).get_data(as_text=True)
    assert "không thể tự huỷ" in html
    assert pickup_of(placed).status == "ready"
    assert stock_of(three_outlets_stocked.vase) == 3


def test_a_stranger_cannot_cancel(client, three_outlets_stocked, placed):
    response = client.post(f"/orders/{placed.order.number}/cancel")
    assert response.status_code == 404
    assert pickup_of(placed).status == "confirmed"
    assert stock_of(three_outlets_stocked.vase) == 3


def test_a_pickup_of_another_order_is_not_found(client, three_outlets_stocked, placed):
    other = place((three_outlets_stocked.cup, 1), outlet=three_outlets_stocked.a)
    response = client.post(f"/orders/{placed.order.number}/pickups/{other.order.pickups[0].id}/cancel",
                           data={"t": placed.access_token})
    assert response.status_code == 404
    assert stock_of(three_outlets_stocked.cup) == 9


# --- the account page ----------------------------------------------------------------------------

def test_the_account_page_lists_the_shoppers_own_orders(client, login, three_outlets_stocked):
    owner = UserFactory()
    mine = place((three_outlets_stocked.vase, 1), outlet=three_outlets_stocked.a, user=owner)
    theirs = place((three_outlets_stocked.cup, 1), outlet=three_outlets_stocked.a, user=UserFactory())
    login(owner)
    html = client.get("/auth/account").get_data(as_text=True)
    assert mine.order.number in html and "Đã xác nhận" in html
    assert theirs.order.number not in html


def test_the_placed_mail_carries_the_private_link_that_shows_the_codes(client, placed):
    [mail] = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.kind == "order_placed"))
    assert mail.to_email == CONTACT.email
    link = next(word for word in mail.body.split() if "/orders/" in word)
    assert link.endswith(f"/orders/{placed.order.number}?t={placed.access_token}")

    fresh_browser = client.application.test_client()
    html = fresh_browser.get(link.split("localhost", 1)[1]).get_data(as_text=True)
    assert placed.codes[placed.order.pickups[0].id] in html
