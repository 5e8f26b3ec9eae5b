"""Stock rules, all in one place.

Stock is what the producer has on hand. A cart line or order line holds at most
``MAX_QUANTITY`` units and never more than is left; a product with nothing left is sold out
(still listed, not orderable). Placing an order takes stock with a guarded UPDATE
(``stock >= n``) so two shoppers can never both get the last unit; a CHECK constraint on
``product.stock >= 0`` backs this up. Cancelling returns it.
"""
from flask_babel import gettext as _
from sqlalchemy import update

from ..extensions import db
from .models import Product

MAX_QUANTITY = 99  # units of one product in one cart or order line


class OutOfStock(Exception):
    """Fewer units are left than the shopper asked for."""

    def __init__(self, product_id: int, name: str, wanted: int, available: int):
        self.product_id, self.wanted, self.available = product_id, wanted, available
        super().__init__(
            _("Chỉ còn %(available)d sản phẩm “%(name)s”, không đủ %(wanted)d.",
              available=available, name=name, wanted=wanted)
        )


def is_sold_out(product: Product, *, seats_left: int | None = None) -> bool:
    """Tell whether nothing of the product is left to sell.

    A dated listing (an experience) sells seats in its sessions, not units: its product's stock
    counts for nothing. Pass ``seats_left``, the seats left in its next session on sale (0 when
    none is), and it is sold out when that is 0.
    """
    if seats_left is not None:
        return seats_left <= 0
    return product.stock <= 0


def orderable_quantity(product: Product) -> int:
    """Return the most units of the product one line may hold: what is left, at most 99."""
    return max(0, min(product.stock, MAX_QUANTITY))


def is_short_of(product: Product, quantity: int) -> bool:
    """Tell whether some units are left, but fewer than ``quantity``."""
    return 0 < product.stock < quantity


def within_line_limit(quantity: int) -> bool:
    """Tell whether one line may hold ``quantity`` units (1 to 99), whatever is left."""
    return 1 <= quantity <= MAX_QUANTITY


def clamp(product: Product, wanted: int) -> tuple[int, str | None]:
    """Return the quantity a line can hold, with a message when it is less than ``wanted``."""
    limit = orderable_quantity(product)
    if wanted <= limit:
        return wanted, None
    if limit == product.stock:
        return limit, _("Chỉ còn %(n)d sản phẩm “%(name)s”; số lượng trong giỏ đã được điều "
                        "chỉnh thành %(n)d.", n=limit, name=product.name)
    return limit, _("Mỗi sản phẩm chỉ mua tối đa %(n)d; số lượng trong giỏ đã được điều "
                    "chỉnh thành %(n)d.", n=limit)


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
