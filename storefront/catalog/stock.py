"""Stock rules, all in one place.

Stock is what the producer has on hand. Placing an order takes it with a guarded
UPDATE (``stock >= n``) so two shoppers can never both get the last unit; a CHECK
constraint on ``product.stock >= 0`` backs this up. Cancelling returns it.
"""
from flask_babel import gettext as _
from sqlalchemy import update

from ..extensions import db
from .models import Product


class OutOfStock(Exception):
    """Fewer units are left than the shopper asked for."""

    def __init__(self, product_id: int, name: str, wanted: int, available: int):
        self.product_id, self.wanted, self.available = product_id, wanted, available
        super().__init__(
            _("Chỉ còn %(available)d sản phẩm “%(name)s”, không đủ %(wanted)d.",
              available=available, name=name, wanted=wanted)
        )


def reserve(product_id: int, quantity: int) -> None:
    """Take ``quantity`` units of a product inside the caller's transaction.

    :raises OutOfStock: when fewer are left; nothing is taken then.
    """
    result = db.session.execute(
        update(Product)
        .where(Product.id == product_id, Product.stock >= quantity)
        .values(stock=Product.stock - quantity)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        product = db.session.get(Product, product_id, populate_existing=True)
        raise OutOfStock(product_id, product.name if product else "?", quantity,
                         product.stock if product else 0)


def release(product_id: int, quantity: int) -> None:
    """Give ``quantity`` units back to a product inside the caller's transaction."""
    db.session.execute(
        update(Product)
        .where(Product.id == product_id)
        .values(stock=Product.stock + quantity)
        .execution_options(synchronize_session=False)
    )
