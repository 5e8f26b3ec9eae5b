"""Stripe's fee of each card payment, read from the charge's balance transaction and posted once
(storefront/payments/stripe_fees.py), against the local Stripe stand-in over HTTP."""
from collections import Counter

import pytest

from storefront.extensions import db
from storefront.finance import ledger
from storefront.finance.models import AccountKind, JournalEntry
from storefront.payments import services as payments, stripe_fees
from storefront.payments.models import StripeCharge
from storefront.unit_of_work import transaction
from tests.support.factories import AdminFactory
from tests.support.payment_support import card_order_with_session, paid_card_order, reload
from tests.support.race import at_once
from tests.support.stripe_server import stripe_app, stripe_server  # noqa: F401

K = AccountKind
INTENTS = "/v1/payment_intents/"
PAID = 600_000                        # 2 × 150.000 ₫ at each of two outlets
FEE = PAID * 340 // 10_000 + 2_000    # the stand-in's price list: 3,4 % + 2.000 ₫


def balance(kind) -> int:
    return ledger.balance(ledger.find_account(kind))


@pytest.fixture
def paid_order(stripe_app, stripe_server):
    return paid_card_order(stripe_server)


def asked(stripe_server) -> list:
    return [r for r in stripe_server.requests if r.path.startswith(INTENTS) and r.method == "GET"]


def test_the_fee_of_a_paid_card_payment_is_posted_once_and_clearing_keeps_what_stripe_owes(
        paid_order, stripe_server):
    assert balance(K.STRIPE) == PAID and balance(K.STRIPE_FEES) == 0

    assert stripe_fees.post_fees() == Counter(posted=1)

    (request,) = asked(stripe_server)
    assert request.path == INTENTS + paid_order.stripe_payment_intent
    assert request.data["expand"] == ["latest_charge.balance_transaction"]
    charge = db.session.get(StripeCharge, paid_order.stripe_payment_intent)
    assert (charge.order_id, charge.amount, charge.fee, charge.net, charge.currency, charge.posted) == (
        paid_order.id, PAID, FEE, PAID - FEE, "vnd", True)
    assert charge.balance_transaction.startswith("txn_") and charge.charge.startswith("ch_")
    entry = ledger.posted(f"stripe-fee-{paid_order.stripe_payment_intent}")
    assert entry.order_id == paid_order.id and entry.kind == "stripe_fee"
    assert balance(K.STRIPE_FEES) == FEE and balance(K.STRIPE) == PAID - FEE
    assert ledger.trial_balance() == 0

    assert stripe_fees.post_fees() == Counter()  # nothing left to ask about
    assert len(asked(stripe_server)) == 1 and balance(K.STRIPE_FEES) == FEE
    assert stripe_fees.totals() == (1, FEE)


def test_stripe_down_or_a_charge_not_settled_yet_keeps_nothing_and_a_later_sweep_posts_it(
        paid_order, stripe_server):
    stripe_server.fail_next(INTENTS)
    assert stripe_fees.post_fees() == Counter(stripe_error=1)
    stripe_server.charge_pending.add(paid_order.stripe_payment_intent)
    assert stripe_fees.post_fees() == Counter(not_ready=1)
    assert db.session.scalars(db.select(StripeCharge)).all() == [] and balance(K.STRIPE_FEES) == 0

    stripe_server.charge_pending.clear()
    assert stripe_fees.post_fees() == Counter(posted=1)
    assert balance(K.STRIPE_FEES) == FEE


def test_a_fee_in_another_currency_is_kept_for_an_admin_and_not_posted(paid_order, stripe_server,
                                                                          stripe_app):
    stripe_server.settlement_currency = "usd"
    assert stripe_fees.post_fees() == Counter(other_currency=1)

    (charge,) = stripe_fees.not_posted()
    assert (charge.currency, charge.posted) == ("usd", False) and charge.fee > 0
    assert balance(K.STRIPE_FEES) == 0 and balance(K.STRIPE) == PAID
    assert ledger.posted(f"stripe-fee-{paid_order.stripe_payment_intent}") is None
    assert stripe_fees.post_fees() == Counter()  # kept: not asked about again

    client = stripe_app.test_client()
    admin = AdminFactory()
    db.session.commit()
    client.post("/auth/login", data={"email": admin.email, "password": "correct horse battery staple"})
    page = client.get("/admin/finance").get_data(as_text=True)
    assert 'id="stripe-fees-by-hand"' in page and charge.balance_transaction in page
    assert "USD" in page


def test_unpaid_orders_are_not_asked_about_and_an_intent_stripe_does_not_know_is_logged(
        stripe_app, stripe_server, caplog):
    card_order_with_session(quantity=1, price=150_000)  # its shopper never paid
    assert stripe_fees.post_fees() == Counter() and asked(stripe_server) == []

    order, _ = card_order_with_session(quantity=1, price=150_000)
    session = stripe_server.complete(order.stripe_session_id)
    with transaction():
        payments.apply_paid(payments.lock_order(order.id), session)
    stripe_server.sessions[order.stripe_session_id]["payment_intent"] = "pi_somewhere_else"
    assert stripe_fees.post_fees() == Counter(unknown_at_stripe=1)
    assert "does not know PaymentIntent" in caplog.text
    assert db.session.scalars(db.select(StripeCharge)).all() == []


def test_two_sweeps_at_once_post_the_fee_once(paid_order, stripe_server, stripe_app):
    db.session.commit()
    results = at_once(stripe_app, stripe_fees.post_fees, stripe_fees.post_fees)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum((r for r in results), Counter())["posted"] == 1
    entries = db.session.scalars(db.select(JournalEntry).where(
        JournalEntry.key == f"stripe-fee-{paid_order.stripe_payment_intent}")).all()
    assert len(entries) == 1 and balance(K.STRIPE_FEES) == FEE


def test_payments_stripe_cannot_answer_for_never_keep_a_newer_one_waiting(stripe_app, stripe_server):
    from datetime import timedelta

    from storefront.timeutil import utcnow
    older, newer = (paid_card_order(stripe_server, outlets=1) for _ in range(2))
    older.paid_at, newer.paid_at = utcnow() - timedelta(days=3), utcnow()
    db.session.commit()
    stripe_server.charge_pending.add(older.stripe_payment_intent)  # Stripe keeps saying "not yet"

    assert stripe_fees.post_fees(limit=1) == Counter(posted=1)  # a sweep that can ask about one
    assert db.session.get(StripeCharge, newer.stripe_payment_intent) is not None
    assert stripe_fees.post_fees(limit=1) == Counter(not_ready=1)
