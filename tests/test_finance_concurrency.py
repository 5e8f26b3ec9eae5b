"""Concurrent webhooks and double-clicked staff and admin actions post nothing twice (threads on
PostgreSQL)."""
import pytest

from storefront.extensions import db
from storefront.finance import ledger
from storefront.finance.models import AccountKind, JournalEntry
from storefront.orders import services as orders
from storefront.payments import transfers as transfer_services
from tests.conftest import BACKEND
from tests.support.factories import AdminFactory, StaffUserFactory
from tests.support.stripe_server import (  # noqa: F401  (fixtures)
    event_for, signed, stripe_app, stripe_server,
)
from tests.support.race import at_once
from tests.support.transfer_support import (  # noqa: F401  (app fixture)
    app, fire_together, fresh, notification, transfer_order,
)
from tests.support.payment_support import card_order_with_session

K = AccountKind
# SQLite has one writer and no row locks: a stale read there can hand a pickup over twice before
# the books are even asked, so these races are PostgreSQL's (as in test_deadlocks.py).
pytestmark = pytest.mark.skipif(BACKEND == "sqlite", reason="SQLite has no row locks")


def entries_of(kind: str) -> list[JournalEntry]:
    db.session.expire_all()
    return db.session.scalars(db.select(JournalEntry).where(JournalEntry.kind == kind)).all()


def bank() -> int:
    db.session.expire_all()
    return ledger.balance(ledger.account(K.BANK))


def test_one_notification_fired_six_times_at_once_posts_one_entry(app):
    order = transfer_order()[0].order
    body = notification(order.payment_code, order.total, id=777)
    assert fire_together(app, [body] * 6) == [200] * 6
    assert len(entries_of("transfer_received")) == 1
    assert bank() == order.total
    assert ledger.trial_balance() == 0


def test_partial_transfers_at_once_each_post_once_and_add_up(app):
    order = transfer_order(quantity=4, price=100_000)[0].order
    bodies = [notification(order.payment_code, 100_000, id=900 + n) for n in range(4)]
    assert fire_together(app, bodies + bodies) == [200] * 8
    assert len(entries_of("transfer_received")) == 4
    assert bank() == 400_000


def test_the_same_stripe_event_delivered_twice_at_once_posts_once(stripe_app, stripe_server):
    order, _ = card_order_with_session()
    body, headers = signed(event_for("checkout.session.completed",
                                     stripe_server.complete(order.stripe_session_id)))
    db.session.commit()

    def deliver():
        return stripe_app.test_client().post("/stripe/webhook", data=body, headers=headers)

    answers = at_once(stripe_app, deliver, deliver, deliver)
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert len(entries_of("card_received")) == 1
    assert ledger.balance(ledger.account(K.STRIPE)) == order.total


def test_a_double_clicked_hand_over_earns_the_producer_once(app):
    placed, (product,) = transfer_order(quantity=2, price=150_000)
    app.test_client().post("/payments/bank/webhook", json=notification(
        placed.order.payment_code, 300_000), headers={"Authorization": "Apikey sepay-test-key-9f3c"})
    order = fresh(placed.order)
    staff = StaffUserFactory(outlet=order.pickups[0].outlet)
    orders.receive_line(order.lines[0], staff)
    pickup_id, code, staff_id = order.pickups[0].id, placed.codes[order.pickups[0].id], staff.id
    db.session.commit()

    def click():
        from storefront.accounts.models import User
        from storefront.orders.models import Pickup
        orders.hand_over(db.session.get(Pickup, pickup_id), code, db.session.get(User, staff_id))
        return "handed"

    results = at_once(app, click, click, click)
    assert results.count("handed") == 1, results
    assert len(entries_of("handed_over")) == 1
    assert ledger.balance(ledger.account(K.PAYABLE, producer_id=product.producer_id)) == -270_000


