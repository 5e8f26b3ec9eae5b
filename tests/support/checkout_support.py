"""Shared builders for the cart, checkout and order-page tests: a small shop and direct placement."""
from dataclasses import dataclass

from storefront.checkout.services import new_checkout_token
from storefront.extensions import db
from storefront.models import CartItem, Product
from storefront.orders.placement import Contact, place_order
from tests.support.factories import OutletFactory, ProductFactory

CONTACT = Contact(name="Nguyễn Văn Khách", phone="0912345678", email="khach@example.com")


@dataclass
class Line:
    """A cart line as placement reads it."""

    product_id: int
    quantity: int
    price_seen: int


def line(product, quantity=1, price_seen=None) -> Line:
    return Line(product.id, quantity, product.price if price_seen is None else price_seen)


def place(*items, outlet, method="at_pickup", user=None, token=None, contact=CONTACT):
    """Place ``(product, quantity)`` items at one outlet straight through ``place_order``."""
    lines = [line(product, quantity) for product, quantity in items]
    return place_order(lines, contact, {l.product_id: outlet.id for l in lines}, method,
                       token or new_checkout_token(), user=user)


def stock_of(product) -> int:
    return db.session.get(Product, product.id, populate_existing=True).stock


def cart_rows(user) -> dict[int, int]:
    rows = db.session.scalars(db.select(CartItem).where(CartItem.user_id == user.id))
    return {row.product_id: row.quantity for row in rows}


@dataclass
class Shop:
    """Three outlets; ``vase`` and ``cup`` at both A and B, ``tea`` only at C."""

    a: object
    b: object
    c: object
    vase: object
    cup: object
    tea: object


def make_shop() -> Shop:
    a, b, c = OutletFactory(name="Điểm A"), OutletFactory(name="Điểm B"), OutletFactory(name="Điểm C")
    vase = ProductFactory(name_vi="Bình gốm", price=150_000, stock=5, outlets=[a, b])
    cup = ProductFactory(name_vi="Chén gốm", price=40_000, stock=10, outlets=[a, b])
    tea = ProductFactory(name_vi="Trà sen", price=90_000, stock=3, outlets=[c])
    return Shop(a, b, c, vase, cup, tea)
