"""Stripe's payouts (``payout.paid``/``failed``/``canceled``): card money leaving Stripe clearing for
the shop's bank account, posted once per payout and reversed, never edited, if a paid one fails."""
import itertools
import logging
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from storefront.extensions import db
from storefront.finance import ledger
from storefront.finance.models import AccountKind, JournalEntry
from storefront.payments.models import StripeEvent, StripePayout
from tests.support.factories import AdminFactory
from tests.support.payment_support import card_order_with_session
from tests.support.race import at_once
from tests.support.stripe_server import (  # noqa: F401  (fixtures)
    event_for, signed, stripe_app, stripe_server,
)

K = AccountKind
URL = "/stripe/webhook"
BEAN_CHECK = Path(sys.executable).with_name("bean-check")
_ids = itertools.count(1)


@pytest.fixture
def app(stripe_app):
    return stripe_app


def payout(amount=290_000, currency="vnd", status="paid", payout_id=None, **extra) -> dict:
    """A Payout object shaped as Stripe sends it (VND is zero-decimal: whole đồng)."""
    return {"id": payout_id or f"po_test_{next(_ids):06d}", "object": "payout", "amount": amount,
            "currency": currency, "arrival_date": int(time.time()) + 86400, "status": status,
            "destination": "ba_test_shop", "balance_transaction": f"txn_test_{next(_ids)}",
            "automatic": True, "method": "standard", "type": "bank_account",
            "failure_code": None, "failure_message": None, "livemode": False, **extra}


def send(client, kind, obj, event_id=None):
    body, headers = signed(event_for(kind, obj, event_id))
    return client.post(URL, data=body, headers=headers)


def outcome(response) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["outcome"]


def balance(kind) -> int:
    db.session.expire_all()
    return ledger.balance(ledger.find_account(kind))


def payout_entries() -> list[JournalEntry]:
    db.session.expire_all()
    return db.session.scalars(db.select(JournalEntry).where(
        JournalEntry.kind.like("stripe_payout%")).order_by(JournalEntry.id)).all()


def assert_books_balance():
    assert ledger.trial_balance() == 0 and ledger.unbalanced_entries() == []


@pytest.fixture
def card_paid(stripe_app, stripe_server, client):
    """A card order of 2 × 150.000 ₫ paid through Stripe: 300.000 ₫ in Stripe clearing."""
    order, _ = card_order_with_session(quantity=2, price=150_000)
    session = stripe_server.complete(order.stripe_session_id)
    assert outcome(send(client, "checkout.session.completed", session)) == "confirmed"
    assert balance(K.STRIPE) == 300_000
    return order


def test_a_paid_payout_moves_clearing_to_the_bank_once_however_often_it_is_sent(client, card_paid):
    paid = payout(amount=290_000)
    first = event_for("payout.paid", paid)
    body, headers = signed(first)

    answers = [outcome(client.post(URL, data=body, headers=headers)) for _ in range(2)]
    # Stripe's id for the event differs, the payout is the same one: still once.
    again = outcome(send(client, "payout.paid", paid))

    assert answers == ["payout_paid", "duplicate"] and again == "payout_already_applied"
    (entry,) = payout_entries()
    assert entry.key == f"stripe-payout-{paid['id']}" and entry.cause == paid["id"]
    assert sorted((p.account.code, p.amount) for p in entry.postings) == [
        ("Assets:Bank:Operator", 290_000), ("Assets:Stripe:Clearing", -290_000)]
    assert balance(K.STRIPE) == 10_000  # what Stripe kept: its fee, not yet posted
    row = db.session.get(StripePayout, paid["id"])
    assert (row.status, row.amount, row.destination, row.arrival_date is not None) == (
        "paid", 290_000, "ba_test_shop", True)
    assert db.session.get(StripeEvent, first["id"]).outcome == "payout_paid"
    assert_books_balance()


def test_parallel_deliveries_of_one_payout_post_once(stripe_app, card_paid):
    paid = payout(amount=300_000)
    same_event = signed(event_for("payout.paid", paid))
    other_event = signed(event_for("payout.paid", paid))
    db.session.commit()

    def deliver(body_headers):
        body, headers = body_headers
        return lambda: stripe_app.test_client().post(URL, data=body, headers=headers)

    answers = at_once(stripe_app, deliver(same_event), deliver(same_event), deliver(other_event))

    assert [getattr(a, "status_code", a) for a in answers] == [200, 200, 200]
    assert sorted(a.get_json()["outcome"] for a in answers) == [
        "duplicate", "payout_already_applied", "payout_paid"]
    assert len(payout_entries()) == 1
    assert balance(K.STRIPE) == 0 and balance(K.BANK) == 300_000
    assert_books_balance()


