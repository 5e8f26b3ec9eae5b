"""The order state machine (orders/transitions.py) and its use cases (orders/services.py)."""
from datetime import timedelta

import pytest

from storefront.extensions import db
from storefront.models import Product
from storefront.notifications.models import OutboxMessage
from storefront.orders import codes, services
from storefront.orders.models import (
    LineStatus, OrderEvent, PaymentMethod, PaymentStatus, Pickup, PickupStatus,
)
from storefront.orders.transitions import LINE_MOVES, PICKUP_MOVES, InvalidTransition, move_line, move_pickup
from storefront.payments.models import Refund
from storefront.timeutil import utcnow
from tests.support.factories import OutletFactory, ProducerUserFactory, ProductFactory, StaffUserFactory
from tests.support.order_builder import CODE, place, place_split

P = PickupStatus
# Sorted: the table holds sets, and every xdist worker must collect the same tests.
ALLOWED = [(a, b) for a, targets in PICKUP_MOVES.items() for b in sorted(targets)]
FORBIDDEN = [(a, b) for a in PickupStatus for b in PickupStatus if b not in PICKUP_MOVES[a]]
LINE_ALLOWED = [(a, b) for a, targets in LINE_MOVES.items() for b in sorted(targets)]
LINE_FORBIDDEN = [(a, b) for a in LineStatus for b in LineStatus if b not in LINE_MOVES[a]]


@pytest.fixture
def outlet(db):
    return OutletFactory()


@pytest.fixture
def staff(outlet):
    return StaffUserFactory(outlet=outlet)


@pytest.fixture
def product(db):
    return ProductFactory(stock=10, price=120000)


def stock_of(product) -> int:
    return db.session.get(Product, product.id, populate_existing=True).stock


def outbox(kind: str) -> list[OutboxMessage]:
    return db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.kind == kind)).all()


def events_of(pickup, kind: str) -> list[OrderEvent]:
    return db.session.scalars(db.select(OrderEvent).where(
        OrderEvent.pickup_id == pickup.id, OrderEvent.kind == kind).order_by(OrderEvent.id)).all()


# --- the transition table ---------------------------------------------------------------------

@pytest.mark.parametrize(("before", "after"), ALLOWED, ids=[f"{a}->{b}" for a, b in ALLOWED])
def test_every_allowed_pickup_move_is_made_stamped_and_recorded(outlet, staff, product, before, after):
    pickup = place(outlet, (product, 1), status=before)

    move_pickup(pickup, after, by=staff, note="lý do")
    db.session.commit()

    assert pickup.status == after
    stamp = {P.CONFIRMED: pickup.confirmed_at, P.READY: pickup.ready_at,
             P.COLLECTED: pickup.collected_at}.get(after, pickup.cancelled_at)
    assert stamp is not None
    [event] = events_of(pickup, "pickup_status")
    assert (event.from_status, event.to_status) == (before, after)
    assert (event.actor_id, event.actor_label, event.note) == (staff.id, staff.email, "lý do")
    assert event.created_at is not None


@pytest.mark.parametrize(("before", "after"), FORBIDDEN, ids=[f"{a}->{b}" for a, b in FORBIDDEN])
def test_every_forbidden_pickup_move_is_refused_and_changes_nothing(outlet, staff, product, before, after):
    pickup = place(outlet, (product, 1), status=before)

    with pytest.raises(InvalidTransition):
        move_pickup(pickup, after, by=staff)
    db.session.commit()

    assert db.session.get(Pickup, pickup.id, populate_existing=True).status == before
    assert events_of(pickup, "pickup_status") == []


@pytest.mark.parametrize(("before", "after"), LINE_ALLOWED, ids=[f"{a}->{b}" for a, b in LINE_ALLOWED])
def test_every_allowed_line_move_is_made_and_recorded(outlet, product, before, after):
    line = place(outlet, (product, 1)).lines[0]
    line.status = before

    move_line(line, after, by="stripe")
    db.session.commit()

    assert line.status == after
    [event] = events_of(line.pickup, "line_status")
    assert (event.line_id, event.from_status, event.to_status) == (line.id, before, after)
    assert (event.actor_id, event.actor_label) == (None, "stripe")


@pytest.mark.parametrize(("before", "after"), LINE_FORBIDDEN,
                         ids=[f"{a}->{b}" for a, b in LINE_FORBIDDEN])
def test_every_forbidden_line_move_is_refused(outlet, product, before, after):
    line = place(outlet, (product, 1)).lines[0]
    line.status = before

    with pytest.raises(InvalidTransition):
        move_line(line, after, by=None)
    assert line.status == before


