"""The books: balanced entries once per cause, never edited; each money event posts its entry."""
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from storefront.extensions import db
from storefront.finance import fees, ledger
from storefront.finance.ledger import Leg, LedgerError
from storefront.finance.models import AccountKind, JournalEntry, Posting
from storefront.orders import services as orders
from storefront.orders.models import PaymentStatus
from storefront.payments import transfers as transfer_services
from storefront.unit_of_work import transaction
from tests.support.factories import AdminFactory, StaffUserFactory
from tests.support.transfer_support import (  # noqa: F401  (app fixture)
    app, fresh, notification, post, transfer_order,
)

K = AccountKind


def balance_of(kind, **owner) -> int:
    db.session.expire_all()
    return ledger.balance(ledger.account(kind, **owner))


def entries(kind=None) -> list[JournalEntry]:
    db.session.expire_all()
    query = db.select(JournalEntry).order_by(JournalEntry.id)
    if kind:
        query = query.where(JournalEntry.kind == kind)
    return db.session.scalars(query).all()


def assert_books_balance():
    assert ledger.trial_balance() == 0
    assert ledger.unbalanced_entries() == []


# --- the ledger itself ---------------------------------------------------------------------------

def test_an_entry_that_does_not_balance_is_refused_and_one_that_does_posts_once(app):
    bank, deposits = ledger.account(K.BANK), ledger.account(K.DEPOSITS)
    with pytest.raises(LedgerError):
        ledger.post("k1", "test", "X", "unbalanced", [Leg(bank, 100), Leg(deposits, -99)])
    with pytest.raises(LedgerError):
        ledger.post("k1", "test", "X", "float", [Leg(bank, 100.0), Leg(deposits, -100.0)])
    with transaction():
        assert ledger.post("k1", "test", "X", "ok", [Leg(bank, 100), Leg(deposits, -100)])
    with transaction():
        assert ledger.post("k1", "test", "X", "again", [Leg(bank, 100), Leg(deposits, -100)]) is None
    assert [len(e.postings) for e in entries()] == [2]
    assert balance_of(K.BANK) == 100 and balance_of(K.DEPOSITS) == -100


def test_entries_are_never_edited_only_reversed(app):
    bank, deposits = ledger.account(K.BANK), ledger.account(K.DEPOSITS)
    with transaction():
        entry = ledger.post("k2", "test", "X", "ok", [Leg(bank, 500), Leg(deposits, -500)])
    entry.postings[0].amount = 400
    with pytest.raises(LedgerError):
        db.session.flush()
    db.session.rollback()
    with transaction():
        ledger.reverse(db.session.get(JournalEntry, entry.id), "k2-reversed", "mistake")
    assert balance_of(K.BANK) == 0
    assert [e.reverses_id for e in entries()] == [None, entry.id]


