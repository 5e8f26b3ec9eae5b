"""Paying producers and outlet cash: payable after the hold, batches, VietQR and the bank file,
paid once (bank notice or admin), failed back to payable; shifts and remittances; statements."""
import csv
from datetime import timedelta

import pytest

from storefront.extensions import db
from storefront.finance import cash, ledger, payouts, settlement
from storefront.finance.models import AccountKind, PayoutStatus
from storefront.orders import services as orders
from storefront.orders.models import CounterMethod
from storefront.payments import vietqr
from storefront.timeutil import local_today, utcnow
from tests.support.factories import AdminFactory, ProducerUserFactory, StaffUserFactory
from tests.support.transfer_support import (  # noqa: F401  (app fixture)
    ACCOUNT, app, fresh, notification, post, transfer_order,
)
from tests.conftest import PASSWORD

K = AccountKind


def handed_over(client, quantity=2, price=150_000):
    """A transfer order paid and handed over now; return its producer's id."""
    placed, (product,) = transfer_order(quantity=quantity, price=price)
    post(client, notification(placed.order.payment_code, quantity * price))
    order = fresh(placed.order)
    staff = StaffUserFactory(outlet=order.pickups[0].outlet)
    orders.receive_line(order.lines[0], staff)
    orders.hand_over(fresh(order.pickups[0]), placed.codes[order.pickups[0].id], staff)
    return product.producer


def verified_account(producer):
    user = ProducerUserFactory(producer=producer)
    account = payouts.change_account(producer, user, PASSWORD, "970436", "0123 456 789",
                                     "htx gom bat trang", lambda email: None)
    payouts.verify_account(account.id, "admin@example.com")
    return account


def test_the_bank_account_needs_the_password_a_known_bank_and_is_shown_masked(app):
    producer = handed_over_producer = None  # noqa: F841
    from tests.support.factories import ProducerFactory
    producer = ProducerFactory()
    user = ProducerUserFactory(producer=producer)
    told = []
    with pytest.raises(payouts.PayoutError):
        payouts.change_account(producer, user, "wrong", "970436", "0123456789", "A", told.append)
    with pytest.raises(payouts.PayoutError):
        payouts.change_account(producer, user, PASSWORD, "123456", "0123456789", "A", told.append)
    account = payouts.change_account(producer, user, PASSWORD, "970436", "0123 456 789",
                                     " htx  gốm ", told.append)
    assert told == [user.email]
    assert (account.account_number, account.holder_name, account.masked) == \
        ("0123456789", "HTX GỐM", "••••••6789")
    assert account.verified_at is None


def test_earnings_are_held_then_payable_and_a_batch_pays_each_producer_once(app, client):
    producer = handed_over(client)
    early = payouts.earnings_of(producer.id)
    assert (early.owed, early.held, early.payable) == (270_000, 270_000, 0)
    later = utcnow() + timedelta(days=app.config["SETTLEMENT_HOLD_DAYS"] + 1)
    assert payouts.make_batch("admin", now=later) is None  # no verified account yet
    verified_account(producer)
    batch = payouts.make_batch("admin", now=later)
    (payout,) = batch.payouts
    assert payout.amount == 270_000 and payout.code.startswith("PO") and len(payout.code) == 10
    assert payouts.earnings_of(producer.id, later).payable == 0  # pending: not paid twice
    assert payouts.make_batch("admin", now=later) is None

    payload = payouts.qr_payload(payout)
    assert payout.code in payload and "970436" in payload and "270000" in payload
    assert vietqr.crc16(payload[:-4]) == payload[-4:]
    rows = list(csv.reader(payouts.batch_csv(batch).lstrip("\ufeff").splitlines()))
    assert rows[1][1:6] == ["970436", "Vietcombank", "0123456789", "HTX GOM BAT TRANG", "270000"]
    assert rows[1][6].startswith(payout.code)


def test_the_banks_outgoing_notice_pays_the_payout_once_then_an_admin_cannot_again(app, client):
    producer = handed_over(client)
    verified_account(producer)
    later = utcnow() + timedelta(days=30)
    (payout,) = payouts.make_batch("admin", now=later).payouts
    body = notification(None, payout.amount, transferType="out",
                        content=f"IBFT {payout.code} OCOP", id="out-1")
    assert post(client, body).status_code == 200
    assert post(client, body).status_code == 200  # replayed
    payout = fresh(payout)
    assert payout.status == PayoutStatus.PAID and payout.paid_by == "bank"
    assert ledger.balance(ledger.account(K.PAYABLE, producer_id=producer.id)) == 0
    assert ledger.balance(ledger.account(K.BANK)) == 300_000 - 270_000
    with pytest.raises(payouts.PayoutError):
        payouts.mark_paid(payout.id, "FT-AGAIN", "admin@example.com")
    assert ledger.balance(ledger.account(K.BANK)) == 30_000


