"""`flask payments reconcile`: card orders still waiting are settled with what Stripe says."""
from datetime import timedelta

from storefront.orders.models import PaymentStatus, PickupStatus
from storefront.payments.services import reconcile
from storefront.timeutil import utcnow
from tests.support.payment_support import card_order_with_session, events_of, reload
from tests.support.stripe_server import stripe_app, stripe_server  # noqa: F401


def statuses(order) -> set[str]:
    return {p.status for p in reload(order).pickups}


def test_a_paid_session_whose_webhook_was_lost_confirms_the_order(stripe_app, stripe_server):
    order, (product,) = card_order_with_session(quantity=2)
    stripe_server.complete(order.stripe_session_id)

    outcomes = reconcile()

    assert outcomes == {"confirmed": 1}
    assert statuses(order) == {PickupStatus.CONFIRMED}
    assert reload(order).payment_status == PaymentStatus.PAID
    assert reload(product).stock == 8


def test_an_expired_session_cancels_the_order_and_returns_stock(stripe_app, stripe_server):
    order, (product,) = card_order_with_session(quantity=2)
    stripe_server.expire(order.stripe_session_id)

    assert reconcile() == {"expired": 1}

    assert statuses(order) == {PickupStatus.CANCELLED}
    assert reload(product).stock == 10


def test_an_open_session_past_the_deadline_is_closed_at_stripe_then_cancelled(
        stripe_app, stripe_server):
    order, (product,) = card_order_with_session(quantity=2)
    session_id = order.stripe_session_id

    outcomes = reconcile(now=reload(order).payment_deadline + timedelta(seconds=1))

    assert outcomes == {"expired": 1}
    assert len(stripe_server.requests_to(f"/v1/checkout/sessions/{session_id}/expire")) == 1
    assert stripe_server.sessions[session_id]["status"] == "expired"
    assert statuses(order) == {PickupStatus.CANCELLED}
    assert reload(product).stock == 10


def test_an_open_session_within_its_deadline_is_left_alone(stripe_app, stripe_server):
    order, _ = card_order_with_session()

    assert reconcile(now=utcnow()) == {"still_open": 1}

    expire = f"/v1/checkout/sessions/{order.stripe_session_id}/expire"
    assert stripe_server.requests_to(expire) == []
    assert statuses(order) == {PickupStatus.AWAITING_PAYMENT}


def test_a_session_paid_just_before_it_was_to_be_closed_confirms_the_order(
        stripe_app, stripe_server):
    order, _ = card_order_with_session()
    session_id = order.stripe_session_id
    deadline = reload(order).payment_deadline
    stripe_server.paid_at_last_moment.add(session_id)  # Stripe then refuses to expire it

    assert reconcile(now=deadline + timedelta(seconds=1)) == {"confirmed": 1}
    assert len(stripe_server.requests_to(f"/v1/checkout/sessions/{session_id}/expire")) == 1
    assert statuses(order) == {PickupStatus.CONFIRMED}


def test_reconciling_twice_confirms_once(stripe_app, stripe_server):
    order, _ = card_order_with_session()
    stripe_server.complete(order.stripe_session_id)

    reconcile()
    assert reconcile() == {}

    assert len(events_of(order, "payment_confirmed")) == 1


def test_stripe_being_down_changes_nothing(stripe_app, stripe_server):
    order, _ = card_order_with_session()
    stripe_server.fail_next("/v1/checkout/sessions/", status=500)

    assert reconcile() == {"stripe_error": 1}
    assert statuses(order) == {PickupStatus.AWAITING_PAYMENT}


def test_the_reconcile_command_reports_what_it_did(stripe_app, stripe_server):
    order, _ = card_order_with_session()
    stripe_server.complete(order.stripe_session_id)

    result = stripe_app.test_cli_runner().invoke(args=["payments", "reconcile"])

    assert result.exit_code == 0
    assert result.output.strip() == "1 orders checked (confirmed: 1)"


def test_the_reconcile_command_does_nothing_without_stripe(app):
    result = app.test_cli_runner().invoke(args=["payments", "reconcile"])

    assert result.exit_code == 0 and "not configured" in result.output
