"""Opening a Stripe Checkout Session for a card order (against a local fake Stripe)."""
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

from storefront.orders.placement import Contact, place_order
from storefront.payments.gateway import PaymentError, create_checkout_session, stripe_enabled
from storefront.timeutil import utcnow
from tests.support.factories import OutletFactory, ProductFactory
from tests.support.payment_support import card_order, reload
from tests.support.stripe_server import (  # noqa: F401  (fixtures)
    SECRET_KEY, stripe_app, stripe_config, stripe_server,
)

SESSIONS = "/v1/checkout/sessions"


def test_card_payments_are_off_without_stripe_keys(app):
    assert not stripe_enabled(app)


def test_card_payments_are_on_with_both_stripe_keys(stripe_app):
    assert stripe_enabled(stripe_app)


def test_checkout_session_asks_for_whole_dong_in_vnd(stripe_app, stripe_server):
    order, (product,) = card_order(quantity=2, price=150000)

    url = create_checkout_session(order)

    (request,) = stripe_server.requests_to(SESSIONS)
    sent = request.data
    assert sent["mode"] == "payment"
    (item,) = sent["line_items"]
    assert item["price_data"]["currency"] == "vnd"
    assert item["price_data"]["unit_amount"] == "150000"  # zero-decimal: never x100
    assert item["quantity"] == "2"
    assert item["price_data"]["product_data"]["name"] == product.name_vi
    assert stripe_server.sessions[reload(order).stripe_session_id]["amount_total"] == 300000
    assert url == stripe_server.sessions[reload(order).stripe_session_id]["url"]


def test_checkout_session_names_the_order_and_the_shopper(stripe_app, stripe_server):
    order, _ = card_order()

    create_checkout_session(order, return_url="http://localhost/orders/X?token=secret")

    (request,) = stripe_server.requests_to(SESSIONS)
    sent = request.data
    assert sent["client_reference_id"] == str(order.id)
    assert sent["metadata"] == {"order_id": str(order.id), "order_number": order.number}
    assert sent["customer_email"] == order.email
    assert sent["success_url"] == sent["cancel_url"] == "http://localhost/orders/X?token=secret"
    assert request.idempotency_key == f"checkout-{order.id}-{order.checkout_token}"
    assert request.authorization == f"Bearer {SECRET_KEY}"


def test_checkout_returns_to_the_order_page_by_default(stripe_app, stripe_server):
    order, _ = card_order()

    create_checkout_session(order)

    (request,) = stripe_server.requests_to(SESSIONS)
    assert request.data["success_url"] == f"http://localhost/orders/{order.number}"


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_checkout_page_speaks_the_order_language(stripe_app, stripe_server, locale):
    order, _ = card_order(locale=locale)

    create_checkout_session(order)

    assert stripe_server.requests_to(SESSIONS)[0].data["locale"] == locale


def test_checkout_session_lasts_at_least_stripes_thirty_minutes_and_sets_the_deadline(
        stripe_app, stripe_server):
    order, _ = card_order()
    before = utcnow()

    create_checkout_session(order)

    expires_at = int(stripe_server.requests_to(SESSIONS)[0].data["expires_at"])
    expires = datetime.fromtimestamp(expires_at, timezone.utc).replace(tzinfo=None)
    assert expires >= before + timedelta(minutes=30)
    assert expires <= before + timedelta(minutes=32)
    order = reload(order)
    assert order.payment_deadline == expires
    assert order.stripe_session_id in stripe_server.sessions


def test_asking_again_reopens_the_same_session(stripe_app, stripe_server):
    order, _ = card_order()
    first = create_checkout_session(order)

    second = create_checkout_session(reload(order))

    assert second == first
    assert len(stripe_server.requests_to(SESSIONS)) == 1
    assert len(stripe_server.sessions) == 1


def test_a_retried_request_is_replayed_by_stripe_not_duplicated(stripe_app, stripe_server):
    order, _ = card_order()
    create_checkout_session(order)
    order.stripe_session_id = None  # as if the first answer had been lost

    create_checkout_session(order)

    first, again = stripe_server.requests_to(SESSIONS)
    assert again.replayed and again.idempotency_key == first.idempotency_key
    assert len(stripe_server.sessions) == 1


def test_an_expired_session_cannot_be_reopened(stripe_app, stripe_server):
    order, _ = card_order()
    create_checkout_session(order)
    stripe_server.expire(order.stripe_session_id)

    with pytest.raises(PaymentError, match="kết thúc"):
        create_checkout_session(reload(order))


def test_stripe_failure_raises_a_message_for_the_shopper_and_saves_nothing(
        stripe_app, stripe_server):
    order, _ = card_order()
    stripe_server.fail_next(SESSIONS, status=500)

    with pytest.raises(PaymentError, match="thanh toán khi nhận hàng"):
        create_checkout_session(order)

    assert reload(order).stripe_session_id is None


def test_unreachable_stripe_raises_payment_error(make_app):
    app = make_app(**stripe_config("http://127.0.0.1:9"))  # nothing listens on the discard port
    with app.app_context():
        order, _ = card_order()
        with pytest.raises(PaymentError):
            create_checkout_session(order)
        assert reload(order).stripe_session_id is None


def test_an_order_below_stripes_minimum_is_refused_before_calling_stripe(
        stripe_app, stripe_server):
    order, _ = card_order(quantity=1, price=5000)

    with pytest.raises(PaymentError, match="từ"):
        create_checkout_session(order)

    assert stripe_server.requests == []


def test_an_order_placed_by_checkout_opens_a_session_for_its_exact_total(
        stripe_app, stripe_server):
    outlet = OutletFactory()
    products = [ProductFactory(price=price, outlets=[outlet]) for price in (120000, 45000)]
    cart = [SimpleNamespace(product_id=p.id, quantity=n, price_seen=p.price)
            for p, n in zip(products, (1, 3))]
    placed = place_order(cart, Contact("Trần Văn An", "0912345678", "an@example.com"),
                         {p.id: outlet.id for p in products}, "card", "checkout-token-1",
                         locale="en")

    create_checkout_session(placed.order)

    session = stripe_server.sessions[reload(placed.order).stripe_session_id]
    assert session["amount_total"] == placed.order.total == 255000
    assert session["currency"] == "vnd" and session["locale"] == "en"
