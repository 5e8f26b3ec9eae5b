"""The books against what really happened, for random histories (hypothesis), on both backends.

Each example places orders (card, transfer, pay at pickup), pays them (card at the Stripe
stand-in; transfers exact, under, over or late through the bank webhook; cash at the counter),
receives and hands over goods (whole or in part), takes units of handed-over lines back at the
outlet (goods given back after hand-over), cancels, lets pickups go no-show, settles refunds (Stripe succeeded or failed; transfers sent back by an admin) and resolves stray
transfers, then checks:

- every entry balances and the ledger sums to zero;
- each producer's payable is what they handed over less what came back, less the fee (taken back
  in proportion to the units given back, half up) and the payouts paid, to the đồng
  (payouts paid by the bank's outgoing notice or by an admin; failed ones are payable again);
- each drawer holds the cash taken at its counter less the cash remitted;
- the bank and Stripe clearing accounts hold what the stand-ins received less what they paid back.
"""
from collections import defaultdict
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from storefront.checkout.services import new_checkout_token
from storefront.extensions import db
from storefront.finance import cash, fees, ledger, payouts
from storefront.finance.models import AccountKind
from storefront.orders import services as orders
from storefront.orders.models import CounterMethod, LineStatus, Order, PickupStatus
from storefront.orders.placement import place_order
from storefront.payments import transfers as transfer_services
from storefront.payments.gateway import create_checkout_session
from storefront.payments.models import Refund, RefundStatus
from storefront.pickup import services as pickup_services
from storefront.returns import services as returns
from storefront.timeutil import utcnow
from tests.support.checkout_support import CONTACT, line
from tests.conftest import PASSWORD, _empty_tables
from tests.support.factories import AdminFactory, OutletFactory, ProductFactory, StaffUserFactory
from tests.support.stripe_server import event_for, signed, stripe_config, stripe_server  # noqa: F401
from tests.support.transfer_support import ACCOUNT, notification, post as post_transfer

K = AccountKind
P = PickupStatus
EXPECTED_ERRORS = (orders.OrderError, transfer_services.TransferError, payouts.PayoutError,
                   cash.CashError)

step = st.tuples(
    st.sampled_from(["place", "place", "pay", "pay", "hand_over", "hand_over", "hand_over", "partial",
                     "receive", "cancel", "no_show", "settle_refunds", "resolve", "payout",
                     "remit", "give_back"]),
    st.integers(0, 50), st.integers(0, 50))


@pytest.fixture
def shop_app(make_app, stripe_server):
    stripe_server.refund_status = "pending"
    app = make_app(**stripe_config(stripe_server.url), **ACCOUNT)
    with app.app_context():
        yield app
        db.session.remove()


