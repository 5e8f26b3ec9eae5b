"""The money pages, in Vietnamese and English: earnings, cash-up, books and payouts."""
from datetime import timedelta

from storefront.extensions import db
from storefront.finance import cash, ledger, payouts, settlement
from storefront.finance.models import BankAccount, Payout, PayoutStatus
from storefront.timeutil import local_today, utcnow
from tests.conftest import PASSWORD
from tests.support.factories import AdminFactory, ProducerUserFactory, StaffUserFactory
from tests.test_finance_payouts import handed_over, verified_account
from tests.support.transfer_support import app, fresh, notification, post, transfer_order  # noqa: F401


def test_a_producer_sees_earnings_sets_a_bank_account_and_downloads_a_statement(app, client, login):
    producer = handed_over(client)
    user = ProducerUserFactory(producer=producer)
    login(user)
    page = client.get("/producer/earnings").get_data(as_text=True)
    assert "Thu nhập" in page and "270.000" in page and "10%" in page
    response = client.post("/producer/earnings/bank-account", data={
        "bank_bin": "970454", "account_number": "9876543210", "holder_name": "htx gom",
        "password": PASSWORD})
    assert response.status_code == 303
    account = db.session.scalar(db.select(BankAccount))
    assert account.bank_bin == "970454" and account.verified_at is None
    page = client.get("/producer/earnings").get_data(as_text=True)
    assert "BVBank" in page and "••••••3210" in page and "9876543210" not in page
    start, end = settlement.period_of(local_today())
    settlement.close_period(start, end)
    (closed,) = settlement.statements_of(producer.id)
    assert "270.000" in client.get(f"/producer/earnings/statements/{closed.id}").get_data(as_text=True)
    csv_body = client.get(f"/producer/earnings/statements/{closed.id}.csv").data
    assert csv_body.startswith(b"\xef\xbb\xbf")
    assert client.get(f"/producer/earnings/statements/{closed.id}.pdf").data.startswith(b"%PDF")
    other = ProducerUserFactory()
    client.get("/auth/logout")
    login(other)
    assert client.get(f"/producer/earnings/statements/{closed.id}").status_code == 404


def test_the_outlet_closes_a_shift_and_records_a_remittance(app, client, login):
    placed, _ = transfer_order(quantity=1, price=80_000, method="at_pickup")
    order = fresh(placed.order)
    staff = StaffUserFactory(outlet=order.pickups[0].outlet)
    from storefront.orders import services as orders
    from storefront.orders.models import CounterMethod
    orders.receive_line(order.lines[0], staff)
    orders.hand_over(fresh(order.pickups[0]), placed.codes[order.pickups[0].id], staff,
                     collected=CounterMethod.CASH, amount=80_000)
    login(staff)
    assert "80.000" in client.get("/outlet/cash").get_data(as_text=True)
    assert 'Tiền mặt · <span class="money">80.000' in client.get("/outlet/").get_data(as_text=True)
    assert client.post("/outlet/cash/shift", data={"counted": "79.000"}).status_code == 303
    assert client.post("/outlet/cash/remittances", data={"amount": "79.000",
                                                          "reference": "FT-NOP-1"}).status_code == 303
    page = client.get("/outlet/cash?lang=en").get_data(as_text=True)
    assert "FT-NOP-1" in page
    assert cash.expected_in_drawer(staff.outlet_id) == 79_000


def test_the_admin_pays_a_payout_by_its_vietqr_and_the_books_balance(app, client, login):
    producer = handed_over(client)
    verified_account(producer)
    admin = AdminFactory()
    login(admin)
    payouts.make_batch(admin.email, now=utcnow() + timedelta(days=30))
    payout = db.session.scalar(db.select(Payout))
    page = client.get("/admin/payouts").get_data(as_text=True)
    assert payout.code in page and "270.000" in page
    qr = client.get(f"/admin/payouts/{payout.id}/vietqr.png")
    assert qr.status_code == 200 and qr.mimetype == "image/png"
    batch_csv = client.get(f"/admin/payouts/batches/{payout.batch_id}.csv")
    assert payout.code in batch_csv.get_data(as_text=True)
    assert client.post(f"/admin/payouts/{payout.id}/paid", data={"reference": "FT-PO-1"}).status_code == 303
    assert fresh(payout).status == PayoutStatus.PAID
    finance = client.get("/admin/finance").get_data(as_text=True)
    assert "Liabilities:Producers:" in finance and 'id="trial-balance" class="fw-semibold text-success' in finance
    assert client.post("/admin/finance/close-period").status_code == 303
    assert ledger.trial_balance() == 0


def test_money_pages_are_for_their_role_only(app, client, login):
    login(ProducerUserFactory())
    assert client.get("/admin/finance").status_code == 403
    assert client.get("/outlet/cash").status_code == 403


def test_the_demo_has_weeks_of_money_for_every_page(app):
    from storefront.finance.models import CashShift, JournalEntry, Statement
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    kinds = {kind for kind in db.session.scalars(db.select(JournalEntry.kind))}
    assert {"transfer_received", "counter_cash", "handed_over", "refund_owed", "refund_sent",
            "payout_paid", "cash_difference", "cash_remitted"} <= kinds
    assert db.session.scalar(db.select(db.func.count(Statement.id))) >= 2
    statuses = {p.status for p in db.session.scalars(db.select(Payout))}
    assert {PayoutStatus.PAID, PayoutStatus.PENDING} <= statuses
    assert db.session.scalar(db.select(CashShift).where(CashShift.difference != 0)) is not None
    assert ledger.trial_balance() == 0 and ledger.unbalanced_entries() == []
    entries = db.session.scalar(db.select(db.func.count(JournalEntry.id)))
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    assert db.session.scalar(db.select(db.func.count(JournalEntry.id))) == entries  # once
