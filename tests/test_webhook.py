"""The Stripe webhook: signed events applied exactly once, whatever order they arrive in."""
import json
import logging
import time

import pytest
from stripe import WebhookSignature

from storefront.extensions import db
from storefront.orders.models import PaymentStatus, PickupStatus
from storefront.payments.models import Refund, StripeEvent
from tests.support.payment_support import card_order_with_session, events_of, reload
from tests.support.race import at_once
from tests.support.stripe_server import (  # noqa: F401  (fixtures)
    WEBHOOK_SECRET, event_for, signed, stripe_app, stripe_server,
)

URL = "/stripe/webhook"
COMPLETED = "checkout.session.completed"
EXPIRED = "checkout.session.expired"


@pytest.fixture
def client(stripe_app):
    return stripe_app.test_client()


@pytest.fixture
def placed(stripe_app):
    """A card order for 2 × 150.000 ₫ waiting on its Checkout Session; stock 10 → 8."""
    order, (product,) = card_order_with_session(quantity=2, price=150000)
    return order, product


def post(client, event, **sign):
    body, headers = signed(event, **sign)
    return client.post(URL, data=body, headers=headers)


def outcome(response) -> str:
    return response.get_json()["outcome"]


def pickup_statuses(order) -> set[str]:
    return {p.status for p in reload(order).pickups}


def stock_of(product) -> int:
    return reload(product).stock


# --- signatures -------------------------------------------------------------------------------

def test_a_paid_completion_confirms_the_order(client, placed, stripe_server):
    order, product = placed
    session = stripe_server.complete(order.stripe_session_id)
    event = event_for(COMPLETED, session)

    response = post(client, event)

    assert response.status_code == 200 and outcome(response) == "confirmed"
    order = reload(order)
    assert order.payment_status == PaymentStatus.PAID and order.paid_at is not None
    assert order.stripe_payment_intent == session["payment_intent"]
    assert pickup_statuses(order) == {PickupStatus.CONFIRMED}
    assert stock_of(product) == 8
    recorded = db.session.get(StripeEvent, event["id"])
    assert (recorded.outcome, recorded.order_id) == ("confirmed", order.id)


def test_a_wrong_signature_is_refused_and_changes_nothing(client, placed, stripe_server):
    order, _ = placed
    event = event_for(COMPLETED, stripe_server.complete(order.stripe_session_id))

    response = post(client, event, secret="whsec_someone_else")

    assert response.status_code == 400
    assert pickup_statuses(order) == {PickupStatus.AWAITING_PAYMENT}
    assert db.session.scalar(db.select(db.func.count(StripeEvent.id))) == 0


def test_a_missing_signature_is_refused(client, placed, stripe_server):
    order, _ = placed
    event = event_for(COMPLETED, stripe_server.complete(order.stripe_session_id))

    response = client.post(URL, data=json.dumps(event), content_type="application/json")

    assert response.status_code == 400
    assert pickup_statuses(order) == {PickupStatus.AWAITING_PAYMENT}


def test_a_body_changed_after_signing_is_refused(client, placed, stripe_server):
    order, _ = placed
    event = event_for(COMPLETED, stripe_server.complete(order.stripe_session_id))
    body, headers = signed(event)

    response = client.post(URL, data=body.replace('"paid"', '"paid" '), headers=headers)

    assert response.status_code == 400
    assert pickup_statuses(order) == {PickupStatus.AWAITING_PAYMENT}


def test_a_stale_signature_timestamp_is_refused(client, placed, stripe_server):
    order, _ = placed
    event = event_for(COMPLETED, stripe_server.complete(order.stripe_session_id))

    response = post(client, event, timestamp=int(time.time()) - 600)

    assert response.status_code == 400
    assert pickup_statuses(order) == {PickupStatus.AWAITING_PAYMENT}


def test_a_signed_body_that_is_not_an_event_is_refused(client):
    body = "not json"
    header = WebhookSignature.generate_signature_header(body, WEBHOOK_SECRET)

    response = client.post(URL, data=body, headers={"Stripe-Signature": header})

    assert response.status_code == 400


# --- exactly once -----------------------------------------------------------------------------

def test_a_replayed_event_changes_nothing_the_second_time(client, placed, stripe_server):
    order, _ = placed
    event = event_for(COMPLETED, stripe_server.complete(order.stripe_session_id))

    first, second = post(client, event), post(client, event)

    assert (outcome(first), outcome(second)) == ("confirmed", "duplicate")
    assert len(events_of(order, "payment_confirmed")) == 1
    assert db.session.get(StripeEvent, event["id"]).outcome == "confirmed"


def test_the_same_event_posted_concurrently_takes_effect_once(stripe_app, placed, stripe_server):
    order, _ = placed
    event = event_for(COMPLETED, stripe_server.complete(order.stripe_session_id))
    body, headers = signed(event)
    db.session.commit()

    def deliver():
        return stripe_app.test_client().post(URL, data=body, headers=headers)

    answers = at_once(stripe_app, deliver, deliver)

    assert [a.status_code for a in answers] == [200, 200]
    assert sorted(outcome(a) for a in answers) == ["confirmed", "duplicate"]
    assert len(events_of(order, "payment_confirmed")) == 1
    assert pickup_statuses(order) == {PickupStatus.CONFIRMED}


# --- out of order, late, unpaid ---------------------------------------------------------------

