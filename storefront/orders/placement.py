"""Placing an order: one unit of work that re-checks the cart, takes the stock and writes the order.

Every amount comes from the database here, never from a form: the cart gives only product
ids, quantities and the price the shopper saw, and a changed price stops the placement.
"""
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..catalog import stock
from ..catalog.models import Outlet, Product
from ..catalog.stock import OutOfStock
from . import routing
from ..unit_of_work import TransactionConflict, retrying
from ..extensions import db
from ..i18n import format_vnd
from ..legal import policies
from ..notifications import services as notify
from ..timeutil import as_day, local_today, utcnow
from . import codes, hooks, payment
from .models import Order, OrderLine, PaymentMethod, PaymentStatus, Pickup, PickupStatus
from .transitions import record

__all__ = ["place_order", "Contact", "PlacedOrder", "PlacementError", "EmptyCart",
           "ProductUnavailable", "PriceChanged", "PickupNotPossible", "PickupDayUnavailable",
           "PaymentMethodUnavailable", "CheckoutBusy", "BookingUnavailable",
           "AlreadyPlaced", "OutOfStock", "card_available"]


class PlacementError(Exception):
    """The order cannot be placed as asked; the message is for the shopper."""


class EmptyCart(PlacementError):
    """There is nothing to order."""


class ProductUnavailable(PlacementError):
    """A product is no longer listed."""


class PriceChanged(PlacementError):
    """A price differs from the one the shopper saw."""


class PickupNotPossible(PlacementError):
    """An item is sent to an outlet that does not (or no longer) carry it."""


class PickupDayUnavailable(PlacementError):
    """The chosen pickup day is no longer offered (closed, full, or before the ready day)."""


class PaymentMethodUnavailable(PlacementError):
    """Card payment is not offered for this order."""


class BookingUnavailable(PlacementError):
    """A booking's session is full, off sale or past its cut-off, or a ticket price changed."""


class CheckoutBusy(PlacementError):
    """The database kept refusing the placement in favour of others placed at the same moment."""


class AlreadyPlaced(PlacementError):
    """This checkout was already placed (a double submit): ``order`` is the one it made."""

    def __init__(self, order: Order):
        self.order = order
        super().__init__(_("Đơn hàng này đã được đặt."))


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str
    email: str


@dataclass
class PlacedOrder:
    """The order, plus the secrets that exist in plain only now: the access token and codes."""

    order: Order
    access_token: str
    codes: dict[int, str]  # pickup id -> pickup code
    tickets: dict[int, str] | None = None  # booking id -> ticket code


def card_available(total: int) -> bool:
    """Tell whether card payment is offered: Stripe is configured and the total is large enough."""
    config = current_app.config
    # The webhook secret too: without it a card payment could never be confirmed.
    configured = config.get("STRIPE_SECRET_KEY") and config.get("STRIPE_WEBHOOK_SECRET")
    return bool(configured) and total >= config["STRIPE_MIN_AMOUNT"]


def order_for_checkout_token(checkout_token: str) -> Order | None:
    return db.session.scalar(select(Order).where(Order.checkout_token == checkout_token))


