"""Card orders for the payment tests: placed as placement leaves them, with a Stripe session."""
from storefront.extensions import db
from storefront.orders.models import OrderEvent, PaymentMethod, PickupStatus
from storefront.payments.gateway import create_checkout_session
from tests.support.factories import OutletFactory, ProductFactory
from tests.support.order_builder import place_split


def card_order(quantity: int = 2, price: int = 150000, locale: str = "vi", outlets: int = 1):
    """Place a card order awaiting payment (one product per outlet); return it and its products."""
    items = {}
    products = []
    for _ in range(outlets):
        outlet = OutletFactory(opening_hours="8:00–17:00")
        product = ProductFactory(price=price, stock=10, outlets=[outlet])
        items[outlet] = [(product, quantity)]
        products.append(product)
    order = place_split(items, method=PaymentMethod.CARD, status=PickupStatus.AWAITING_PAYMENT)
    order.locale = locale
    db.session.commit()
    return order, products


def card_order_with_session(**options):
    """Place a card order and open its Checkout Session at the (fake) Stripe."""
    order, products = card_order(**options)
    create_checkout_session(order)
    return order, products


def paid_card_order(stripe_server, **options):
    """A card order (two pickups of 2 × 150.000 ₫ unless told) that Stripe says is paid, as the
    webhook or the reconciler confirms it."""
    from storefront.payments import services as payments
    from storefront.unit_of_work import transaction
    order, _ = card_order_with_session(**({"quantity": 2, "price": 150000, "outlets": 2} | options))
    session = stripe_server.complete(order.stripe_session_id)
    with transaction():
        assert payments.apply_paid(payments.lock_order(order.id), session) == "confirmed"
    return reload(order)


def reload(instance):
    """Read a row again as the database has it now."""
    db.session.expire_all()
    return db.session.get(type(instance), instance.id)


def events_of(order, kind: str) -> list[OrderEvent]:
    return db.session.scalars(
        db.select(OrderEvent).where(OrderEvent.order_id == order.id, OrderEvent.kind == kind)
    ).all()
