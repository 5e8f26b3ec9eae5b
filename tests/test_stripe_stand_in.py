"""The local Stripe stand-in refuses what Stripe refuses, so the shop's requests are held to
Stripe's rules (the installed ``stripe`` library's parameter definitions and Stripe's documented
limits); and the shop's own requests pass them, in both languages."""
import copy
import time

import pytest
import stripe

from storefront.extensions import db
from storefront.payments.gateway import create_checkout_session
from tests.support.payment_support import card_order
from tests.support.stripe_server import SECRET_KEY, stripe_app, stripe_server  # noqa: F401

SESSIONS = "/v1/checkout/sessions"


def client_for(server, key=SECRET_KEY) -> stripe.StripeClient:
    return stripe.StripeClient(key, base_addresses={"api": server.url}, max_network_retries=0)


def good_session() -> dict:
    return {
        "mode": "payment",
        "allowed_payment_method_types": ["card"],
        "line_items": [{"quantity": 2, "price_data": {
            "currency": "vnd", "unit_amount": 150000,
            "product_data": {"name": "Bình gốm men lam", "description": "chiếc"}}}],
        "locale": "vi",
        "expires_at": int(time.time()) + 31 * 60,
        "success_url": "http://localhost/orders/OC-2026-000001",
        "cancel_url": "http://localhost/orders/OC-2026-000001",
    }


def _set(path, value):
    def change(params):
        node = params
        for part in path[:-1]:
            node = node[part]
        if value is _DROP:
            del node[path[-1]]
        else:
            node[path[-1]] = value
    return change


_DROP = object()
PRICE = ("line_items", 0, "price_data")

REFUSED_SESSIONS = {
    "expires_at 60 s away": _set(("expires_at",), int(time.time()) + 60),
    "unknown locale": _set(("locale",), "xx"),
    "unknown payment method type": _set(("allowed_payment_method_types",), ["foo"]),
    "parameter gone at this API version": _set(("payment_method_types",), ["card"]),
    "empty product name": _set(PRICE + ("product_data", "name"), ""),
    "total under Stripe's minimum": _set(PRICE + ("unit_amount",), 50),
    "quantity 0": _set(("line_items", 0, "quantity"), 0),
    "negative unit_amount": _set(PRICE + ("unit_amount",), -1),
    "no success_url": _set(("success_url",), _DROP),
    "no mode": _set(("mode",), _DROP),
}


def test_the_stand_in_accepts_a_session_stripe_accepts(stripe_server):
    session = client_for(stripe_server).v1.checkout.sessions.create(params=good_session())

    assert session.status == "open" and session.amount_total == 300000


@pytest.mark.parametrize("change", REFUSED_SESSIONS.values(), ids=REFUSED_SESSIONS.keys())
def test_the_stand_in_refuses_a_session_stripe_refuses(stripe_server, change):
    params = copy.deepcopy(good_session())
    change(params)

    with pytest.raises(stripe.InvalidRequestError):
        client_for(stripe_server).v1.checkout.sessions.create(params=params)

    assert stripe_server.sessions == {}


def test_a_wrong_api_key_is_refused(stripe_server):
    with pytest.raises(stripe.AuthenticationError):
        client_for(stripe_server, key="sk_test_wrong").v1.checkout.sessions.create(
            params=good_session())


@pytest.mark.parametrize("amount", [0, 300001], ids=["nothing", "more than was paid"])
def test_the_stand_in_refuses_refunds_stripe_refuses(stripe_server, amount):
    client = client_for(stripe_server)
    session = client.v1.checkout.sessions.create(params=good_session())
    stripe_server.complete(session.id)

    with pytest.raises(stripe.InvalidRequestError):
        client.v1.refunds.create(params={"payment_intent": f"pi_{session.id}", "amount": amount})

    client.v1.refunds.create(params={"payment_intent": f"pi_{session.id}", "amount": 300000})
    with pytest.raises(stripe.InvalidRequestError):  # all of it is back already
        client.v1.refunds.create(params={"payment_intent": f"pi_{session.id}", "amount": 1})


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_the_shops_checkout_request_passes_stripes_rules(stripe_app, stripe_server, locale):
    order, _ = card_order(locale=locale)

    create_checkout_session(order)

    (request,) = stripe_server.requests_to(SESSIONS)
    assert request.data["locale"] == locale
    assert request.data["allowed_payment_method_types"] == ["card"]


def test_english_shoppers_see_english_names_and_units_at_stripe(stripe_app, stripe_server):
    order, (product,) = card_order(locale="en")
    product.name_en, product.unit_en = "Blue-glaze vase", "piece"
    db.session.commit()

    create_checkout_session(order)

    (item,) = stripe_server.requests_to(SESSIONS)[0].data["line_items"]
    assert item["price_data"]["product_data"] == {"name": "Blue-glaze vase",
                                                  "description": "piece"}


def test_vietnamese_shoppers_and_products_without_english_keep_the_vietnamese(
        stripe_app, stripe_server):
    order, (product,) = card_order(locale="en")
    product.name_en = product.unit_en = None
    db.session.commit()

    create_checkout_session(order)

    (item,) = stripe_server.requests_to(SESSIONS)[0].data["line_items"]
    assert item["price_data"]["product_data"]["name"] == product.name_vi
