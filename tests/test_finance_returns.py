"""Goods given back after hand-over, in the books (both backends): the return's own entry moves the
line's amount from the producer's payable (their share) and the operator's fee income (the fee, in
proportion, half up as at hand-over) back to the shopper's deposit; the refund owed then moves it
on as any refund does, and sending it empties that. Each entry names the order and the return."""
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine

from storefront.extensions import db
from storefront.finance import fees, ledger, payouts
from storefront.finance.models import AccountKind, JournalEntry
from storefront.orders import services as orders
from storefront.orders.models import CounterMethod
from storefront.payments import transfers as transfer_services
from storefront.returns import services as returns
from storefront.returns.models import GoodsReturn
from storefront.timeutil import utcnow
from tests.support.factories import AdminFactory, StaffUserFactory
from tests.support.transfer_support import (  # noqa: F401  (app fixture)
    app, fresh, notification, post, transfer_order,
)

K = AccountKind
BEAN_CHECK = Path(sys.executable).with_name("bean-check")


def balance(kind, **owner) -> int:
    return ledger.balance(ledger.find_account(kind, **owner))


def _collected(client, quantity, price, method="vietqr"):
    """An order paid (transfer, or cash at the counter) and handed over; its pickup and staff."""
    placed, (product,) = transfer_order(quantity=quantity, price=price, method=method)
    if method == "vietqr":
        post(client, notification(placed.order.payment_code, quantity * price))
    order = fresh(placed.order)
    pickup = order.pickups[0]
    staff = StaffUserFactory(outlet=pickup.outlet)
    orders.receive_line(order.lines[0], staff)
    cash = {"collected": CounterMethod.CASH, "amount": quantity * price} if method == "at_pickup" else {}
    orders.hand_over(fresh(pickup), placed.codes[pickup.id], staff, **cash)
    return fresh(pickup), staff, product.producer_id


def _legs(entry) -> dict[str, int]:
    return {p.account.kind: p.amount for p in entry.postings}


def test_each_return_takes_the_share_and_the_fee_back_and_the_refund_empties_it(app, client):
    # 3 × 45.005 = 135.015 đ; the fee at 10 % is 13.501,5 → 13.502 (half up), as hand-over charged.
    pickup, staff, producer_id = _collected(client, 3, 45_005)
    line_id = pickup.lines[0].id
    assert fees.fee_on(135_015, 1000) == 13_502
    assert -balance(K.PAYABLE, producer_id=producer_id) == 135_015 - 13_502

    for n in (1, 2):  # one unit, then the other two
        returns.record_return(fresh(pickup), line_id, n, "Hộp bị móp", resaleable=True, by=staff)
    db.session.expire_all()
    first, second = db.session.scalars(db.select(GoodsReturn).order_by(GoodsReturn.id)).all()
    entries = db.session.scalars(db.select(JournalEntry).where(JournalEntry.kind == "goods_returned")
                                 .order_by(JournalEntry.id)).all()
    # 13.502 × 1/3 = 4.500,67 → 4.501; all three units: exactly the 13.502 charged (9.001 more).
    assert [_legs(e) for e in entries] == [
        {K.PAYABLE: 45_005 - 4_501, K.FEE_INCOME: 4_501, K.DEPOSITS: -45_005},
        {K.PAYABLE: 90_010 - 9_001, K.FEE_INCOME: 9_001, K.DEPOSITS: -90_010}]
    order = pickup.order
    assert [e.cause for e in entries] == [f"{order.number} return-{first.id}",
                                          f"{order.number} return-{second.id}"]
    assert all(e.order_id == order.id and "Hộp bị móp" not in e.narration for e in entries)
    assert entries[0].narration.startswith(f"goods returned (return-{first.id}): 1 × ")
    assert {p.order_line_id for e in entries for p in e.postings} == {line_id}

    # Everything came back: the producer is owed nothing and no fee was earned on this order.
    assert balance(K.PAYABLE, producer_id=producer_id) == 0
    assert balance(K.FEE_INCOME) == 0
    # The refund owed (by bank: a transfer) took the money from the deposit, the same transaction.
    owed = [e for e in db.session.scalars(db.select(JournalEntry).where(
        JournalEntry.kind == "refund_owed")).all()]
    assert sorted(_legs(e)[K.REFUNDS_OWED] for e in owed) == [-90_010, -45_005]
    assert {e.narration for e in owed} == {f"refund owed by bank transfer-return-{first.id}",
                                           f"refund owed by bank transfer-return-{second.id}"}
    assert balance(K.DEPOSITS) == 0 and balance(K.REFUNDS_OWED) == -135_015

    admin = AdminFactory()
    for refund in transfer_services.refunds_owed():
        transfer_services.settle_refund(refund.id, f"FT-BACK-{refund.id}", admin)
    db.session.expire_all()
    assert balance(K.REFUNDS_OWED) == 0 and balance(K.BANK) == 0
    assert ledger.trial_balance() == 0 and ledger.unbalanced_entries() == []