def test_a_double_clicked_refund_sent_takes_the_money_out_of_the_bank_once(app):
    order = transfer_order(quantity=1, price=100_000)[0].order
    app.test_client().post("/payments/bank/webhook", json=notification(
        order.payment_code, 100_000), headers={"Authorization": "Apikey sepay-test-key-9f3c"})
    orders.cancel_order(fresh(order), "system", "hết hàng")
    (owed,) = transfer_services.refunds_owed()
    admin_id, owed_id = AdminFactory().id, owed.id
    db.session.commit()

    def click():
        from storefront.accounts.models import User
        transfer_services.settle_refund(owed_id, "FT-ONCE", db.session.get(User, admin_id))
        return "sent"

    results = at_once(app, click, click, click)
    assert results.count("sent") == 1, results
    assert len(entries_of("refund_sent")) == 1
    assert bank() == 0 and ledger.trial_balance() == 0


def _paid_and_handed_over(app):
    from tests.test_finance_payouts import verified_account
    placed, (product,) = transfer_order(quantity=2, price=150_000)
    app.test_client().post("/payments/bank/webhook", json=notification(
        placed.order.payment_code, 300_000), headers={"Authorization": "Apikey sepay-test-key-9f3c"})
    order = fresh(placed.order)
    staff = StaffUserFactory(outlet=order.pickups[0].outlet)
    orders.receive_line(order.lines[0], staff)
    orders.hand_over(fresh(order.pickups[0]), placed.codes[order.pickups[0].id], staff)
    verified_account(product.producer)
    return product.producer


def test_two_admins_making_batches_at_once_pay_the_money_once(app):
    from datetime import timedelta
    from storefront.finance import payouts
    from storefront.finance.models import Payout
    from storefront.timeutil import utcnow
    _paid_and_handed_over(app)
    db.session.commit()
    later = utcnow() + timedelta(days=30)
    results = at_once(app, *[lambda: payouts.make_batch("admin", now=later)] * 3)
    assert not [r for r in results if isinstance(r, Exception)], results
    db.session.expire_all()
    assert [p.amount for p in db.session.scalars(db.select(Payout))] == [270_000]


def test_a_payout_marked_paid_by_the_bank_and_two_admins_at_once_is_paid_once(app):
    from datetime import timedelta
    from storefront.finance import payouts
    from storefront.timeutil import utcnow
    producer = _paid_and_handed_over(app)
    (payout,) = payouts.make_batch("admin", now=utcnow() + timedelta(days=30)).payouts
    code, payout_id, amount = payout.code, payout.id, payout.amount
    db.session.commit()
    out = notification(None, amount, id="out-9", transferType="out", content=f"CT {code}")

    def by_bank():
        return app.test_client().post("/payments/bank/webhook", json=out, headers={
            "Authorization": "Apikey sepay-test-key-9f3c"}).status_code

    def by_admin():
        payouts.mark_paid(payout_id, "FT-X", "admin@example.com")
        return "paid"

    at_once(app, by_bank, by_admin, by_admin)
    assert len(entries_of("payout_paid")) == 1
    assert ledger.balance(ledger.account(K.PAYABLE, producer_id=producer.id)) == 0
    assert bank() == 300_000 - 270_000


def test_a_double_clicked_remittance_confirmation_moves_the_cash_once(app):
    from storefront.finance import cash
    from storefront.orders.models import CounterMethod
    placed, _ = transfer_order(quantity=1, price=80_000, method="at_pickup")
    order = fresh(placed.order)
    staff = StaffUserFactory(outlet=order.pickups[0].outlet)
    orders.receive_line(order.lines[0], staff)
    orders.hand_over(fresh(order.pickups[0]), placed.codes[order.pickups[0].id], staff,
                     collected=CounterMethod.CASH, amount=80_000)
    remittance_id = cash.record_remittance(staff.outlet_id, 80_000, "FT-NOP", staff.email).id
    db.session.commit()
    at_once(app, *[lambda: cash.confirm_remittance(remittance_id, "admin@example.com")] * 3)
    assert len(entries_of("cash_remitted")) == 1
    assert bank() == 80_000
