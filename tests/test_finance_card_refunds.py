"""A card payment through the books: received at Stripe, refunded, and a refund Stripe failed paid
back from the bank by an admin (once), so the money owed back always ends somewhere."""
import pytest

from storefront.extensions import db
from storefront.finance import ledger
from storefront.finance.models import AccountKind
from storefront.orders import services as orders
from storefront.orders.models import PaymentStatus
from storefront.payments import refunds, services as payments, transfers
from storefront.payments.models import Refund, RefundStatus
from storefront.unit_of_work import transaction
from tests.conftest import PASSWORD
from tests.support.factories import AdminFactory
from tests.support.payment_support import card_order_with_session, reload
from tests.support.stripe_server import stripe_app, stripe_server  # noqa: F401  (fixtures)

K = AccountKind


def balance(kind) -> int:
    db.session.expire_all()
    return ledger.balance(ledger.account(kind))


@pytest.fixture
def paid_order(stripe_app, stripe_server):
    stripe_server.refund_status = "pending"
    order, _ = card_order_with_session(quantity=2, price=150_000)
    session = stripe_server.complete(order.stripe_session_id)
    with transaction():
        assert payments.apply_paid(payments.lock_order(order.id), session) == "confirmed"
    return reload(order)


def test_a_card_refund_stripe_fails_is_paid_back_from_the_bank_once(stripe_app, stripe_server,
                                                                     paid_order):
    assert balance(K.STRIPE) == 300_000 and balance(K.DEPOSITS) == -300_000
    orders.cancel_order(paid_order, "system", "hết hàng")
    assert balance(K.REFUNDS_OWED) == -300_000 and balance(K.DEPOSITS) == 0
    (refund,) = db.session.scalars(db.select(Refund)).all()
    response = stripe_server.send_refund_update(stripe_app.test_client(), refund.stripe_refund_id,
                                                "failed")
    assert response.status_code == 200
    assert reload(refund).status == RefundStatus.FAILED
    assert balance(K.STRIPE) == 300_000 and balance(K.REFUNDS_OWED) == -300_000  # still owed
    assert refunds.failed_refunds() == [reload(refund)]

    admin = AdminFactory()
    transfers.repay_failed_card_refund(refund.id, "FT-HOAN-THE", admin)
    with pytest.raises(transfers.TransferError):
        transfers.repay_failed_card_refund(refund.id, "FT-AGAIN", admin)
    assert balance(K.REFUNDS_OWED) == 0 and balance(K.BANK) == -300_000
    assert reload(paid_order).payment_status == PaymentStatus.REFUNDED
    assert refunds.failed_refunds() == []
    assert ledger.trial_balance() == 0


def test_the_admin_pays_back_a_failed_card_refund_from_its_page(stripe_app, stripe_server,
                                                                paid_order):
    client = stripe_app.test_client()
    orders.cancel_order(paid_order, "system", "hết hàng")
    (refund,) = db.session.scalars(db.select(Refund)).all()
    stripe_server.send_refund_update(client, refund.stripe_refund_id, "failed")
    admin = AdminFactory()
    assert client.post("/auth/login", data={"email": admin.email,
                                            "password": PASSWORD}).status_code == 302
    assert f"paid-back-{refund.id}" in client.get("/admin/refunds").get_data(as_text=True)
    assert client.post(f"/admin/refunds/{refund.id}/paid-back",
                       data={"reference": "FT-HOAN-1"}).status_code == 303
    assert f"paid-back-{refund.id}" not in client.get("/admin/refunds").get_data(as_text=True)
    assert balance(K.REFUNDS_OWED) == 0