def test_a_returned_unit_of_cash_goods_is_owed_from_the_bank_and_bean_check_accepts_the_books(
        app, client, tmp_path):
    if not BEAN_CHECK.exists() and shutil.which("bean-check") is None:
        pytest.fail("bean-check is missing: pip install -r requirements-test.txt")
    pickup, staff, producer_id = _collected(client, 2, 120_000, method="at_pickup")
    returns.record_return(pickup, pickup.lines[0].id, 1, 'Vỡ "nắp"', resaleable=False, by=staff)
    db.session.expire_all()
    returned = db.session.scalar(db.select(GoodsReturn))
    # Kept: 120.000 less its 12.000 fee; the drawer still holds both units' cash (remitted later).
    assert -balance(K.PAYABLE, producer_id=producer_id) == 108_000
    assert balance(K.FEE_INCOME) == -12_000
    assert balance(K.DRAWER, outlet_id=pickup.outlet_id) == 240_000
    assert balance(K.DEPOSITS) == 0 and balance(K.REFUNDS_OWED) == -120_000
    (refund,) = transfer_services.refunds_owed()
    transfer_services.settle_refund(refund.id, "FT-BACK-1", AdminFactory())
    db.session.expire_all()
    assert balance(K.BANK) == -120_000 and ledger.trial_balance() == 0

    target = tmp_path / "books.beancount"
    result = app.test_cli_runner().invoke(args=["finance", "export", "--format", "beancount",
                                                str(target)])
    assert result.exit_code == 0, result.output
    checked = subprocess.run([str(BEAN_CHECK if BEAN_CHECK.exists() else "bean-check"), str(target)],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    text = target.read_text(encoding="utf-8")
    number = pickup.order.number
    assert f'* "{number} return-{returned.id}" "goods returned (return-{returned.id}): 1 × ' in text
    assert f'key: "goods-returned-{returned.id}"' in text


def test_a_return_inside_the_hold_is_taken_from_what_is_held_not_from_what_is_payable(app, client):
    pickup, staff, producer_id = _collected(client, 2, 150_000)
    returns.record_return(pickup, pickup.lines[0].id, 1, "Sai màu", resaleable=True, by=staff)
    db.session.expire_all()
    now = payouts.earnings_of(producer_id)
    assert (now.owed, now.held, now.payable) == (135_000, 135_000, 0)
    later = payouts.earnings_of(producer_id, now=utcnow() + timedelta(days=30))
    assert (later.owed, later.held, later.payable) == (135_000, 0, 135_000)


def test_a_return_after_the_hold_lowers_only_what_is_payable(app, client):
    pickup, staff, producer_id = _collected(client, 2, 150_000)
    with time_machine.travel(utcnow() + timedelta(days=30), tick=False):  # the hold has passed
        returns.record_return(fresh(pickup), pickup.lines[0].id, 1, "Sai màu", resaleable=True,
                              by=staff)
        db.session.expire_all()
        now = payouts.earnings_of(producer_id)
    assert (now.owed, now.held, now.payable) == (135_000, 0, 135_000)
