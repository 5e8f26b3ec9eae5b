"""Card refunds as Stripe really does them: pending until Stripe says succeeded, failures shown to
the admins, looked up before any re-send, sent from background work; unpaid cancelled orders
closed at Stripe."""
import pytest
import stripe

from storefront import queue
from storefront.extensions import db
from storefront.notifications.models import OutboxMessage
from storefront.orders import services as orders
from storefront.orders.models import PaymentStatus
from storefront.payments import refunds, services as payments
from storefront.payments.models import Refund, RefundStatus, StripeEvent
from storefront.unit_of_work import transaction
from tests.support.factories import AdminFactory
from tests.support.payment_support import card_order_with_session, paid_card_order, reload
from tests.support.stripe_server import (  # noqa: F401  (fixtures)
    event_for, refund_event, signed, stripe_app, stripe_server,
)

REFUNDS = "/v1/refunds"
ADMIN = "admin@example.com"


@pytest.fixture
def client(stripe_app):
    return stripe_app.test_client()


@pytest.fixture
def paid_order(stripe_app, stripe_server):
    """A card order of two pickups (300.000 ₫ each) that Stripe says is paid."""
    return paid_card_order(stripe_server)


def refunds_of(order) -> list[Refund]:
    db.session.expire_all()
    return db.session.scalars(db.select(Refund).where(Refund.order_id == order.id)
                              .order_by(Refund.id)).all()


def refunded_mails() -> int:
    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count(OutboxMessage.id))
                             .where(OutboxMessage.kind == "refunded"))


def post(client, event):
    body, headers = signed(event)
    return client.post("/stripe/webhook", data=body, headers=headers)


# --- pending is not success ----------------------------------------------------------------------

@pytest.mark.parametrize("answer", ["pending", "requires_action"])
def test_a_refund_stripe_has_not_finished_stays_in_progress_and_the_shopper_waits(
        paid_order, stripe_server, answer):
    stripe_server.refund_status = answer

    orders.cancel_pickup(paid_order.pickups[0], ADMIN, "Hết hàng")

    (refund,) = refunds_of(paid_order)
    assert refund.status == RefundStatus.PENDING and refund.stripe_status == answer
    assert refund.stripe_refund_id in stripe_server.refunds
    assert reload(paid_order).payment_status == PaymentStatus.REFUND_PENDING
    assert refunded_mails() == 0


def test_refund_updated_to_succeeded_tells_the_shopper_once_however_often_it_comes(
        paid_order, stripe_server, client):
    stripe_server.refund_status = "pending"
    orders.cancel_pickup(paid_order.pickups[0], ADMIN, "Hết hàng")
    (refund,) = refunds_of(paid_order)

    response = stripe_server.send_refund_update(client, refund.stripe_refund_id, "succeeded")
    event = refund_event("refund.updated", stripe_server.refunds[refund.stripe_refund_id])
    post(client, event)
    replay = post(client, event)
    also = post(client, refund_event("charge.refund.updated",
                                     stripe_server.refunds[refund.stripe_refund_id]))

    assert response.status_code == 200 and response.json["outcome"] == "refund_succeeded"
    assert replay.json["outcome"] == "duplicate"
    assert also.json["outcome"] == "refund_unchanged"
    assert reload(refund).status == RefundStatus.SUCCEEDED
    assert reload(paid_order).payment_status == PaymentStatus.PARTIALLY_REFUNDED
    assert refunded_mails() == 1
    stored = db.session.get(StripeEvent, event["id"])
    assert stored.order_id == paid_order.id


def test_a_late_pending_update_does_not_undo_a_success(paid_order, stripe_server, client):
    stripe_server.refund_status = "pending"
    orders.cancel_pickup(paid_order.pickups[0], ADMIN, "Hết hàng")
    (refund,) = refunds_of(paid_order)
    pending = refund_event("refund.updated", dict(stripe_server.refunds[refund.stripe_refund_id]))
    stripe_server.send_refund_update(client, refund.stripe_refund_id, "succeeded")

    late = post(client, pending)

    assert late.json["outcome"] == "refund_unchanged"
    assert reload(refund).status == RefundStatus.SUCCEEDED


