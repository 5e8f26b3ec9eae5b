"""Build orders straight from the models, as placement leaves them (stock already taken)."""
import itertools
from datetime import timedelta

from storefront.extensions import db
from storefront.orders.codes import hash_access_token, hash_pickup_code
from storefront.orders.models import (
    LineStatus, Order, OrderLine, PaymentMethod, PaymentStatus, Pickup, PickupStatus,
)
from storefront.timeutil import utcnow

CODE = "ABCD-EFGH"
_tokens = itertools.count(1)


def place(outlet, *items, **options) -> Pickup:
    """Place a one-pickup order at ``outlet`` for ``(product, quantity)`` items; return the pickup."""
    return place_split({outlet: list(items)}, **options).pickups[0]


def place_split(items_by_outlet: dict, *, method=PaymentMethod.AT_PICKUP,
                status=PickupStatus.CONFIRMED, payment_status=None, codes=None,
                created_at=None, ready_at=None, collected_at=None, email="khach@example.com") -> Order:
    """Place one order split into a pickup per outlet; ``codes`` gives each pickup's code in order."""
    created_at = created_at or utcnow()
    order = Order(name="Nguyễn Thị Khách", phone="0987654321", email=email, locale="vi",
                  payment_method=method, payment_status=payment_status or _payment(method, status),
                  total=0, access_token_hash=hash_access_token("token"),
                  checkout_token=f"checkout-{next(_tokens)}", created_at=created_at)
    if method == PaymentMethod.CARD:
        order.payment_deadline = created_at + timedelta(minutes=30)
    for outlet, items in items_by_outlet.items():
        order.pickups.append(_pickup(outlet, items, status, created_at, ready_at, collected_at))
    order.total = sum(p.subtotal for p in order.pickups)
    db.session.add(order)
    db.session.flush()
    order.number = f"OC-{created_at.year}-{order.id:06d}"
    for pickup, code in zip(order.pickups, codes or [CODE] * len(order.pickups)):
        pickup.code_hash = hash_pickup_code(pickup.id, code)
    db.session.commit()
    return order


def _payment(method, status) -> str:
    if method == PaymentMethod.AT_PICKUP:
        return PaymentStatus.UNPAID
    return PaymentStatus.PENDING if status == PickupStatus.AWAITING_PAYMENT else PaymentStatus.PAID


def _pickup(outlet, items, status, created_at, ready_at, collected_at) -> Pickup:
    received = status in (PickupStatus.READY, PickupStatus.COLLECTED)
    pickup = Pickup(outlet=outlet, status=status, code_hash="-", subtotal=0, created_at=created_at,
                    confirmed_at=None if status == PickupStatus.AWAITING_PAYMENT else created_at,
                    ready_at=(ready_at or created_at) if received else None,
                    collected_at=(collected_at or created_at) if status == PickupStatus.COLLECTED
                    else None)
    for product, quantity in items:
        product.stock -= quantity  # what placement's reservation leaves behind
        pickup.lines.append(OrderLine(
            product=product, producer=product.producer, product_name=product.name_vi,
            unit=product.unit_vi, quantity=quantity, unit_price=product.price,
            status=LineStatus.RECEIVED if received else LineStatus.AWAITING_DROPOFF))
    pickup.subtotal = sum(line.amount for line in pickup.lines)
    return pickup
