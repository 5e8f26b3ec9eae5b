"""The cart: what a shopper means to buy, and what changed since they chose it.

A guest's cart is a plain dict the web layer keeps in the session
(``{product_id: {"q": quantity, "p": price_seen}}``); a signed-in shopper's is ``CartItem``
rows. Both sit behind the same small interface, so every rule here holds for both.
Nothing in a cart is ever changed silently: a price change, a product no longer listed
or stock below the quantity is *flagged*, and checkout waits until the shopper resolves it.
"""
from dataclasses import dataclass
from functools import cached_property

from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from sqlalchemy.orm import selectinload

from ..catalog import stock
from ..catalog.models import Product
from ..extensions import db
from ..unit_of_work import transaction
from ..i18n import format_vnd
from .models import CartItem

MAX_LINES = 50  # keeps a guest's cart well inside the session cookie


class CartError(Exception):
    """A cart action that cannot be done; the message is for the shopper."""


class NotForSale(CartError):
    """The product does not exist or is not listed (or, for a line, is not in the cart).

    Not ``orders.placement.NotForSale``, which refuses an order at placement.
    """


class SoldOut(CartError):
    """No unit of the product is left."""


class InvalidQuantity(CartError):
    """The quantity is not a whole number of at least 1."""


class CartFull(CartError):
    """The cart already holds ``MAX_LINES`` different products."""


class CartNeedsAttention(CartError):
    """Some lines changed since they were added; checkout waits until they are resolved."""


# --- storage ------------------------------------------------------------------------------------

class GuestCart:
    """A guest's cart over a plain dict owned by the caller (the web layer keeps it in the session)."""

    def __init__(self, data: dict | None = None):
        self.data = {}
        for key, value in (data or {}).items():
            try:
                pid, qty, seen = int(key), int(value["q"]), int(value["p"])
            except (TypeError, ValueError, KeyError):
                continue  # a malformed entry is dropped, never trusted
            if qty > 0:
                self.data[str(pid)] = {"q": qty, "p": seen}

    def entries(self) -> dict[int, tuple[int, int]]:
        return {int(pid): (v["q"], v["p"]) for pid, v in self.data.items()}

    def put(self, product_id: int, quantity: int, price_seen: int) -> None:
        self.data[str(product_id)] = {"q": quantity, "p": price_seen}

    def drop(self, product_id: int) -> None:
        self.data.pop(str(product_id), None)

    def clear(self) -> None:
        self.data.clear()


class AccountCart:
    """A signed-in shopper's cart, kept in ``CartItem`` rows."""

    def __init__(self, user):
        self.user = user

    def _items(self) -> dict[int, CartItem]:
        rows = db.session.scalars(select(CartItem).where(CartItem.user_id == self.user.id))
        return {row.product_id: row for row in rows}

    def entries(self) -> dict[int, tuple[int, int]]:
        return {pid: (row.quantity, row.price_seen) for pid, row in self._items().items()}

    def put(self, product_id: int, quantity: int, price_seen: int) -> None:
        row = self._items().get(product_id)
        if row is None:
            db.session.add(CartItem(user_id=self.user.id, product_id=product_id,
                                    quantity=quantity, price_seen=price_seen))
        else:
            row.quantity, row.price_seen = quantity, price_seen

    def drop(self, product_id: int) -> None:
        db.session.execute(delete(CartItem).where(CartItem.user_id == self.user.id,
                                                  CartItem.product_id == product_id))

    def clear(self) -> None:
        db.session.execute(delete(CartItem).where(CartItem.user_id == self.user.id))


# --- reading ------------------------------------------------------------------------------------

@dataclass
class CartLine:
    """One product in the cart, with what changed since the shopper added it."""

    product: Product
    quantity: int
    price_seen: int

    @property
    def product_id(self) -> int:
        return self.product.id

    @property
    def amount(self) -> int:
        return self.quantity * self.product.price

    @property
    def max_quantity(self) -> int:
        return stock.orderable_quantity(self.product)

    @cached_property
    def listed(self) -> bool:
        return self.product.is_listed()

    @property
    def price_changed(self) -> bool:
        return self.price_seen != self.product.price

    @property
    def sold_out(self) -> bool:
        return stock.is_sold_out(self.product)

    @property
    def over_stock(self) -> bool:
        return stock.is_short_of(self.product, self.quantity)

    @property
    def not_carried(self) -> bool:
        return not any(outlet.active for outlet in self.product.outlets)

    @property
    def issues(self) -> list[str]:
        """Return what the shopper must resolve before checkout, in their language."""
        found = []
        if not self.listed:
            found.append(_("Sản phẩm này không còn được bán. Vui lòng xoá khỏi giỏ hàng."))
        elif self.sold_out:
            found.append(_("Sản phẩm đã hết hàng. Vui lòng xoá khỏi giỏ hàng."))
        elif self.over_stock:
            found.append(_("Chỉ còn %(n)d sản phẩm, ít hơn số lượng bạn chọn.", n=self.product.stock))
        if self.listed and self.price_changed:
            found.append(_("Giá đã thay đổi từ %(old)s thành %(new)s.",
                           old=format_vnd(self.price_seen), new=format_vnd(self.product.price)))
        if self.listed and self.not_carried:
            found.append(_("Hiện không có điểm bán nào nhận sản phẩm này. Vui lòng xoá khỏi giỏ hàng."))
        return found