def test_a_payout_returned_by_the_bank_is_payable_again(app, client):
    producer = handed_over(client)
    verified_account(producer)
    later = utcnow() + timedelta(days=30)
    (payout,) = payouts.make_batch("admin", now=later).payouts
    payouts.mark_paid(payout.id, "FT-1", "admin@example.com")
    payouts.mark_failed(payout.id, "wrong account", "admin@example.com")
    assert ledger.balance(ledger.account(K.PAYABLE, producer_id=producer.id)) == -270_000
    assert payouts.earnings_of(producer.id, later).payable == 270_000
    with pytest.raises(payouts.PayoutError):
        payouts.mark_failed(payout.id, "again", "admin@example.com")
    assert ledger.trial_balance() == 0


def test_cash_taken_at_the_counter_is_expected_in_the_drawer_until_remitted(app):
    from tests.support.transfer_support import transfer_order as place
    placed, _ = place(quantity=1, price=80_000, method="at_pickup")
    order = fresh(placed.order)
    pickup = order.pickups[0]
    staff = StaffUserFactory(outlet=pickup.outlet)
    orders.receive_line(order.lines[0], staff)
    orders.hand_over(fresh(pickup), placed.codes[pickup.id], staff,
                     collected=CounterMethod.CASH, amount=80_000)
    outlet_id = pickup.outlet_id
    assert cash.expected_in_drawer(outlet_id) == 80_000
    shift = cash.close_shift(outlet_id, 78_000, staff.email)
    assert (shift.expected, shift.difference) == (80_000, -2_000)
    assert cash.differences() == [shift]
    with pytest.raises(cash.CashError):
        cash.record_remittance(outlet_id, 90_000, "FT-DEP", staff.email)
    remittance = cash.record_remittance(outlet_id, 78_000, "FT-DEP", staff.email)
    assert remittance.code.startswith("RM")
    cash.confirm_remittance(remittance.id, "admin@example.com")
    with pytest.raises(cash.CashError):
        cash.confirm_remittance(remittance.id, "admin@example.com")
    assert cash.expected_in_drawer(outlet_id) == 0
    assert ledger.balance(ledger.account(K.BANK)) == 78_000
    assert ledger.balance(ledger.account(K.CASH_DIFFERENCES)) == 2_000
    assert ledger.trial_balance() == 0


def test_a_period_closes_once_with_a_statement_that_adds_up(app, client):
    producer = handed_over(client)
    verified_account(producer)
    (payout,) = payouts.make_batch("admin", now=utcnow() + timedelta(days=30)).payouts
    payouts.mark_paid(payout.id, "FT-9", "admin@example.com")
    start, end = settlement.period_of(local_today())
    producer.email = "htx@example.com"
    db.session.commit()
    assert settlement.close_period(start, end) == 1
    assert settlement.close_period(start, end) == 0
    from storefront.notifications.models import OutboxMessage
    (mail,) = db.session.scalars(db.select(OutboxMessage).where(
        OutboxMessage.kind == "statement_ready")).all()
    assert mail.to_email == "htx@example.com" and "270.000" in mail.body
    assert "/producer/earnings/statements/" in mail.body
    (closed,) = settlement.statements_of(producer.id)
    view = settlement.statement(producer.id, start, end)
    assert (closed.opening, closed.earned, closed.fees, closed.paid_out, closed.closing) == \
        (0, 300_000, 30_000, 270_000, 0) == \
        (view.opening, view.earned, view.fees, view.paid_out, view.closing)
    paid_line = next(line for line in view.lines if line.kind == "payout_paid")
    assert (paid_line.cause, paid_line.description) == (payout.code, "Chi trả cho nhà sản xuất")
    from flask_babel import force_locale
    with force_locale("en"):  # in the reader's language, not the books' English narration
        assert next(line.description for line in settlement.statement(producer.id, start, end).lines
                    if line.kind == "payout_paid") == "Payout to a producer"
    text = settlement.statement_csv(view)
    assert text.startswith("\ufeff") and "handed_over" in text and payout.code in text
    pdf = settlement.statement_pdf(view, producer.name)
    assert pdf.startswith(b"%PDF")


def test_a_statement_mail_is_in_the_language_its_producer_reads(app, client):
    producer = handed_over(client)
    producer.email = "htx-en@example.com"
    ProducerUserFactory(producer=producer, email="htx-en@example.com", locale="en")
    db.session.commit()
    start, end = settlement.period_of(local_today())
    assert settlement.close_period(start, end) == 1
    from storefront.notifications.models import OutboxMessage
    (mail,) = db.session.scalars(db.select(OutboxMessage).where(
        OutboxMessage.kind == "statement_ready")).all()
    assert mail.locale == "en" and mail.to_email == "htx-en@example.com"
    assert mail.subject.startswith("Payment statement") and "Bảng kê" not in mail.body


@pytest.mark.parametrize("day, cycle, period", [
    ("2026-02-10", "semimonthly", ("2026-02-01", "2026-02-15")),
    ("2026-02-16", "semimonthly", ("2026-02-16", "2026-02-28")),
    ("2026-12-31", "monthly", ("2026-12-01", "2026-12-31")),
    ("2026-12-02", "weekly", ("2026-11-30", "2026-12-06")),
])
def test_settlement_periods_follow_the_cycle(app, day, cycle, period):
    from datetime import date
    start, end = settlement.period_of(date.fromisoformat(day), cycle)
    assert (start.isoformat(), end.isoformat()) == period
