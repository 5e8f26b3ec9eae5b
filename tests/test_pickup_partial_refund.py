"""A partial hand-over of a card order, with the real stripe library against the local stand-in:
only the missing items are refunded, once, and the stock and money books balance."""
import pytest

from storefront.catalog.models import Product
from storefront.extensions import db
from storefront.orders import services as orders
from storefront.orders.models import PaymentMethod, PaymentStatus, PickupStatus
from storefront.payments import services as payments
from storefront.payments.models import Refund, RefundStatus
from storefront.payments.gateway import create_checkout_session
from storefront.pickup import services
from storefront.unit_of_work import transaction
from tests.support.factories import OutletFactory, ProductFactory, StaffUserFactory
from tests.support.order_builder import CODE, place_split
from tests.support.payment_support import reload
from tests.support.stripe_server import stripe_app, stripe_server  # noqa: F401

REFUNDS = "/v1/refunds"


def test_a_partial_hand_over_refunds_exactly_the_missing_items_through_stripe(stripe_app,
                                                                              stripe_server):
    outlet = OutletFactory()
    staff = StaffUserFactory(outlet=outlet)
    tea = ProductFactory(price=120_000, stock=10, outlets=[outlet])
    cup = ProductFactory(price=45_000, stock=10, outlets=[outlet])
    order = place_split({outlet: [(tea, 2), (cup, 3)]}, method=PaymentMethod.CARD,
                        status=PickupStatus.AWAITING_PAYMENT)
    create_checkout_session(order)
    session = stripe_server.complete(order.stripe_session_id)
    with transaction():
        assert payments.apply_paid(payments.lock_order(order.id), session) == "confirmed"
    order = reload(order)
    pickup = order.pickups[0]
    orders.receive_line(pickup.lines[0], by=staff)  # the tea came; the cups did not

    assert services.hand_over_partially(pickup, CODE, by=staff) == 135_000
    with pytest.raises(orders.InvalidTransition):  # a second try changes and refunds nothing
        services.hand_over_partially(reload(pickup), CODE, by=staff)

    sent = stripe_server.requests_to(REFUNDS)
    assert [(r.params["amount"], r.idempotency_key) for r in sent] == [
        ("135000", f"pickup-{pickup.id}-partial")]
    order = reload(order)
    (refund,) = db.session.scalars(db.select(Refund).where(Refund.order_id == order.id)).all()
    assert refund.status == RefundStatus.SUCCEEDED
    assert order.payment_status == PaymentStatus.PARTIALLY_REFUNDED
    assert order.total == services.collected_amount(order.pickups[0]) + refund.amount
    stock = {p.id: db.session.get(Product, p.id).stock for p in (tea, cup)}
    assert stock == {tea.id: 8, cup.id: 10}
    assert order.pickups[0].status == PickupStatus.COLLECTED and order.pickups[0].partial