def test_a_failed_refund_is_shown_to_the_admins_and_the_shopper_is_not_told_refunded(
        paid_order, stripe_server, client, login):
    stripe_server.refund_status = "pending"
    orders.cancel_pickup(paid_order.pickups[0], ADMIN, "Hết hàng")
    (refund,) = refunds_of(paid_order)

    response = stripe_server.send_refund_update(client, refund.stripe_refund_id, "failed",
                                                failure_reason="expired_or_canceled_card")

    assert response.json["outcome"] == "refund_failed"
    refund = reload(refund)
    assert refund.status == RefundStatus.FAILED
    assert "expired_or_canceled_card" in refund.last_error
    assert reload(paid_order).payment_status == PaymentStatus.PAID  # nothing came back
    assert refunded_mails() == 0
    login(AdminFactory(), test_client=client)
    page = client.get("/admin/refunds").get_data(as_text=True)
    assert paid_order.number in page and "300.000" in page and "expired_or_canceled_card" in page


def test_an_update_for_a_refund_that_is_not_ours_changes_nothing(paid_order, client):
    foreign = {"id": "re_foreign", "object": "refund", "amount": 1000, "status": "succeeded",
               "payment_intent": "pi_someone_else", "metadata": {}}

    response = post(client, refund_event("refund.updated", foreign))

    assert response.status_code == 200 and response.json["outcome"] == "unknown_refund"
    assert refunds_of(paid_order) == []


def test_the_sweep_finds_a_refund_finished_without_a_webhook(paid_order, stripe_server):
    stripe_server.refund_status = "pending"
    orders.cancel_pickup(paid_order.pickups[0], ADMIN, "Hết hàng")
    (refund,) = refunds_of(paid_order)
    stripe_server.settle_refund(refund.stripe_refund_id, "succeeded")  # its event was lost

    counts = refunds.retry_refunds()

    assert counts == {"succeeded": 1}
    assert len(stripe_server.requests_to(REFUNDS)) == 1  # looked up, never sent again
    assert stripe_server.requests_to(f"{REFUNDS}/{refund.stripe_refund_id}", method="GET")
    assert reload(refund).status == RefundStatus.SUCCEEDED and refunded_mails() == 1


def test_a_refund_stripe_refuses_outright_goes_to_the_admins_instead_of_retrying_forever(
        paid_order, stripe_server, client, login):
    # Someone refunded the whole payment in Stripe's dashboard: nothing is left to refund.
    stripe.StripeClient("sk_test_local_fake", base_addresses={"api": stripe_server.url},
                        max_network_retries=0).v1.refunds.create(
        params={"payment_intent": paid_order.stripe_payment_intent})

    orders.cancel_pickup(paid_order.pickups[0], ADMIN, "Hết hàng")
    refunds.retry_refunds()

    (refund,) = refunds_of(paid_order)
    assert refund.status == RefundStatus.FAILED and refund.attempts == 1
    assert "greater than unrefunded amount" in refund.last_error
    assert refunded_mails() == 0
    login(AdminFactory(), test_client=client)
    assert paid_order.number in client.get("/admin/refunds").get_data(as_text=True)


# --- a lost answer, retried after Stripe forgot the idempotency key -------------------------------

def test_a_refund_whose_answer_was_lost_is_found_at_stripe_not_paid_twice(
        paid_order, stripe_server):
    stripe_server.lose_next_answer(REFUNDS)
    orders.cancel_pickup(paid_order.pickups[0], ADMIN, "Hết hàng")
    (refund,) = refunds_of(paid_order)
    assert refund.status == RefundStatus.PENDING and refund.stripe_refund_id is None
    (made,) = stripe_server.refunds.values()  # Stripe did it
    stripe_server.forget_idempotency_keys()  # a day later

    refunds.send_refund(refund.id)

    assert list(stripe_server.refunds) == [made["id"]]
    assert len(stripe_server.requests_to(REFUNDS)) == 1
    (lookup,) = stripe_server.requests_to(REFUNDS, method="GET")
    assert lookup.params["payment_intent"] == paid_order.stripe_payment_intent
    assert made["metadata"] == {"refund_id": str(refund.id)}
    refund = reload(refund)
    assert refund.status == RefundStatus.SUCCEEDED and refund.stripe_refund_id == made["id"]