def place_order(cart_lines: Iterable, contact: Contact, assignment: Mapping, payment_method: str,
                checkout_token: str, user=None, locale: str = "vi", *,
                access_token: str | None = None, pickup_days: Mapping | None = None,
                agreed_versions: Iterable[int] = (), booking_lines: Iterable = ()) -> PlacedOrder:
    """Place the cart as one order in one transaction, reserving its stock.

    ``cart_lines`` give ``product_id``, ``quantity`` and ``price_seen``; ``assignment`` maps each
    product id to its pickup outlet id. ``access_token`` may be chosen by the caller (so a
    double submit can find its order's token again); a fresh one is made otherwise.
    ``pickup_days`` maps an outlet id to the day chosen there; without one, the earliest ready day.
    ``agreed_versions``: the ids of the policy versions the shopper ticked ``accept_terms`` for,
    kept with the order and the time it was placed (checkout refuses to place without the tick).
    ``booking_lines`` give ``session_id``, ``person_type_id``, ``quantity`` and ``price_seen``
    (``bookings.cart.tickets``): one booking per session, its seats taken with the goods' stock.

    The placement runs again from the start when PostgreSQL aborts it as a deadlock or
    serialization failure (``unit_of_work.retrying``).

    :raises AlreadyPlaced: an order with this ``checkout_token`` exists.
    :raises EmptyCart, ProductUnavailable, PriceChanged, PickupNotPossible, PickupDayUnavailable,
        PaymentMethodUnavailable, BookingUnavailable, OutOfStock, CheckoutBusy: nothing is
        written then.
    """
    existing = order_for_checkout_token(checkout_token)
    if existing is not None:
        raise AlreadyPlaced(existing)
    try:
        booked = hooks.bookings.wanted_of(booking_lines)
    except hooks.bookings.BookingRefused as error:
        raise BookingUnavailable(str(error)) from None
    wanted, assignment = _wanted(cart_lines, bool(booked)), _clean(assignment)
    access_token = access_token or codes.new_access_token()
    try:
        return retrying(lambda: _place(wanted, contact, assignment, payment_method, checkout_token,
                                       user, locale, access_token, pickup_days or {},
                                       tuple(agreed_versions), booked))
    except (hooks.bookings.BookingRefused, hooks.bookings.SessionFull) as error:
        raise BookingUnavailable(str(error)) from None
    except TransactionConflict as error:
        raise CheckoutBusy(_("Rất nhiều người đang đặt hàng cùng lúc nên đơn của bạn chưa được "
                             "đặt. Vui lòng đặt lại sau giây lát.")) from error
    except IntegrityError:
        # Two submits of one checkout raced: the other one's order holds the unique token.
        existing = order_for_checkout_token(checkout_token)
        if existing is None:
            raise
        raise AlreadyPlaced(existing) from None


def _wanted(cart_lines: Iterable, bookings: bool = False) -> dict[int, tuple[int, int]]:
    """Return {product id: (quantity, price seen)} from the cart lines."""
    wanted = {}
    for line in cart_lines:
        if not stock.within_line_limit(int(line.quantity)):
            raise PlacementError(_("Số lượng phải từ 1 đến %(n)d.", n=stock.MAX_QUANTITY))
        wanted[int(line.product_id)] = (int(line.quantity), int(line.price_seen))
    if not wanted and not bookings:
        raise EmptyCart(_("Giỏ hàng của bạn đang trống."))
    return wanted


def _clean(assignment: Mapping) -> dict[int, int]:
    try:
        return {int(pid): int(oid) for pid, oid in assignment.items()}
    except (TypeError, ValueError, AttributeError):
        raise PickupNotPossible(_("Vui lòng chọn lại điểm nhận hàng.")) from None


def _place(wanted, contact, assignment, payment_method, checkout_token, user, locale,
           access_token, pickup_days, agreed_versions=(), booked=None) -> PlacedOrder:
    booked, now = booked or {}, utcnow()
    products = _lock_products(sorted(wanted))
    _check_products(products, wanted)
    _check_assignment(assignment, products)
    # Sessions are locked after the products and before the outlets, each kind by id, so every
    # placement takes its locks in one order and none waits for another in a circle; and before
    # the bookings are written, whose foreign keys take key-share locks on their sessions.
    sessions = hooks.bookings.lock_sessions(sorted(booked))
    booked_total = hooks.bookings.check(sessions, booked, now)
    method = _payment_method(payment_method,
                             sum(p.price * wanted[p.id][0] for p in products) + booked_total)
    order = _new_order(products, wanted, contact, method, checkout_token, user, locale,
                       access_token, now)
    order.total += booked_total
    # Stock in product-id order, the same order the rows were locked in above; and before
    # queueing at the outlets, so a basket that finds a product sold out never waits there.
    for product in products:
        stock.reserve(product.id, wanted[product.id][0])
    # Seats likewise, in session-id order, with one guarded UPDATE each (``bookings.seats.take``).
    hooks.bookings.add_bookings(order, sessions, booked, now=now,
                                 confirmed=method == PaymentMethod.AT_PICKUP)
    outlets = _lock_outlets(sorted({assignment[p.id] for p in products}))
    _add_pickups(order, products, wanted, assignment, outlets, method, now)
    _set_pickup_days(order, pickup_days, now)
    db.session.flush()
    pickup_codes = _set_codes(order)
    ticket_codes = hooks.bookings.set_codes(order)
    policies.record_agreement(order, agreed_versions, now)
    record(order, "placed", user or "guest", note=method.value)
    notify.order_placed(order, access_token)
    if method == PaymentMethod.AT_PICKUP:
        notify.new_order(order)  # card orders tell outlets once they are paid
        for booking in order.bookings:  # paid at the venue: the ticket holds from now
            hooks.bookings.send_ticket(booking)
    return PlacedOrder(order, access_token, pickup_codes, ticket_codes)