def test_a_move_without_an_actor_is_recorded_as_the_system(outlet, product):
    pickup = place(outlet, (product, 1))

    move_pickup(pickup, P.READY, by=None)
    db.session.commit()

    assert events_of(pickup, "pickup_status")[0].actor_label == "system"


# --- receiving goods ------------------------------------------------------------------------

def test_pickup_stays_confirmed_until_its_last_line_is_received(outlet, staff, db):
    first, second = ProductFactory(), ProductFactory()
    pickup = place(outlet, (first, 1), (second, 2))

    services.receive_line(pickup.lines[0], by=staff)
    assert pickup.status == P.CONFIRMED and pickup.ready_at is None
    assert outbox("pickup_ready") == []

    services.receive_line(pickup.lines[1], by=staff)
    assert pickup.status == P.READY and pickup.ready_at is not None
    assert all(line.status == LineStatus.RECEIVED and line.received_at for line in pickup.lines)
    [mail] = outbox("pickup_ready")
    assert mail.to_email == pickup.order.email and mail.order_id == pickup.order.id


def test_cancelled_lines_do_not_hold_a_pickup_back(outlet, staff, db):
    pickup = place(outlet, (ProductFactory(), 1), (ProductFactory(), 1))
    pickup.lines[1].status = LineStatus.CANCELLED
    db.session.commit()

    services.receive_line(pickup.lines[0], by=staff)

    assert pickup.status == P.READY


@pytest.mark.parametrize("status", [P.AWAITING_PAYMENT, P.READY, P.CANCELLED])
def test_goods_are_received_only_for_confirmed_pickups(outlet, staff, product, status):
    pickup = place(outlet, (product, 1), status=status)
    line_status = pickup.lines[0].status

    with pytest.raises(InvalidTransition):
        services.receive_line(pickup.lines[0], by=staff)

    assert pickup.lines[0].status == line_status and pickup.status == status


def test_a_line_cannot_be_received_twice(outlet, staff, db):
    pickup = place(outlet, (ProductFactory(), 1), (ProductFactory(), 1))
    services.receive_line(pickup.lines[0], by=staff)

    with pytest.raises(InvalidTransition):
        services.receive_line(pickup.lines[0], by=staff)


# --- hand-over --------------------------------------------------------------------------------

def test_the_right_code_hands_the_pickup_over_once(outlet, staff, product):
    pickup = place(outlet, (product, 1), status=P.READY, method=PaymentMethod.CARD)

    services.hand_over(pickup, CODE, by=staff)

    assert pickup.status == P.COLLECTED
    assert pickup.collected_at is not None and pickup.code_used_at is not None
    assert events_of(pickup, "pickup_status")[-1].actor_id == staff.id
    with pytest.raises(InvalidTransition):
        services.hand_over(pickup, CODE, by=staff)
    assert pickup.status == P.COLLECTED


def test_the_code_is_read_whatever_its_case_spaces_and_dashes(outlet, staff, product):
    pickup = place(outlet, (product, 1), status=P.READY, method=PaymentMethod.CARD)

    services.hand_over(pickup, "  abcd efgh ", by=staff)

    assert pickup.status == P.COLLECTED


def test_a_pay_at_pickup_order_is_paid_once_every_pickup_is_collected(staff, product, db):
    other = OutletFactory()
    order = place_split({staff.outlet: [(product, 1)], other: [(ProductFactory(), 1)]},
                        status=P.READY, codes=["AAAA-BBBB", "CCCC-DDDD"])

    first, second = order.pickups
    services.hand_over(first, "AAAA-BBBB", by=staff, collected="cash", amount=first.subtotal)
    assert order.payment_status == PaymentStatus.UNPAID

    services.hand_over(second, "CCCC-DDDD", by=StaffUserFactory(outlet=other), collected="transfer",
                       amount=second.subtotal)
    assert order.payment_status == PaymentStatus.PAID and order.paid_at is not None


def test_a_wrong_code_is_counted_and_changes_nothing_else(outlet, staff, product):
    pickup = place(outlet, (product, 1), status=P.READY)

    with pytest.raises(services.WrongPickupCode):
        services.hand_over(pickup, "ZZZZ-ZZZZ", by=staff)

    fresh = db.session.get(Pickup, pickup.id, populate_existing=True)
    assert fresh.status == P.READY and fresh.code_used_at is None
    assert fresh.failed_code_attempts == 1
    assert len(events_of(pickup, "wrong_pickup_code")) == 1


