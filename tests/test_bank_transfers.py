"""VietQR transfers confirmed by the bank's notifications (SePay's format), on both databases.

Protects: only the right key changes anything; every notification counts once, whatever the
replays and parallel duplicates; a full or larger transfer pays and confirms the order, a smaller
one leaves it waiting; late and unmatched money goes to the admins' list; unpaid orders expire at
their deadline and give their stock back.
"""
import re
from datetime import timedelta

import pytest

from storefront.extensions import db as _db
from storefront.models import Order, Product
from storefront.notifications.models import OutboxMessage
from storefront.orders import services as order_services
from storefront.orders.models import PaymentStatus, PickupStatus
from storefront.payments.transfer_models import (
    BankTransfer, RefundOwedStatus, TransferRefund, TransferStatus,
)
from storefront.timeutil import utcnow
from tests.support.factories import AdminFactory
from tests.support.transfer_support import (  # noqa: F401 — app: the fixture with the bank account
    ACCOUNT, KEY, app, fire_together, fresh, notification, post, transfer_order, transfers,
)

P = PickupStatus


def mails(kind: str) -> list[OutboxMessage]:
    return _db.session.scalars(_db.select(OutboxMessage).where(OutboxMessage.kind == kind)).all()


def stock(product) -> int:
    return _db.session.get(Product, product.id, populate_existing=True).stock


# --- placement ------------------------------------------------------------------------------

def test_a_transfer_order_reserves_stock_and_waits_until_its_deadline(app):
    placed, (product,) = transfer_order(quantity=3)
    order = placed.order
    assert stock(product) == 7
    assert order.payment_method == "vietqr" and order.payment_status == PaymentStatus.PENDING
    assert [p.status for p in order.pickups] == [P.AWAITING_PAYMENT]
    assert order.payment_deadline - order.created_at == timedelta(minutes=60)
    assert re.fullmatch(r"OCOP\d{8}", order.payment_code)


def test_payment_codes_are_unique_and_not_derived_from_the_order_number(app):
    codes = {transfer_order(quantity=1)[0].order.payment_code for _ in range(6)}
    assert len(codes) == 6
    numbers = [int(c[4:]) for c in sorted(codes)]
    assert numbers != list(range(numbers[0], numbers[0] + 6))


def test_the_deadline_follows_transfer_payment_minutes(make_app):
    app = make_app(TRANSFER_PAYMENT_MINUTES=15, **ACCOUNT)
    with app.app_context():
        order = transfer_order()[0].order
        assert order.payment_deadline - order.created_at == timedelta(minutes=15)
        _db.session.remove()


def test_without_an_account_transfer_is_neither_offered_nor_accepted(make_app):
    from storefront.checkout.services import payment_methods
    from storefront.orders.placement import PaymentMethodUnavailable

    app = make_app()
    with app.app_context():
        assert "vietqr" not in payment_methods(300_000)
        with pytest.raises(PaymentMethodUnavailable):
            transfer_order()
        assert _db.session.scalar(_db.select(_db.func.count()).select_from(Order)) == 0
        _db.session.remove()


def test_checkout_offers_transfer_first_when_the_account_is_set(app):
    from storefront.checkout.services import payment_methods

    assert payment_methods(300_000)[0] == "vietqr"


# --- the webhook's key and body ----------------------------------------------------------------

@pytest.mark.parametrize("key", [None, "", "wrong-key", KEY + "x", KEY.upper()])
def test_a_missing_or_wrong_key_is_401_and_changes_nothing(app, client, key):
    order = transfer_order()[0].order
    response = post(client, notification(order.payment_code, order.total), key=key)
    assert response.status_code == 401
    assert response.get_json()["success"] is False
    assert transfers() == [] and fresh(order).payment_status == PaymentStatus.PENDING


def test_a_bearer_header_with_the_right_key_is_still_refused(app, client):
    order = transfer_order()[0].order
    response = client.post("/payments/bank/webhook", json=notification(order.payment_code, 1),
                           headers={"Authorization": f"Bearer {KEY}"})
    assert response.status_code == 401 and transfers() == []