def test_on_postgresql_the_database_itself_refuses_unbalanced_or_edited_books(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the triggers are PostgreSQL's")
    bank, deposits = ledger.account(K.BANK), ledger.account(K.DEPOSITS)
    with transaction():
        entry = ledger.post("k3", "test", "X", "ok", [Leg(bank, 100), Leg(deposits, -100)])
    with pytest.raises(DBAPIError, match="append-only"):
        with transaction():
            db.session.execute(text("UPDATE posting SET amount = 1 WHERE entry_id = :e"),
                               {"e": entry.id})
    with pytest.raises(DBAPIError, match="does not balance"):
        with transaction():
            db.session.execute(text("INSERT INTO posting (entry_id, account_id, amount) "
                                    "VALUES (:e, :a, 7)"), {"e": entry.id, "a": bank.id})
    assert balance_of(K.BANK) == 100


def test_fee_percentages_are_read_without_floats_and_round_half_up(app):
    assert [fees.percent_to_basis_points(t) for t in ("10", "7.5", "12,25", "0", "100")] == \
        [1000, 750, 1225, 0, 10000]
    for bad in ("abc", "10.125", "101", "-1", "1e2"):
        with pytest.raises(fees.FeeError):
            fees.percent_to_basis_points(bad)
    assert fees.fee_on(150_000, 1000) == 15_000
    assert fees.fee_on(5, 1000) == 1 and fees.fee_on(4, 1000) == 0  # 0.5 up, 0.4 down


# --- money events post their entries -------------------------------------------------------------

def _hand_over(placed, staff):
    order = fresh(placed.order)
    for pickup in order.pickups:
        for line in pickup.lines:
            orders.receive_line(line, staff)
        orders.hand_over(fresh(pickup), placed.codes[pickup.id], staff)


def test_a_transfer_paid_then_handed_over_makes_the_producer_payable_less_the_fee(app, client):
    placed, (product,) = transfer_order(quantity=2, price=150_000)
    assert post(client, notification(placed.order.payment_code, 300_000)).status_code == 200
    assert balance_of(K.BANK) == 300_000 and balance_of(K.DEPOSITS) == -300_000

    _hand_over(placed, StaffUserFactory(outlet=fresh(placed.order).pickups[0].outlet))

    assert balance_of(K.DEPOSITS) == 0
    assert balance_of(K.PAYABLE, producer_id=product.producer_id) == -270_000
    assert balance_of(K.FEE_INCOME) == -30_000
    (handed,) = entries("handed_over")
    assert handed.cause == placed.order.number and handed.order_id == placed.order.id
    assert {p.order_line_id for p in handed.postings} == {fresh(placed.order).lines[0].id}
    assert_books_balance()


def test_a_producer_rate_from_today_is_charged_and_an_earlier_hand_over_keeps_its_fee(app, client):
    from storefront.timeutil import local_today
    placed, (product,) = transfer_order(quantity=1, price=200_000)
    with transaction():
        fees.set_rate(product.producer_id, 500, local_today(), "admin@example.com")
    post(client, notification(placed.order.payment_code, 200_000))
    _hand_over(placed, StaffUserFactory(outlet=fresh(placed.order).pickups[0].outlet))
    assert balance_of(K.FEE_INCOME) == -10_000
    assert balance_of(K.PAYABLE, producer_id=product.producer_id) == -190_000
    with pytest.raises(fees.FeeError):
        fees.set_rate(product.producer_id, 800, local_today().replace(year=2020), "admin")


def test_over_under_and_unmatched_transfers_land_where_they_belong(app, client):
    placed, _ = transfer_order(quantity=1, price=100_000)
    code = placed.order.payment_code
    post(client, notification(code, 40_000))                      # under
    assert balance_of(K.DEPOSITS) == -40_000
    post(client, notification(code, 90_000))                      # the rest and 30.000 over
    assert fresh(placed.order).payment_status == PaymentStatus.PAID
    assert balance_of(K.BANK) == 130_000 and balance_of(K.DEPOSITS) == -100_000
    assert balance_of(K.OVERPAYMENTS) == 0 and balance_of(K.REFUNDS_OWED) == -30_000
    post(client, notification("OCOP99999999", 55_000, content="no code"))  # unmatched
    assert balance_of(K.OVERPAYMENTS) == -55_000 and balance_of(K.BANK) == 185_000
    admin = AdminFactory()
    unmatched = transfer_services.to_resolve()[0]
    transfer_services.refund_transfer(unmatched.id, "FT-BACK-1", admin)
    (owed,) = transfer_services.refunds_owed()
    transfer_services.settle_refund(owed.id, "FT-BACK-2", admin)
    assert balance_of(K.BANK) == 100_000 and balance_of(K.REFUNDS_OWED) == 0
    assert balance_of(K.OVERPAYMENTS) == 0
    assert_books_balance()


def test_cancelling_a_paid_transfer_order_owes_the_money_back_then_sends_it(app, client):
    placed, _ = transfer_order(quantity=1, price=100_000)
    post(client, notification(placed.order.payment_code, 100_000))
    orders.cancel_order(fresh(placed.order), "system", "hết hàng")
    assert balance_of(K.DEPOSITS) == 0 and balance_of(K.REFUNDS_OWED) == -100_000
    (owed,) = transfer_services.refunds_owed()
    transfer_services.settle_refund(owed.id, "FT-REFUND", AdminFactory())
    assert fresh(placed.order).payment_status == PaymentStatus.REFUNDED
    assert balance_of(K.BANK) == 0 and balance_of(K.REFUNDS_OWED) == 0
    assert_books_balance()


def test_a_replayed_notification_posts_nothing_twice(app, client):
    placed, _ = transfer_order(quantity=1, price=100_000)
    body = notification(placed.order.payment_code, 100_000)
    post(client, body)
    post(client, body)
    assert balance_of(K.BANK) == 100_000
    assert len(entries("transfer_received")) == 1