def test_too_many_wrong_codes_lock_the_hand_over_even_for_the_right_code(app, outlet, staff, product):
    pickup = place(outlet, (product, 1), status=P.READY)
    for _ in range(app.config["PICKUP_CODE_MAX_TRIES"]):
        with pytest.raises(services.WrongPickupCode):
            services.hand_over(pickup, "ZZZZ-ZZZZ", by=staff)

    with pytest.raises(services.CodeLocked):
        services.hand_over(pickup, CODE, by=staff)

    assert pickup.status == P.READY and pickup.code_locked_until > utcnow()


def test_the_lock_lifts_after_its_time(app, outlet, staff, product):
    pickup = place(outlet, (product, 1), status=P.READY, method=PaymentMethod.CARD)
    pickup.code_locked_until = utcnow() - timedelta(seconds=1)
    db.session.commit()

    services.hand_over(pickup, CODE, by=staff)

    assert pickup.status == P.COLLECTED


def test_the_code_of_one_pickup_does_not_open_another(outlet, staff, product):
    order = place_split({outlet: [(product, 1)], OutletFactory(): [(ProductFactory(), 1)]},
                        status=P.READY, codes=["AAAA-BBBB", "CCCC-DDDD"])
    first, second = order.pickups

    with pytest.raises(services.WrongPickupCode):
        services.hand_over(second, "AAAA-BBBB", by=staff)
    assert second.status == P.READY


def test_a_code_hash_is_bound_to_its_pickup(outlet, product):
    first, second = place(outlet, (product, 1)), place(outlet, (product, 1))
    second.code_hash = first.code_hash  # even a copied hash opens nothing else

    assert codes.code_matches(first, CODE)
    assert not codes.code_matches(second, CODE)


def test_a_pickup_not_ready_cannot_be_handed_over(outlet, staff, product):
    pickup = place(outlet, (product, 1), status=P.CONFIRMED)

    with pytest.raises(InvalidTransition):
        services.hand_over(pickup, CODE, by=staff)
    assert pickup.status == P.CONFIRMED


# --- cancellation -----------------------------------------------------------------------------

def test_cancelling_returns_stock_records_the_reason_and_tells_the_shopper(outlet, staff, product):
    pickup = place(outlet, (product, 3))
    assert stock_of(product) == 7

    services.cancel_pickup(pickup, by=staff, reason="Khách gọi huỷ")

    assert stock_of(product) == 10
    assert pickup.status == P.CANCELLED and pickup.cancelled_at is not None
    assert pickup.cancel_reason == "Khách gọi huỷ"
    assert [line.status for line in pickup.lines] == [LineStatus.CANCELLED]
    event = events_of(pickup, "pickup_status")[-1]
    assert (event.actor_id, event.note) == (staff.id, "Khách gọi huỷ")
    assert [m.to_email for m in outbox("pickup_cancelled")] == [pickup.order.email]
    assert db.session.scalars(db.select(Refund)).all() == []  # nothing was paid


def test_cancelling_twice_is_refused_and_returns_stock_once(outlet, staff, product):
    pickup = place(outlet, (product, 3))
    services.cancel_pickup(pickup, by=staff, reason="Hết hàng")

    with pytest.raises(InvalidTransition):
        services.cancel_pickup(pickup, by=staff, reason="Lần hai")

    assert stock_of(product) == 10


def test_cancelling_a_paid_card_pickup_plans_its_refund(outlet, staff, product):
    order = place_split({outlet: [(product, 2)], OutletFactory(): [(ProductFactory(price=50000), 1)]},
                        method=PaymentMethod.CARD)
    order.stripe_payment_intent = "pi_paid_by_card"  # as a paid card order has
    db.session.commit()
    pickup = order.pickups[0]

    services.cancel_pickup(pickup, by=staff, reason="Cơ sở hết hàng")

    [refund] = db.session.scalars(db.select(Refund)).all()
    assert (refund.order_id, refund.pickup_id, refund.amount) == (order.id, pickup.id, 240000)
    assert order.payment_status == PaymentStatus.REFUND_PENDING
    assert order.pickups[1].status == P.CONFIRMED


def test_a_long_cancel_reason_still_plans_the_refund(outlet, staff, product):
    pickup = place(outlet, (product, 1), method=PaymentMethod.CARD)

    services.cancel_pickup(pickup, by=staff, reason="Lý do rất dài " * 30)

    [refund] = db.session.scalars(db.select(Refund)).all()
    assert refund.amount == 120000
    assert pickup.cancel_reason.startswith("Lý do rất dài")