class World:
    """The shop's people and products, and what the outside world saw happen."""

    def __init__(self, app, stripe):
        self.app, self.stripe, self.client = app, stripe, app.test_client()
        self.outlets = [OutletFactory(opening_hours="0:00–23:59"),
                        OutletFactory(opening_hours="0:00–23:59")]
        self.products = [ProductFactory(price=price, stock=10_000, outlets=self.outlets)
                         for price in (45_000, 120_000)]
        self.staff = {o.id: StaffUserFactory(outlet=o) for o in self.outlets}
        self.admin = AdminFactory()
        self.orders: list[tuple[int, dict]] = []  # (order id, pickup codes)
        self.bank_in = self.bank_out = self.stripe_in = self.stripe_out = 0
        self.cash = defaultdict(int)
        self.remitted = defaultdict(int)
        self.paid_out = defaultdict(int)
        self.given_back = defaultdict(int)  # order line id: units the shopper brought back
        self.notes = 0
        for product in self.products:  # each producer can be paid
            account = payouts.change_account(product.producer, self.admin, PASSWORD, "970436",
                                             f"01234{product.producer_id:05d}", "HTX",
                                             lambda email: None)
            payouts.verify_account(account.id, self.admin.email)

    # --- helpers -------------------------------------------------------------------------------

    def order(self, i):
        if not self.orders:
            return None, None
        order_id, codes = self.orders[-1 - i % min(3, len(self.orders))]  # mostly recent ones
        db.session.expire_all()
        return db.session.get(Order, order_id), codes

    def pickup(self, i, j):
        order, codes = self.order(i)
        if order is None:
            return None, None
        pickup = order.pickups[j % len(order.pickups)]
        return pickup, codes[pickup.id]

    def transfer(self, code, amount):
        self.notes += 1
        body = notification(code, amount, id=f"n{self.notes}")
        assert post_transfer(self.client, body).status_code == 200
        self.bank_in += amount

    # --- steps ---------------------------------------------------------------------------------

    def place(self, i, j):
        method = ["card", "vietqr", "at_pickup"][i % 3]
        first, second = self.products
        lines = [line(first, 1 + j % 3)] + ([line(second, 1 + i % 2)] if j % 2 else [])
        assignment = {first.id: self.outlets[0].id}
        if j % 2:
            assignment[second.id] = self.outlets[(i // 3) % 2].id
        placed = place_order(lines, CONTACT, assignment, method, new_checkout_token())
        if method == "card":
            create_checkout_session(placed.order)
        self.orders.append((placed.order.id, placed.codes))

    def pay(self, i, j):
        order, _ = self.order(i)
        if order is None:
            return
        if order.payment_method == "card":
            if order.paid_at is None and order.stripe_session_id:
                session = self.stripe.complete(order.stripe_session_id)
                body, headers = signed(event_for("checkout.session.completed", session))
                assert self.client.post("/stripe/webhook", data=body, headers=headers).status_code == 200
                self.stripe_in += order.total
            return
        due = max(order.total - order.amount_received, 1_000)
        amount = [due, due // 2 or 1, due + 7_000, due][j % 4]  # exact, under, over, late again
        self.transfer(order.payment_code, amount)

    def receive(self, i, j, only_one=False):
        pickup, _ = self.pickup(i, j)
        if pickup is None or pickup.status != P.CONFIRMED:
            return
        waiting = [l for l in pickup.lines if l.status == LineStatus.AWAITING_DROPOFF]
        for item in waiting[:1] if only_one else waiting:
            orders.receive_line(item, self.staff[pickup.outlet_id])

    def hand_over(self, i, j, partial=False):
        """The producer brings the goods (all, or the first line only) and the shopper takes them
        (a card or transfer order still waiting is paid in full first)."""
        pickup, _ = self.pickup(i, j)
        if pickup is not None and pickup.status == P.AWAITING_PAYMENT:
            self.pay(i, 0)
        self.receive(i, j, only_one=partial)
        pickup, code = self.pickup(i, j)
        if pickup is None:
            return
        staff = self.staff[pickup.outlet_id]
        act = (lambda **kw: pickup_services.hand_over_partially(pickup, code, staff, **kw)) \
            if partial else (lambda **kw: orders.hand_over(pickup, code, staff, **kw))
        try:
            act()
        except orders.PaymentNotCollected as due:
            act(collected=CounterMethod.CASH, amount=due.amount)
            self.cash[pickup.outlet_id] += due.amount

    def give_back(self, i, j):
        """The shopper brings units of a handed-over line back to the outlet (money owed back)."""
        pickup, _ = self.pickup(i, j)
        if pickup is None:
            return
        left = [(item, n) for item, n in returns.returnable(pickup) if n > 0]
        if not left:
            return
        item, n = left[i % len(left)]
        quantity = 1 + j % n
        returns.record_return(pickup, item.id, quantity, "khách đổi ý", resaleable=bool(j % 2),
                              by=self.staff[pickup.outlet_id])
        self.given_back[item.id] += quantity

    def cancel(self, i, j):
        pickup, _ = self.pickup(i, j)
        if pickup is not None:
            orders.cancel_pickup(pickup, self.staff[pickup.outlet_id], "hết hàng")

    def no_show(self, i, j):
        self.receive(i, j)
        orders.expire_no_shows(now=utcnow() + timedelta(days=60), days=0)

    def settle_refunds(self, i, j):
        db.session.expire_all()
        for refund in db.session.scalars(db.select(Refund).where(
                Refund.status == RefundStatus.PENDING, Refund.stripe_refund_id.is_not(None))).all():
            status = "failed" if (i + refund.id) % 3 == 0 else "succeeded"
            response = self.stripe.send_refund_update(self.client, refund.stripe_refund_id, status)
            assert response.status_code == 200
            if status == "succeeded":
                self.stripe_out += refund.amount
        for owed in transfer_services.refunds_owed():
            transfer_services.settle_refund(owed.id, f"FT-BACK-{owed.id}", self.admin)
            self.bank_out += owed.amount

    def resolve(self, i, j):
        for stray in transfer_services.to_resolve():
            transfer_services.refund_transfer(stray.id, f"FT-STRAY-{stray.id}", self.admin)
            self.bank_out += stray.amount

    def payout(self, i, j):
        """A batch of what is payable; the bank's notice pays one, an admin another, one fails."""
        batch = payouts.make_batch(self.admin.email, now=utcnow() + timedelta(days=90))
        for n, payout in enumerate(batch.payouts if batch else []):
            way = (i + n) % 3
            if way == 0:
                self.notes += 1
                body = notification(None, payout.amount, id=f"n{self.notes}", transferType="out",
                                    content=f"CT {payout.code} OCOP")
                assert post_transfer(self.client, body).status_code == 200
            elif way == 1:
                payouts.mark_paid(payout.id, f"FT-{payout.code}", self.admin.email)
            else:  # never sent, or sent and returned by the bank: payable again either way
                if j % 2:
                    payouts.mark_paid(payout.id, f"FT-{payout.code}", self.admin.email)
                payouts.mark_failed(payout.id, "sai số tài khoản", self.admin.email)
                continue
            self.paid_out[payout.producer_id] += payout.amount
            self.bank_out += payout.amount

    def remit(self, i, j):
        outlet = self.outlets[i % 2]
        amount = cash.expected_in_drawer(outlet.id) // (1 + j % 2)
        if amount > 0:
            remittance = cash.record_remittance(outlet.id, amount, f"NOP-{i}-{j}",
                                                self.staff[outlet.id].email)
            cash.confirm_remittance(remittance.id, self.admin.email)
            self.remitted[outlet.id] += amount
            self.bank_in += amount

    def run(self, name, i, j):
        action = {"partial": lambda a, b: self.hand_over(a, b, partial=True)}.get(name) \
            or getattr(self, name)
        try:
            action(i, j)
        except EXPECTED_ERRORS:
            db.session.rollback()  # not allowed now: the domain refused, nothing changed


def balance(kind, **owner) -> int:
    return ledger.balance(ledger.account(kind, **owner))


def check_books(world: World) -> None:
    db.session.expire_all()
    assert ledger.unbalanced_entries() == []
    assert ledger.trial_balance() == 0
    earned = defaultdict(int)
    for order_id, _codes in world.orders:
        order = db.session.get(Order, order_id)
        for pickup in order.pickups:
            if pickup.status != P.COLLECTED:
                continue
            for item in pickup.lines:
                if item.status == LineStatus.CANCELLED:
                    continue
                fee = fees.fee_on(item.amount, 1000)
                back = world.given_back[item.id] * item.unit_price
                fee_back = (2 * fee * back + item.amount) // (2 * item.amount)  # its share, half up
                earned[item.producer_id] += (item.amount - back) - (fee - fee_back)
    for product in world.products:
        assert -balance(K.PAYABLE, producer_id=product.producer_id) == \
            earned[product.producer_id] - world.paid_out[product.producer_id]
    for outlet in world.outlets:
        assert balance(K.DRAWER, outlet_id=outlet.id) == \
            world.cash[outlet.id] - world.remitted[outlet.id]
    assert balance(K.BANK) == world.bank_in - world.bank_out
    assert balance(K.STRIPE) == world.stripe_in - world.stripe_out
    assert balance(K.REFUNDS_OWED) <= 0 and balance(K.OVERPAYMENTS) <= 0
    assert balance(K.DEPOSITS) <= 0  # never owed back more than the shop holds for the shoppers


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(step, min_size=3, max_size=16))
def test_the_books_match_what_happened_for_any_history(shop_app, stripe_server, steps):
    for kept in (stripe_server.sessions, stripe_server.refunds, stripe_server._replies,
                 stripe_server.requests):
        kept.clear()  # the tables are emptied after each example, so ids start again
    try:
        world = World(shop_app, stripe_server)
        # every history ends by paying producers and paying the outlets' cash in, as a period does
        opening = [("place", 0, 1), ("place", 2, 1)]  # a card order, a pay-at-pickup one
        closing = [("hand_over", 0, 0), ("give_back", 0, 0), ("settle_refunds", 0, 0),
                   ("payout", 0, 1), ("payout", 1, 0), ("remit", 0, 1), ("remit", 1, 0)]
        for name, i, j in opening + steps + closing:
            world.run(name, i, j)
        check_books(world)
    finally:
        db.session.remove()
        _empty_tables()