def test_no_key_configured_refuses_every_notification(make_app):
    app = make_app(**{**ACCOUNT, "BANK_WEBHOOK_API_KEY": None})
    with app.app_context():
        response = post(app.test_client(), notification("OCOP12345678", 1000), key="")
        assert response.status_code == 401
        _db.session.remove()


@pytest.mark.parametrize("body", [
    [1, 2], {"transferType": "in", "transferAmount": 1000},
    {"id": 5, "transferType": "sideways", "transferAmount": 1000},
    {"id": 5, "transferType": "in", "transferAmount": "mười nghìn"},
    {"id": 5, "transferType": "in", "transferAmount": -1000},
    {"id": 5, "transferType": "in", "transferAmount": 10.5},
])
def test_a_body_that_is_no_notification_is_400(app, client, body):
    response = post(client, body)
    assert response.status_code == 400 and transfers() == []


def test_the_webhook_needs_no_csrf_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True, **ACCOUNT)
    with app.app_context():
        order = transfer_order()[0].order
        response = post(app.test_client(), notification(order.payment_code, order.total))
        assert response.status_code == 200
        _db.session.remove()


# --- paying -----------------------------------------------------------------------------------

def test_the_exact_amount_pays_and_confirms_the_order_and_tells_the_shopper(app, client):
    order = transfer_order()[0].order
    response = post(client, notification(order.payment_code, order.total))
    assert response.status_code == 200 and response.get_json()["success"] is True
    order = fresh(order)
    assert order.payment_status == PaymentStatus.PAID and order.paid_at is not None
    assert order.amount_received == order.total
    assert [p.status for p in order.pickups] == [P.CONFIRMED]
    (mail,) = mails("transfer_paid")
    assert order.number in mail.subject and mail.to_email == order.email
    assert [e.actor_label for e in order.events if e.kind == "payment_confirmed"] == ["bank"]
    (transfer,) = transfers()
    assert transfer.status == TransferStatus.APPLIED and transfer.outcome == "paid"
    assert transfer.reference == "FT26334123456" and transfer.order_id == order.id


@pytest.mark.parametrize("code, content", [
    (None, "ck ocop {a} {b} thanh toan don hang"),
    (None, "MBVCB.3278.ocop-{a}-{b}.CT tu 0123"),
    (None, "IBFT O.C.O.P {a}.{b}"),
    ("OCOP{a}{b}", "khong co ma"),
])
def test_the_code_is_found_in_code_or_content_whatever_the_bank_adds(app, client, code, content):
    order = transfer_order()[0].order
    a, b = order.payment_code[4:8], order.payment_code[8:]
    body = notification(code.format(a=a, b=b) if code else None, order.total,
                        content=content.format(a=a, b=b))
    assert post(client, body).status_code == 200
    assert fresh(order).payment_status == PaymentStatus.PAID


def test_outgoing_transfers_and_other_accounts_are_recorded_but_count_for_nothing(app, client):
    order = transfer_order()[0].order
    post(client, notification(order.payment_code, order.total, transferType="out"))
    post(client, notification(order.payment_code, order.total, accountNumber="99999999"))
    assert fresh(order).payment_status == PaymentStatus.PENDING
    assert [(t.status, t.outcome) for t in transfers()] == [
        ("ignored", "not_incoming"), ("ignored", "other_account")]