def test_a_shopper_cannot_cancel_a_ready_pickup(outlet, product):
    pickup = place(outlet, (product, 1), status=P.READY)

    with pytest.raises(InvalidTransition):
        services.cancel_pickup(pickup, by=None, reason="đổi ý", by_shopper=True)
    assert pickup.status == P.READY and stock_of(product) == 9


def test_cancelling_an_order_ends_every_open_pickup(staff, product):
    order = place_split({staff.outlet: [(product, 1)], OutletFactory(): [(product, 2)]})

    services.cancel_order(order, by=staff, reason="Khách huỷ")

    assert [p.status for p in order.pickups] == [P.CANCELLED, P.CANCELLED]
    assert stock_of(product) == 10


# --- payment and expiry -----------------------------------------------------------------------

def test_payment_confirms_pickups_and_tells_outlet_staff_and_producers(outlet, staff, db):
    maker = ProducerUserFactory()
    product = ProductFactory(producer=maker.producer)
    pickup = place(outlet, (product, 1), method=PaymentMethod.CARD, status=P.AWAITING_PAYMENT)

    services.mark_paid(pickup.order, by="stripe", payment_intent="pi_123")
    db.session.commit()

    assert pickup.status == P.CONFIRMED and pickup.order.payment_status == PaymentStatus.PAID
    assert [m.to_email for m in outbox("outlet_new_order")] == [staff.email]
    assert maker.email in [m.to_email for m in outbox("producer_new_order")]


def test_no_shows_after_the_window_return_stock_and_refund_card_payments(app, outlet, product):
    old = utcnow() - timedelta(days=app.config["PICKUP_WINDOW_DAYS"] + 1)
    stale = place(outlet, (product, 2), status=P.READY, method=PaymentMethod.CARD, ready_at=old)
    fresh = place(outlet, (product, 1), status=P.READY)

    assert services.expire_no_shows() == 1

    assert stale.status == P.NO_SHOW and fresh.status == P.READY
    assert stock_of(product) == 9
    [refund] = db.session.scalars(db.select(Refund)).all()
    assert (refund.pickup_id, refund.amount) == (stale.id, 240000)


def test_unpaid_card_orders_past_their_deadline_are_cancelled(outlet, product):
    late = place(outlet, (product, 2), method=PaymentMethod.CARD, status=P.AWAITING_PAYMENT,
                 created_at=utcnow() - timedelta(hours=2))
    waiting = place(outlet, (product, 1), method=PaymentMethod.CARD, status=P.AWAITING_PAYMENT)

    assert services.expire_unpaid_orders() == 1

    assert late.status == P.CANCELLED and late.order.payment_status == PaymentStatus.FAILED
    assert waiting.status == P.AWAITING_PAYMENT
    assert stock_of(product) == 9


# --- flask orders expire ----------------------------------------------------------------------

def test_flask_orders_expire_ends_old_ready_pickups_and_leaves_fresh_ones(app, outlet, product):
    window = app.config["PICKUP_WINDOW_DAYS"]
    stale = place(outlet, (product, 2), status=P.READY,
                  ready_at=utcnow() - timedelta(days=window, hours=1))
    fresh = place(outlet, (product, 1), status=P.READY,
                  ready_at=utcnow() - timedelta(days=window - 1))
    unpaid = place(outlet, (product, 3), method=PaymentMethod.CARD, status=P.AWAITING_PAYMENT,
                   created_at=utcnow() - timedelta(hours=1))

    result = app.test_cli_runner().invoke(args=["orders", "expire"])

    assert result.exit_code == 0, result.output
    assert "Cancelled 1 unpaid order(s); marked 1 pickup(s) no-show." in result.output
    statuses = {p.id: db.session.get(Pickup, p.id, populate_existing=True).status
                for p in (stale, fresh, unpaid)}
    assert statuses == {stale.id: P.NO_SHOW, fresh.id: P.READY, unpaid.id: P.CANCELLED}
    assert stock_of(product) == 9


def test_flask_orders_expire_takes_a_shorter_window_when_asked(app, outlet, product):
    pickup = place(outlet, (product, 1), status=P.READY, ready_at=utcnow() - timedelta(days=2))

    result = app.test_cli_runner().invoke(args=["orders", "expire", "--days", "1"])

    assert "marked 1 pickup(s) no-show" in result.output
    assert db.session.get(Pickup, pickup.id, populate_existing=True).status == P.NO_SHOW