def _lock_products(product_ids: list[int]) -> list[Product]:
    """Load the products, locking their rows by id.

    Locked in product-id order so that concurrent placements can't deadlock: every placement
    takes its locks in the same order. FOR NO KEY UPDATE (``key_share``) is enough to make two
    placements of one product take turns, and leaves alone the key-share locks that rows
    referring to the product (cart lines, order lines) take, which FOR UPDATE would wait for.
    (SQLite has no row locks: there the guarded UPDATE in ``stock.reserve`` and SQLite's single
    writer keep stock right.)
    """
    query = (select(Product).where(Product.id.in_(product_ids)).order_by(Product.id)
             .with_for_update(of=Product, key_share=True)
             .options(selectinload(Product.producer), selectinload(Product.certificates),
                      selectinload(Product.outlets))
             .execution_options(populate_existing=True))
    products = db.session.scalars(query).all()
    if len(products) != len(product_ids):
        raise ProductUnavailable(_("Một sản phẩm trong giỏ không còn tồn tại. "
                                   "Vui lòng xem lại giỏ hàng."))
    return products


def _check_products(products: list[Product], wanted) -> None:
    today = local_today()
    for product in products:
        if not product.is_listed(today):
            raise ProductUnavailable(_("Sản phẩm “%(name)s” không còn được bán. "
                                       "Vui lòng xoá khỏi giỏ hàng.", name=product.name))
        seen = wanted[product.id][1]
        if product.price != seen:
            raise PriceChanged(_("Giá của “%(name)s” đã thay đổi từ %(old)s thành %(new)s. "
                                 "Vui lòng xem lại giỏ hàng.", name=product.name,
                                 old=format_vnd(seen), new=format_vnd(product.price)))


def _check_assignment(assignment: dict[int, int], products: list[Product]) -> None:
    """Check that each chosen outlet still carries its items.

    :raises PickupNotPossible: one does not.
    """
    carriers = {p.id: {o.id for o in p.outlets if o.active} for p in products}
    try:
        routing.check(assignment, carriers)
    except routing.RoutingError as error:
        names = ", ".join(p.name for p in products if p.id in error.product_ids)
        raise PickupNotPossible(_("Không thể nhận “%(names)s” tại điểm bán đã chọn. "
                                  "Vui lòng chọn lại điểm nhận hàng.", names=names)) from None


def _lock_outlets(outlet_ids: list[int]) -> dict[int, Outlet]:
    """Load the pickup outlets by id, locking their rows, before any pickup row is written.

    An outlet's row guards its pickups-per-day limit: two placements at one outlet take turns
    counting its bookings, so both cannot take a day's last place. The rows are locked in id
    order, after the products (also in id order), so every placement takes its locks in one
    order and none can wait for another in a circle; and before the new pickups are written,
    whose foreign keys take a key-share lock on their outlet. FOR NO KEY UPDATE (``key_share``)
    is the weakest lock that makes placements take turns; unlike FOR UPDATE it does not wait for
    those key-share locks, which is how two placements used to deadlock at one outlet. (SQLite
    has no row locks: its single writer makes placements take turns.)
    """
    query = (select(Outlet).where(Outlet.id.in_(outlet_ids)).order_by(Outlet.id)
             .with_for_update(key_share=True).execution_options(populate_existing=True))
    return {outlet.id: outlet for outlet in db.session.scalars(query)}