def test_a_replayed_notification_changes_nothing(app, client):
    order = transfer_order()[0].order
    body = notification(order.payment_code, order.total // 2, id=77)
    for _ in range(3):
        response = post(client, body)
        assert response.status_code == 200 and response.get_json()["success"] is True
    order = fresh(order)
    assert order.amount_received == order.total // 2 and order.payment_status == "pending"
    assert len(transfers()) == 1


def test_duplicates_fired_at_once_count_once(app):
    order = transfer_order()[0].order
    body = notification(order.payment_code, order.total // 2, id=4242)
    statuses = fire_together(app, [body] * 6)
    assert statuses == [200] * 6
    order = fresh(order)
    assert len(transfers()) == 1
    assert order.amount_received == order.total // 2


def test_different_partial_transfers_at_once_add_up_to_paid(app):
    order = transfer_order(quantity=4, price=100_000)[0].order  # 400,000 đ
    bodies = [notification(order.payment_code, 100_000, id=500 + n) for n in range(4)]
    statuses = fire_together(app, bodies)
    assert statuses == [200] * 4
    order = fresh(order)
    assert order.amount_received == 400_000 and order.payment_status == PaymentStatus.PAID
    assert sorted(t.outcome for t in transfers()) == ["paid", "partial", "partial", "partial"]
    assert len(mails("transfer_paid")) == 1


def test_out_of_order_notifications_settle_the_same(app, client):
    order = transfer_order(quantity=2, price=100_000)[0].order
    second, first = (notification(order.payment_code, 120_000, id=902),
                     notification(order.payment_code, 80_000, id=901))
    post(client, second)
    assert fresh(order).payment_status == PaymentStatus.PENDING
    post(client, first)
    post(client, second)  # the service retries the later one again: still once
    order = fresh(order)
    assert order.amount_received == 200_000 and order.payment_status == PaymentStatus.PAID


def test_underpayment_keeps_the_order_waiting_and_shows_admins_the_partial_amount(
        app, client, login):
    order = transfer_order(quantity=2, price=150_000)[0].order
    post(client, notification(order.payment_code, 100_000))
    order = fresh(order)
    assert order.payment_status == PaymentStatus.PENDING and order.amount_received == 100_000
    assert [p.status for p in order.pickups] == [P.AWAITING_PAYMENT]
    assert transfers()[0].outcome == "partial" and mails("transfer_paid") == []
    login(AdminFactory())
    page = client.get("/admin/transfers").get_data(as_text=True)
    partial = page.split('id="partly-paid"')[1].split("</section>")[0]
    assert order.number in partial and "100.000" in partial and "300.000" in partial


def test_overpayment_pays_and_owes_the_excess_back(app, client, login):
    order = transfer_order(quantity=1, price=150_000)[0].order
    post(client, notification(order.payment_code, 200_000))
    order = fresh(order)
    assert order.payment_status == PaymentStatus.PAID and transfers()[0].outcome == "overpaid"
    (owed,) = _db.session.scalars(_db.select(TransferRefund)).all()
    assert owed.amount == 50_000 and owed.status == RefundOwedStatus.OWED
    assert "50.000" in mails("transfer_paid")[0].body
    login(AdminFactory())
    page = client.get("/admin/transfers").get_data(as_text=True)
    assert order.number in page.split('id="refunds-owed"')[1].split("</section>")[0]


def test_a_long_list_of_transfers_to_resolve_is_paged_oldest_first(app, client, login):
    for n in range(23):
        post(client, notification(None, 10_000 + n, content=f"chuyen nham {n}"))
    strays = transfers()
    login(AdminFactory())
    first = client.get("/admin/transfers").get_data(as_text=True)
    section = first.split('id="to-resolve"')[1].split("</section>")[0]
    assert section.count('id="transfer-') == 20 and ">23</span>" in section
    assert f'id="transfer-{strays[0].id}"' in section and f'id="transfer-{strays[-1].id}"' not in section
    assert "page=2" in section
    second = client.get("/admin/transfers?page=2").get_data(as_text=True)
    section = second.split('id="to-resolve"')[1].split("</section>")[0]
    assert section.count('id="transfer-') == 3 and f'id="transfer-{strays[-1].id}"' in section
    beyond = client.get("/admin/transfers?page=9")
    assert beyond.status_code == 200 and "/admin/transfers?page=1" in beyond.get_data(as_text=True)


def test_unmatched_codes_go_to_the_admins_list_and_can_be_matched_by_hand(app, client, login):
    order = transfer_order()[0].order
    post(client, notification(None, order.total, content="chuyen tien mua gom OCOP99999999"))
    (transfer,) = transfers()
    assert transfer.status == TransferStatus.TO_RESOLVE and transfer.outcome == "unmatched"
    assert fresh(order).payment_status == PaymentStatus.PENDING
    login(AdminFactory())
    assert f'id="transfer-{transfer.id}"' in client.get("/admin/transfers").get_data(as_text=True)
    response = client.post(f"/admin/transfers/{transfer.id}/match",
                           data={"order_number": order.number}, follow_redirects=True)
    assert "Đã ghép giao dịch" in response.get_data(as_text=True)
    assert fresh(order).payment_status == PaymentStatus.PAID
    assert fresh(transfer).status == TransferStatus.MATCHED
    # once resolved it cannot be matched again
    response = client.post(f"/admin/transfers/{transfer.id}/match",
                           data={"order_number": order.number}, follow_redirects=True)
    assert "đã được xử lý" in response.get_data(as_text=True)


def test_matching_to_an_unknown_or_closed_order_is_refused_and_changes_nothing(app, client, login):
    paid = transfer_order()[0].order
    post(client, notification(paid.payment_code, paid.total))
    post(client, notification(None, 5_000, content="khong ro"))
    stray = transfers()[-1]
    login(AdminFactory())
    for number, message in [("OC-2026-999999", "Không tìm thấy"), (paid.number, "không còn chờ")]:
        page = client.post(f"/admin/transfers/{stray.id}/match", data={"order_number": number},
                           follow_redirects=True).get_data(as_text=True)
        assert message in page
    assert fresh(stray).status == TransferStatus.TO_RESOLVE
    assert fresh(paid).amount_received == paid.total


def test_a_late_transfer_is_left_to_resolve_and_refunded_with_the_banks_reference(
        app, client, login):
    placed, (product,) = transfer_order(quantity=2)
    order = placed.order
    assert order_services.expire_unpaid_orders(now=order.payment_deadline + timedelta(minutes=1)) == 1
    assert stock(product) == 10
    post(client, notification(order.payment_code, order.total))
    (transfer,) = transfers()
    assert transfer.status == TransferStatus.TO_RESOLVE and transfer.outcome == "late"
    order = fresh(order)
    assert order.payment_status == PaymentStatus.FAILED and order.amount_received == 0
    assert [p.status for p in order.pickups] == [P.CANCELLED] and stock(product) == 10
    login(AdminFactory())
    response = client.post(f"/admin/transfers/{transfer.id}/refund", data={"reference": ""},
                           follow_redirects=True)
    assert "Vui lòng nhập mã giao dịch" in response.get_data(as_text=True)
    assert fresh(transfer).status == TransferStatus.TO_RESOLVE
    client.post(f"/admin/transfers/{transfer.id}/refund", data={"reference": "FT26335000111"})
    assert fresh(transfer).status == TransferStatus.REFUNDED
    (mail,) = mails("transfer_refunded")
    assert "FT26335000111" in mail.body and order.number in mail.subject


def test_a_transfer_after_payment_is_late_too(app, client):
    order = transfer_order()[0].order
    post(client, notification(order.payment_code, order.total))
    post(client, notification(order.payment_code, order.total))
    assert [t.outcome for t in transfers()] == ["paid", "late"]
    assert fresh(order).amount_received == order.total


# --- deadline and cancellation ---------------------------------------------------------------

def test_unpaid_orders_expire_at_the_deadline_and_return_their_stock(app):
    placed, (product,) = transfer_order(quantity=4)
    order = placed.order
    assert order_services.expire_unpaid_orders(now=order.payment_deadline - timedelta(seconds=1)) == 0
    assert stock(product) == 6
    assert order_services.expire_unpaid_orders(now=order.payment_deadline + timedelta(seconds=1)) == 1
    order = fresh(order)
    assert stock(product) == 10 and order.payment_status == PaymentStatus.FAILED
    assert [p.status for p in order.pickups] == [P.CANCELLED]


def test_a_partly_paid_order_that_expires_owes_the_partial_amount_back(app, client):
    order = transfer_order(quantity=2, price=150_000)[0].order
    post(client, notification(order.payment_code, 100_000))
    order_services.expire_unpaid_orders(now=order.payment_deadline + timedelta(minutes=1))
    (owed,) = _db.session.scalars(_db.select(TransferRefund)).all()
    assert owed.amount == 100_000 and owed.order_id == order.id


def test_cancelling_a_paid_transfer_order_owes_a_refund_and_marking_it_refunded_tells_the_shopper(
        app, client, login):
    placed, _products = transfer_order(quantity=1, price=100_000, outlets=2)
    order = placed.order
    post(client, notification(order.payment_code, order.total))
    first, second = fresh(order).pickups
    order_services.cancel_pickup(first, "system", "Hết hàng")
    (owed,) = _db.session.scalars(_db.select(TransferRefund)).all()
    assert owed.amount == 100_000 and owed.pickup_id == first.id
    assert fresh(order).payment_status == PaymentStatus.REFUND_PENDING
    login(AdminFactory())
    client.post(f"/admin/transfer-refunds/{owed.id}/refunded", data={"reference": "FT-HOAN-1"})
    owed = fresh(owed)
    assert owed.status == RefundOwedStatus.REFUNDED and owed.bank_reference == "FT-HOAN-1"
    assert fresh(order).payment_status == PaymentStatus.PARTIALLY_REFUNDED
    (mail,) = mails("transfer_refunded")
    assert "100.000" in mail.subject and "FT-HOAN-1" in mail.body
    # the second pickup, then: everything paid is owed back once, never more
    order_services.cancel_pickup(fresh(second), "system", "Khách đổi ý")
    amounts = sorted(r.amount for r in _db.session.scalars(_db.select(TransferRefund)))
    assert amounts == [100_000, 100_000]
    response = client.post(f"/admin/transfer-refunds/{owed.id}/refunded", data={"reference": "again"},
                           follow_redirects=True)
    assert "đã được ghi nhận" in response.get_data(as_text=True)


def test_the_transfers_page_is_for_admins_only(app, client, login):
    from tests.support.factories import UserFactory

    assert client.get("/admin/transfers").status_code in (302, 401)
    login(UserFactory())
    assert client.get("/admin/transfers").status_code == 403


def test_the_transfer_job_and_its_command_cancel_only_transfer_orders_past_their_deadline(app):
    from storefront.payments.transfers import expire_unpaid_transfers
    from tests.support.payment_support import card_order

    placed, (product,) = transfer_order(quantity=3)
    card, _card_products = card_order()
    deadline = placed.order.payment_deadline
    assert expire_unpaid_transfers(now=deadline - timedelta(seconds=1)) == 0
    assert expire_unpaid_transfers(now=deadline + timedelta(seconds=1)) == 1
    assert stock(product) == 10 and fresh(placed.order).payment_status == PaymentStatus.FAILED
    assert fresh(card).payment_status == PaymentStatus.PENDING

    later, _products = transfer_order(quantity=1)
    later.order.payment_deadline = utcnow() - timedelta(minutes=1)
    _db.session.commit()
    result = app.test_cli_runner().invoke(args=["payments", "expire-transfers"])
    assert result.exit_code == 0 and "Cancelled 1 unpaid transfer order(s)." in result.output
    assert [p.status for p in fresh(later.order).pickups] == [P.CANCELLED]


def test_the_order_event_history_names_the_bank(app, client):
    order = transfer_order()[0].order
    post(client, notification(order.payment_code, order.total // 3))
    kinds = [(e.kind, e.actor_label) for e in fresh(order).events]
    assert ("transfer_received", "bank") in kinds