def lines(cart) -> list[CartLine]:
    """Return the cart's lines by product id, dropping products that no longer exist."""
    entries = cart.entries()
    if not entries:
        return []
    products = db.session.scalars(
        select(Product).where(Product.id.in_(entries)).order_by(Product.id)
        .options(selectinload(Product.producer), selectinload(Product.certificates),
                 selectinload(Product.outlets), selectinload(Product.photos))
    ).all()
    found = {p.id for p in products}
    for gone in set(entries) - found:
        cart.drop(gone)
    return [CartLine(p, *entries[p.id]) for p in products]


def total(cart_lines: list[CartLine]) -> int:
    return sum(line.amount for line in cart_lines)


def count(cart) -> int:
    """Return how many units the cart holds."""
    if isinstance(cart, AccountCart):
        query = select(func.coalesce(func.sum(CartItem.quantity), 0))
        return db.session.scalar(query.where(CartItem.user_id == cart.user.id))
    return sum(qty for qty, _seen in cart.entries().values())


def ensure_ready(cart_lines: list[CartLine]) -> None:
    """Let checkout go on only with a non-empty cart and no unresolved change.

    :raises CartNeedsAttention: the cart is empty or a line is flagged.
    """
    if not cart_lines:
        raise CartNeedsAttention(_("Giỏ hàng của bạn đang trống."))
    if any(line.issues for line in cart_lines):
        raise CartNeedsAttention(_("Một số sản phẩm trong giỏ đã thay đổi. "
                                   "Vui lòng xem lại trước khi đặt hàng."))


# --- changing -----------------------------------------------------------------------------------

@dataclass
class Changed:
    """What a cart change did: the product, the quantity now in the cart, and any adjustment."""

    product: Product
    quantity: int
    notice: str | None = None


def _parse_quantity(raw) -> int:
    """Return ``raw`` as a whole number of at least 1.

    :raises InvalidQuantity: anything else.
    """
    try:
        quantity = int(str(raw).strip())
    except (TypeError, ValueError):
        raise InvalidQuantity(_("Số lượng phải là một số nguyên từ 1 trở lên.")) from None
    if quantity < 1:
        raise InvalidQuantity(_("Số lượng phải là một số nguyên từ 1 trở lên."))
    return quantity


def _orderable(product_id) -> Product:
    """Return a listed product with stock.

    :raises NotForSale: unknown or not listed.
    :raises SoldOut: no stock left.
    """
    try:
        product = db.session.get(Product, int(product_id))
    except (TypeError, ValueError):
        product = None
    if product is None or not product.is_listed():
        raise NotForSale(_("Sản phẩm này hiện không được bán."))
    if stock.is_sold_out(product):
        raise SoldOut(_("Sản phẩm “%(name)s” đã hết hàng.", name=product.name))
    return product


def add(cart, product_id, quantity) -> Changed:
    """Add units of a listed product, clamped to what is left (at most 99 a line).

    :raises InvalidQuantity, NotForSale, SoldOut, CartFull: nothing is added then.
    """
    wanted = _parse_quantity(quantity)
    product = _orderable(product_id)
    entries = cart.entries()
    if product.id not in entries and len(entries) >= MAX_LINES:
        raise CartFull(_("Giỏ hàng chỉ chứa tối đa %(n)d sản phẩm khác nhau.", n=MAX_LINES))
    have, _seen = entries.get(product.id, (0, product.price))
    new, notice = stock.clamp(product, have + wanted)
    # The price the shopper sees now is the one they accept by adding again.
    with transaction():
        cart.put(product.id, new, product.price)
    return Changed(product, new, notice)


def update(cart, product_id, quantity) -> Changed:
    """Set a line's quantity, clamped to what is left; the price seen is kept.

    :raises InvalidQuantity, NotForSale, SoldOut: nothing changes then.
    """
    wanted = _parse_quantity(quantity)
    entries = cart.entries()
    pid = _known_line(entries, product_id)
    product = _orderable(pid)
    new, notice = stock.clamp(product, wanted)
    with transaction():
        cart.put(pid, new, entries[pid][1])
    return Changed(product, new, notice)


def remove(cart, product_id) -> None:
    """Take a product out of the cart (whatever its state)."""
    try:
        pid = int(product_id)
    except (TypeError, ValueError):
        return
    with transaction():
        cart.drop(pid)


def accept_price(cart, product_id) -> Changed:
    """Accept a line's current price, so it stops being flagged.

    :raises NotForSale: not in the cart, unknown or no longer listed.
    """
    entries = cart.entries()
    pid = _known_line(entries, product_id)
    product = db.session.get(Product, pid)
    if product is None or not product.is_listed():
        raise NotForSale(_("Sản phẩm này hiện không được bán."))
    with transaction():
        cart.put(pid, entries[pid][0], product.price)
    return Changed(product, entries[pid][0])


def _known_line(entries: dict, product_id) -> int:
    try:
        pid = int(product_id)
    except (TypeError, ValueError):
        pid = None
    if pid not in entries:
        raise NotForSale(_("Sản phẩm này không có trong giỏ hàng."))
    return pid


def clear(cart) -> None:
    with transaction():
        cart.clear()


def merge_guest_cart(data: dict | None, user) -> None:
    """Fold a guest's cart into the shopper's account cart at sign-in.

    Quantities of the same product add up, capped by stock (and 99); a product with no
    stock left adds nothing; the guest's price seen wins, being the most recent.
    """
    guest = GuestCart(data)
    account = AccountCart(user)
    with transaction():
        mine = account.entries()
        for pid, (qty, seen) in sorted(guest.entries().items()):
            product = db.session.get(Product, pid)
            if product is None:
                continue
            have = mine.get(pid, (0, seen))[0]
            new = min(have + qty, stock.orderable_quantity(product))
            if new <= 0:
                continue
            if pid in mine or len(mine) < MAX_LINES:
                account.put(pid, new, seen)
                mine[pid] = (new, seen)