def test_an_expired_session_cancels_the_order_and_returns_its_stock(client, placed, stripe_server):
    order, product = placed

    response = post(client, event_for(EXPIRED, stripe_server.expire(order.stripe_session_id)))

    assert outcome(response) == "expired"
    assert pickup_statuses(order) == {PickupStatus.CANCELLED}
    assert reload(order).payment_status == PaymentStatus.FAILED
    assert stock_of(product) == 10


def test_expiry_arriving_after_payment_leaves_the_order_paid(client, placed, stripe_server):
    order, product = placed
    session = stripe_server.complete(order.stripe_session_id)
    post(client, event_for(COMPLETED, session))

    response = post(client, event_for(EXPIRED, dict(session, status="expired")))

    assert outcome(response) == "already_paid"
    assert pickup_statuses(order) == {PickupStatus.CONFIRMED}
    assert reload(order).payment_status == PaymentStatus.PAID
    assert stock_of(product) == 8


def test_payment_arriving_after_expiry_is_refunded_once(client, placed, stripe_server):
    order, product = placed
    session_id = order.stripe_session_id
    post(client, event_for(EXPIRED, stripe_server.expire(session_id)))
    paid = stripe_server.complete(session_id)

    first = post(client, event_for(COMPLETED, paid))
    again = post(client, event_for(COMPLETED, paid))  # Stripe re-sends under a new event id

    assert (outcome(first), outcome(again)) == ("late_payment_refunded", "already_paid")
    (request,) = stripe_server.requests_to("/v1/refunds")
    assert request.idempotency_key == f"order-{order.id}-full"
    assert request.params["amount"] == "300000"
    assert request.params["payment_intent"] == paid["payment_intent"]
    order = reload(order)
    assert order.payment_status == PaymentStatus.REFUNDED
    assert pickup_statuses(order) == {PickupStatus.CANCELLED}
    assert stock_of(product) == 10  # the returned stock is not taken again


def test_an_unpaid_completion_keeps_waiting_for_the_payment(client, placed, stripe_server):
    order, _ = placed
    session = stripe_server.complete(order.stripe_session_id, paid=False)

    response = post(client, event_for(COMPLETED, session))

    assert outcome(response) == "awaiting_async_payment"
    assert pickup_statuses(order) == {PickupStatus.AWAITING_PAYMENT}
    assert reload(order).payment_status == PaymentStatus.PENDING


def test_an_async_payment_that_succeeds_confirms_the_order(client, placed, stripe_server):
    order, _ = placed
    post(client, event_for(COMPLETED, stripe_server.complete(order.stripe_session_id, paid=False)))
    session = stripe_server.complete(order.stripe_session_id, paid=True)

    response = post(client, event_for("checkout.session.async_payment_succeeded", session))

    assert outcome(response) == "confirmed"
    assert pickup_statuses(order) == {PickupStatus.CONFIRMED}


def test_an_async_payment_that_fails_cancels_the_order(client, placed, stripe_server):
    order, product = placed
    session = stripe_server.complete(order.stripe_session_id, paid=False)

    response = post(client, event_for("checkout.session.async_payment_failed", session))

    assert outcome(response) == "expired"
    assert pickup_statuses(order) == {PickupStatus.CANCELLED}
    assert stock_of(product) == 10


# --- payments that do not match ---------------------------------------------------------------

@pytest.mark.parametrize("amount, currency", [(3000, "vnd"), (300000, "usd"), (30000000, "vnd")])
def test_a_payment_of_another_amount_or_currency_is_not_confirmed(
        client, placed, stripe_server, caplog, amount, currency):
    order, _ = placed
    session = stripe_server.complete(order.stripe_session_id, amount=amount, currency=currency)

    with caplog.at_level(logging.ERROR, logger="storefront.payments"):
        response = post(client, event_for(COMPLETED, session))

    assert response.status_code == 200 and outcome(response) == "amount_mismatch"
    assert pickup_statuses(order) == {PickupStatus.AWAITING_PAYMENT}
    assert reload(order).payment_status == PaymentStatus.PENDING
    assert order.number in caplog.text


def test_a_payment_for_another_session_of_the_order_is_not_confirmed(client, placed, stripe_server):
    order, _ = placed
    session = dict(stripe_server.complete(order.stripe_session_id), id="cs_test_elsewhere")

    response = post(client, event_for(COMPLETED, session))

    assert outcome(response) == "session_mismatch"
    assert pickup_statuses(order) == {PickupStatus.AWAITING_PAYMENT}


def test_an_event_for_an_unknown_order_is_acknowledged_and_ignored(client, placed, stripe_server):
    order, _ = placed
    session = dict(stripe_server.complete(order.stripe_session_id), client_reference_id="999999",
                   metadata={"order_id": "999999"})

    response = post(client, event_for(COMPLETED, session))

    assert response.status_code == 200 and outcome(response) == "unknown_order"
    assert pickup_statuses(order) == {PickupStatus.AWAITING_PAYMENT}


def test_other_event_types_are_acknowledged_and_recorded(client, placed):
    event = event_for("payment_intent.created", {"id": "pi_1", "object": "payment_intent"})

    response = post(client, event)

    assert response.status_code == 200 and outcome(response) == "ignored"
    assert db.session.get(StripeEvent, event["id"]).outcome == "ignored"
    assert db.session.scalar(db.select(db.func.count(Refund.id))) == 0
