"""Refunds: decided with the cancellation, sent to Stripe after commit, never twice."""
from functools import partial

import pytest

from storefront.extensions import db
from storefront.notifications.models import OutboxMessage
from storefront.orders import services as orders
from storefront.orders.models import PaymentStatus
from storefront.orders.transitions import InvalidTransition
from storefront.payments import refunds
from storefront.payments.models import Refund, RefundStatus
from tests.support.payment_support import paid_card_order, reload
from tests.support.stripe_server import stripe_app, stripe_server  # noqa: F401
from tests.support.race import at_once

REFUNDS = "/v1/refunds"


@pytest.fixture
def paid_order(stripe_app, stripe_server):
    """A card order of two pickups (150.000 ₫ × 2 each) that Stripe says is paid."""
    return paid_card_order(stripe_server)


def refunds_of(order) -> list[Refund]:
    return db.session.scalars(db.select(Refund).where(Refund.order_id == order.id)).all()


def test_cancelling_a_paid_order_refunds_each_pickup_once(paid_order, stripe_server):
    orders.cancel_order(paid_order, "admin@example.com", "Hết hàng")

    sent = stripe_server.requests_to(REFUNDS)
    assert sorted(r.idempotency_key for r in sent) == sorted(
        f"pickup-{p.id}" for p in paid_order.pickups)
    assert [r.params["amount"] for r in sent] == ["300000", "300000"]
    assert {r.params["payment_intent"] for r in sent} == {paid_order.stripe_payment_intent}
    assert reload(paid_order).payment_status == PaymentStatus.REFUNDED
    assert all(r.status == RefundStatus.SUCCEEDED and r.stripe_refund_id
               for r in refunds_of(paid_order))


def test_cancelling_again_sends_no_second_refund(paid_order, stripe_server):
    orders.cancel_order(paid_order, "admin@example.com", "Hết hàng")

    with pytest.raises(InvalidTransition):
        orders.cancel_order(reload(paid_order), "admin@example.com", "Hết hàng")

    assert len(stripe_server.requests_to(REFUNDS)) == 2
    assert len(stripe_server.refunds) == 2


def test_cancelling_one_pickup_refunds_only_its_share(paid_order, stripe_server):
    orders.cancel_pickup(paid_order.pickups[0], "admin@example.com", "Hết hàng")

    (sent,) = stripe_server.requests_to(REFUNDS)
    assert sent.params["amount"] == "300000"
    assert reload(paid_order).payment_status == PaymentStatus.PARTIALLY_REFUNDED


def test_the_shopper_is_told_of_the_refund_in_their_language(paid_order, stripe_server):
    paid_order.locale = "en"
    db.session.commit()

    orders.cancel_pickup(paid_order.pickups[0], "admin@example.com", "Hết hàng")

    (mail,) = db.session.scalars(
        db.select(OutboxMessage).where(OutboxMessage.kind == "refunded")).all()
    assert mail.to_email == paid_order.email and mail.locale == "en"
    assert paid_order.number in mail.subject
    assert "₫300,000" in mail.body  # money as English readers write it
    assert f"http://localhost/orders/{paid_order.number}" in mail.body


def test_a_refund_stripe_refuses_stays_pending_with_the_error(paid_order, stripe_server):
    stripe_server.fail_next(REFUNDS, status=500)

    orders.cancel_pickup(paid_order.pickups[0], "admin@example.com", "Hết hàng")

    (refund,) = refunds_of(paid_order)
    assert refund.status == RefundStatus.PENDING
    assert refund.attempts == 1 and "APIError" in refund.last_error
    assert reload(paid_order).payment_status == PaymentStatus.REFUND_PENDING
    assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))
                             .where(OutboxMessage.kind == "refunded")) == 0


def test_retry_refunds_sends_a_pending_refund_once(stripe_app, paid_order, stripe_server):
    stripe_server.fail_next(REFUNDS, status=500)
    orders.cancel_pickup(paid_order.pickups[0], "admin@example.com", "Hết hàng")
    runner = stripe_app.test_cli_runner()

    first = runner.invoke(args=["payments", "retry-refunds"])
    second = runner.invoke(args=["payments", "retry-refunds"])

    assert first.exit_code == 0 and "succeeded: 1" in first.output
    assert second.exit_code == 0 and second.output.startswith("0 refunds")
    assert len(stripe_server.refunds) == 1
    (refund,) = refunds_of(paid_order)
    assert refund.status == RefundStatus.SUCCEEDED and refund.attempts == 2
    assert reload(paid_order).payment_status == PaymentStatus.PARTIALLY_REFUNDED


def test_a_refund_already_sent_is_not_sent_again(paid_order, stripe_server):
    orders.cancel_pickup(paid_order.pickups[0], "admin@example.com", "Hết hàng")
    (refund,) = refunds_of(paid_order)

    refunds.send_refund(refund.id)

    assert len(stripe_server.requests_to(REFUNDS)) == 1


def test_two_senders_of_the_same_refund_refund_once(stripe_app, paid_order, stripe_server):
    stripe_server.fail_next(REFUNDS, status=500)
    orders.cancel_pickup(paid_order.pickups[0], "admin@example.com", "Hết hàng")
    (refund,) = refunds_of(paid_order)
    refund_id = refund.id
    db.session.commit()

    at_once(stripe_app, partial(refunds.send_refund, refund_id), partial(refunds.send_refund, refund_id))

    assert len(stripe_server.refunds) == 1
    assert reload(refund).status == RefundStatus.SUCCEEDED