def test_a_refund_stripe_never_made_is_made_after_the_look_up(paid_order, stripe_server):
    stripe_server.fail_next(REFUNDS, status=500)
    orders.cancel_pickup(paid_order.pickups[0], ADMIN, "Hết hàng")
    stripe_server.forget_idempotency_keys()
    (refund,) = refunds_of(paid_order)

    refunds.send_refund(refund.id)

    assert stripe_server.requests_to(REFUNDS, method="GET")
    assert len(stripe_server.refunds) == 1
    assert reload(refund).status == RefundStatus.SUCCEEDED


# --- background work ------------------------------------------------------------------------------

@pytest.fixture
def task_queue(stripe_app, tmp_path):
    """Huey on a SQLite file of this test's own (a real queue, not run in the caller)."""
    from huey.storage import SqliteStorage

    huey = queue.huey
    saved = huey.storage, huey.immediate
    huey.immediate = False
    huey.storage = SqliteStorage(huey.name, filename=str(tmp_path / "tasks.db"))
    yield huey
    huey.storage, huey.immediate = saved


def work(queue) -> list[str]:
    done = []
    while (task := queue.dequeue()) is not None:
        queue.execute(task)
        done.append(task.name)
    return done


def test_a_late_payment_webhook_plans_the_refund_and_a_worker_sends_it(
        stripe_app, stripe_server, client, task_queue):
    order, _ = card_order_with_session()
    with transaction():
        payments.apply_failed(payments.lock_order(order.id), "stripe", "hết hạn")
    session = stripe_server.complete(order.stripe_session_id)  # paid as it closed

    response = post(client, event_for("checkout.session.completed", session))

    assert response.json["outcome"] == "late_payment_refunded"
    assert stripe_server.requests_to(REFUNDS) == []  # the request did not wait for Stripe
    assert "send_refund" in work(task_queue)
    (sent,) = stripe_server.requests_to(REFUNDS)
    assert sent.params["amount"] == str(order.total)
    assert refunds_of(order)[0].status == RefundStatus.SUCCEEDED


# --- cancelling an unpaid card order ---------------------------------------------------------------

def test_cancelling_an_unpaid_card_order_closes_its_checkout_page_at_stripe(
        stripe_app, stripe_server):
    order, _ = card_order_with_session()

    orders.cancel_order(order, "guest", "Khách hàng huỷ đơn", by_shopper=True)

    session_id = reload(order).stripe_session_id
    assert stripe_server.requests_to(f"/v1/checkout/sessions/{session_id}/expire")
    assert stripe_server.sessions[session_id]["status"] == "expired"
    assert stripe_server.requests_to(REFUNDS) == []


def test_closing_waits_for_commit_and_runs_in_the_background(stripe_app, stripe_server,
                                                             task_queue):
    order, _ = card_order_with_session()

    orders.cancel_order(order, "guest", "Khách hàng huỷ đơn", by_shopper=True)

    session_id = reload(order).stripe_session_id
    assert stripe_server.sessions[session_id]["status"] == "open"
    assert "expire_checkout" in work(task_queue)
    assert stripe_server.sessions[session_id]["status"] == "expired"


def test_a_session_paid_as_it_is_closed_is_refunded_by_its_webhook(stripe_app, stripe_server,
                                                                   client):
    order, _ = card_order_with_session()
    stripe_server.paid_at_last_moment.add(order.stripe_session_id)

    orders.cancel_order(order, "guest", "Khách hàng huỷ đơn", by_shopper=True)
    session = dict(stripe_server.sessions[order.stripe_session_id])
    response = post(client, event_for("checkout.session.completed", session))

    assert session["status"] == "complete"
    assert response.json["outcome"] == "late_payment_refunded"
    assert refunds_of(order)[0].status == RefundStatus.SUCCEEDED