def _payment_method(raw: str, total: int) -> PaymentMethod:
    try:
        method = PaymentMethod(raw)
    except ValueError:
        raise PaymentMethodUnavailable(_("Vui lòng chọn phương thức thanh toán.")) from None
    if method == PaymentMethod.CARD and not card_available(total):
        raise PaymentMethodUnavailable(_("Thanh toán thẻ không áp dụng cho đơn hàng này."))
    if method == PaymentMethod.VIETQR and not hooks.transfer_available():
        raise PaymentMethodUnavailable(_("Chuyển khoản ngân hàng hiện chưa được bật."))
    return method


def _new_order(products, wanted, contact, method, checkout_token, user, locale, access_token,
               now) -> Order:
    waits = method in (PaymentMethod.CARD, PaymentMethod.VIETQR)  # paid before it is confirmed
    window = timedelta(minutes=current_app.config[
        "TRANSFER_PAYMENT_MINUTES" if method == PaymentMethod.VIETQR else "PAYMENT_WINDOW_MINUTES"])
    order = Order(
        user_id=user.id if user is not None else None, name=contact.name, phone=contact.phone,
        email=contact.email, locale=locale, payment_method=method,
        payment_status=payment.opening_status(method),
        total=sum(p.price * wanted[p.id][0] for p in products), currency="vnd",
        access_token_hash=codes.hash_access_token(access_token), checkout_token=checkout_token,
        payment_deadline=now + window if waits else None, created_at=now,
    )
    db.session.add(order)
    db.session.flush()  # a second submit of this checkout fails here, before any stock moves
    order.number = f"OC-{local_today().year}-{order.id:06d}"
    if method != PaymentMethod.CARD:  # pay-at-pickup orders may pay by VietQR at the counter
        order.payment_code = codes.new_payment_code()
    return order


def _add_pickups(order, products, wanted, assignment, outlets, method, now) -> None:
    confirmed = method == PaymentMethod.AT_PICKUP
    for outlet_id in sorted(set(assignment.values())):
        mine = [p for p in products if assignment[p.id] == outlet_id]
        pickup = Pickup(
            order=order, outlet=outlets[outlet_id], code_hash="",
            status=PickupStatus.CONFIRMED if confirmed else PickupStatus.AWAITING_PAYMENT,
            confirmed_at=now if confirmed else None, created_at=now,
            subtotal=sum(p.price * wanted[p.id][0] for p in mine),
        )
        for product in mine:
            pickup.lines.append(OrderLine(
                product=product, producer=product.producer, product_name=product.name_vi,
                unit=product.unit_vi, quantity=wanted[product.id][0], unit_price=product.price,
                stars=_stars_of(product),
            ))
        db.session.add(pickup)


def _stars_of(product) -> int | None:
    """Return the OCOP stars the product was sold under (kept on the line for the reports)."""
    certificate = product.current_certificate()
    return certificate.stars if certificate is not None else None


def _set_pickup_days(order: Order, chosen: Mapping, now) -> None:
    """Give each pickup the day chosen for its outlet, or its earliest ready day.

    The outlets were locked by ``_lock_outlets``, so the bookings counted here stay true until
    the commit.

    :raises PickupDayUnavailable: a chosen day is not (or no longer) offered.
    """
    for pickup in order.pickups:
        choices = hooks.pickup_days(pickup.outlet, [l.product for l in pickup.lines], now)
        wanted = as_day(chosen.get(pickup.outlet.id, chosen.get(str(pickup.outlet.id))))
        if not choices or (wanted is not None and wanted not in choices):
            raise PickupDayUnavailable(_(
                "Ngày nhận hàng đã chọn tại %(outlet)s không còn nhận đơn (điểm bán nghỉ hoặc đã "
                "đủ lượt). Vui lòng chọn ngày khác.", outlet=pickup.outlet.display_name))
        pickup.pickup_day = wanted or choices[0]


def _set_codes(order: Order) -> dict[int, str]:
    """Give each pickup its code (``codes.pickup_code_of``); only its hash is stored."""
    found = {}
    for pickup in order.pickups:
        code = codes.pickup_code_of(order, pickup.id)
        pickup.code_hash = codes.hash_pickup_code(pickup.id, code)
        found[pickup.id] = code
    return found