def test_a_payout_that_fails_after_it_was_paid_is_reversed_once(client, card_paid):
    paid = payout(amount=290_000)
    assert outcome(send(client, "payout.paid", paid)) == "payout_paid"
    failed = dict(paid, status="failed", failure_code="account_closed")
    failure = event_for("payout.failed", failed)
    body, headers = signed(failure)

    answers = [outcome(client.post(URL, data=body, headers=headers)) for _ in range(2)]
    again = outcome(send(client, "payout.failed", failed))
    late_paid = outcome(send(client, "payout.paid", paid))

    assert answers == ["payout_reversed", "duplicate"] and again == "payout_already_applied"
    assert late_paid == "payout_paid_after_failure"
    posted, mirror = payout_entries()
    assert mirror.reverses_id == posted.id and mirror.key == f"stripe-payout-{paid['id']}-failed"
    assert sorted(p.amount for p in mirror.postings) == sorted(-p.amount for p in posted.postings)
    assert balance(K.STRIPE) == 300_000 and balance(K.BANK) == 0
    row = db.session.get(StripePayout, paid["id"])
    assert (row.status, row.failure_code) == ("failed", "account_closed")
    assert_books_balance()


def test_a_payout_failed_or_cancelled_before_it_was_paid_posts_nothing(client, card_paid):
    failed = payout(status="failed", failure_code="no_account")
    cancelled = payout(status="canceled")

    assert outcome(send(client, "payout.failed", failed)) == "payout_failed"
    # Stripe does not promise order: the older paid event arriving after the failure changes nothing.
    assert outcome(send(client, "payout.paid", dict(failed, status="paid"))) == \
        "payout_paid_after_failure"
    assert outcome(send(client, "payout.canceled", cancelled)) == "payout_failed"

    assert payout_entries() == [] and balance(K.STRIPE) == 300_000
    assert {r.id: r.status for r in db.session.scalars(db.select(StripePayout))} == {
        failed["id"]: "failed", cancelled["id"]: "canceled"}


@pytest.mark.parametrize("change, expected", [
    ({"currency": "usd"}, "payout_wrong_currency"),
    ({"currency": None}, "payout_wrong_currency"),
    ({"amount": "290000"}, "payout_malformed"),
    ({"amount": 2900.5}, "payout_malformed"),
    ({"amount": 0}, "payout_malformed"),
    ({"amount": -290_000}, "payout_malformed"),
    ({"amount": True}, "payout_malformed"),
    ({"id": "ch_not_a_payout"}, "payout_malformed"),
    ({"id": None}, "payout_malformed"),
    ({"object": "transfer"}, "payout_malformed"),
])
def test_a_payout_in_another_currency_or_shape_is_refused_with_a_log(client, card_paid, caplog,
                                                                     change, expected):
    odd = payout(**change)

    with caplog.at_level(logging.ERROR, logger="storefront.payments.stripe_payouts"):
        answer = outcome(send(client, "payout.paid", odd))

    assert answer == expected
    assert any(r.name == "storefront.payments.stripe_payouts" for r in caplog.records)
    assert payout_entries() == [] and db.session.scalar(
        db.select(db.func.count()).select_from(StripePayout)) == 0
    assert balance(K.STRIPE) == 300_000


def test_other_payout_events_are_acknowledged_and_ignored(client, card_paid):
    assert outcome(send(client, "payout.created", payout())) == "ignored"
    assert outcome(send(client, "payout.updated", payout())) == "ignored"
    assert payout_entries() == []


def test_bean_check_accepts_the_books_with_payouts_and_their_reversal(app, client, card_paid,
                                                                     tmp_path):
    if not BEAN_CHECK.exists() and shutil.which("bean-check") is None:
        pytest.fail("bean-check is missing: pip install -r requirements-test.txt")
    first, second = payout(amount=100_000), payout(amount=190_000)
    for paid in (first, second):
        assert outcome(send(client, "payout.paid", paid)) == "payout_paid"
    assert outcome(send(client, "payout.failed", dict(second, status="failed"))) == "payout_reversed"
    target = tmp_path / "books.beancount"
    result = app.test_cli_runner().invoke(args=["finance", "export", str(target)])
    assert result.exit_code == 0, result.output

    checked = subprocess.run([str(BEAN_CHECK if BEAN_CHECK.exists() else "bean-check"),
                              str(target)], capture_output=True, text=True)

    assert checked.returncode == 0, checked.stdout + checked.stderr
    text = target.read_text(encoding="utf-8")
    assert f'key: "stripe-payout-{first["id"]}"' in text
    assert f'key: "stripe-payout-{second["id"]}-failed"' in text
    assert balance(K.STRIPE) == 200_000
    assert_books_balance()


def test_the_books_page_shows_clearing_and_the_payouts_received(client, login, card_paid):
    paid, failed = payout(amount=290_000), payout(amount=5_000)
    send(client, "payout.paid", paid)
    send(client, "payout.paid", failed)
    send(client, "payout.failed", dict(failed, status="failed"))
    login(AdminFactory())

    page = client.get("/admin/finance").get_data(as_text=True)

    assert 'id="stripe-clearing"' in page and "10.000" in page
    assert paid["id"] in page and failed["id"] in page and "290.000" in page
    assert 'id="stripe-payouts"' in page
