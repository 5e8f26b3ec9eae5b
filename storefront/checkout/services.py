"""Checkout use cases: plan the pickups, offer payment methods, place the order, start card payment.

The web layer keeps the shopper's choices between steps as a plain dict (see ``views.py``);
this module only reads and returns plain values, and re-checks every choice against the
database.
"""
import hashlib
import secrets
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from ..cart.services import CartLine, total
from ..catalog.models import Outlet
from ..experiences.models import PlaceKind
from ..bookings import cart as booking_cart
from ..unit_of_work import transaction
from ..extensions import db
from ..invoices import services as invoices
from ..legal import policies
from ..legal.forms import NOT_ACCEPTED
from ..orders import placement
from ..orders.links import order_url
from ..orders.models import Order, PaymentMethod
from ..orders.services import expire_payment
from ..orders import routing
from ..payments import bank_account, gateway
from ..privacy import consents


class CheckoutError(Exception):
    """A checkout choice that cannot be made; the message is for the shopper."""


class NoOutletCarries(CheckoutError):
    """Some products are carried by no active outlet."""


class OutletCannotTake(CheckoutError):
    """The chosen outlet does not carry every item sent to it."""


class TermsNotAccepted(CheckoutError):
    """The shopper did not tick ``accept_terms``: no order is sent (Decree 52/2013 Art. 32)."""


class CardPaymentFailed(CheckoutError):
    """Stripe could not start the payment; the order was cancelled and its stock returned."""


def new_checkout_token() -> str:
    return secrets.token_urlsafe(24)


# --- pickups ------------------------------------------------------------------------------------

@dataclass
class PlannedPickup:
    """One outlet of the plan, with its cart lines and the outlets that could take all of them."""

    outlet: Outlet
    lines: list[CartLine]
    alternatives: list[Outlet]

    @property
    def subtotal(self) -> int:
        return total(self.lines)


@dataclass
class PickupPlan:
    """Where the cart would be collected: ``common`` outlets carry everything (maybe none)."""

    common: list[Outlet]
    pickups: list[PlannedPickup]

    @property
    def assignment(self) -> dict[int, int]:
        return {line.product_id: p.outlet.id for p in self.pickups for line in p.lines}

    @property
    def split(self) -> bool:
        return not self.common


def carriers_for(cart_lines: list[CartLine]) -> dict[int, frozenset[int]]:
    """Map each product in the cart to the ids of the active outlets that carry it."""
    return {line.product_id: frozenset(o.id for o in line.product.outlets if o.active)
            for line in cart_lines}


def plan(cart_lines: list[CartLine], assignment: dict | None = None,
         preferred: int | None = None) -> PickupPlan:
    """Return the pickup plan: the stored ``assignment`` while it still fits the cart, else a new one.

    :raises NoOutletCarries: a product has no active outlet.
    """
    carriers = carriers_for(cart_lines)
    stored = _ints(assignment)
    try:
        routing.check(stored, carriers)
        groups = routing.groups_of(stored)
    except routing.NotCarried as error:
        raise NoOutletCarries(_("Hiện không có điểm bán nào nhận “%(names)s”. Vui lòng xoá "
                                "khỏi giỏ hàng.", names=_names(cart_lines, error.product_ids)))
    except routing.CannotMove:
        groups = routing.route(carriers, preferred)
    if len(groups) > 1 and routing.common_outlets(carriers):
        groups = routing.route(carriers, preferred)  # one outlet has it all: no need to split
    return _build(cart_lines, carriers, groups)


def choose(cart_lines: list[CartLine], current: PickupPlan, outlet_id: int | None = None,
           moves: dict[int, int] | None = None) -> PickupPlan:
    """Apply the shopper's choice: one outlet for everything, or groups moved to other outlets.

    :raises OutletCannotTake: the outlet does not carry every item sent to it.
    """
    carriers = carriers_for(cart_lines)
    groups = routing.groups_of(current.assignment)
    try:
        if outlet_id is not None and not current.split:
            groups = [routing.Group(outlet_id, tuple(sorted(carriers)))]
            routing.check(routing.assignment_of(groups), carriers)
        if moves and current.split:
            groups = routing.move_many(groups, moves, carriers)
    except routing.CannotMove as error:
        raise OutletCannotTake(_("Điểm bán đã chọn không có đủ “%(names)s”. Vui lòng chọn điểm "
                                 "bán khác.", names=_names(cart_lines, error.product_ids))) from None
    return _build(cart_lines, carriers, groups)


def _build(cart_lines, carriers, groups: list[routing.Group]) -> PickupPlan:
    outlet_ids = set().union(*carriers.values()) if carriers else set()
    outlets = {o.id: o for o in db.session.scalars(select(Outlet).where(Outlet.id.in_(outlet_ids)))}
    by_product = {line.product_id: line for line in cart_lines}
    pickups = [
        PlannedPickup(outlets[g.outlet_id], [by_product[pid] for pid in g.product_ids],
                      [outlets[o] for o in routing.alternatives(g, carriers)])
        for g in groups
    ]
    common = [outlets[o] for o in routing.common_outlets(carriers)]
    return PickupPlan(sorted(common, key=lambda o: (o.name, o.id)), pickups)


def _ints(assignment: dict | None) -> dict[int, int]:
    try:
        return {int(k): int(v) for k, v in (assignment or {}).items()}
    except (TypeError, ValueError, AttributeError):
        return {}


def _names(cart_lines: list[CartLine], product_ids) -> str:
    return ", ".join(line.product.name for line in cart_lines if line.product_id in product_ids)


def visit_days(booking_lines) -> dict[int, date]:
    """Return {outlet id: day} for the experiences in the cart held at an outlet (the earliest each).

    Goods collected at that outlet default to that day: the shopper is there anyway
    (``pickup.choices.default_day``).
    """
    days: dict[int, date] = {}
    for line in booking_lines:
        experience = line.session.experience
        if experience.place_kind == PlaceKind.OUTLET and experience.outlet_id is not None:
            day = days.get(experience.outlet_id)
            days[experience.outlet_id] = min(day, line.session.day) if day else line.session.day
    return days


def preferred_outlet(user) -> int | None:
    """Return the outlet of the shopper's latest order, a good first guess for the next one."""
    if user is None:
        return None
    order = db.session.scalar(select(Order).where(Order.user_id == user.id)
                              .order_by(Order.id.desc()).limit(1))
    return order.pickups[0].outlet_id if order is not None and order.pickups else None


# --- payment and placement -------------------------------------------------------------------

def payment_methods(order_total: int) -> list[PaymentMethod]:
    """Return the methods offered for this total: transfer when the shop's account is set, card
    only with Stripe and a large enough total, pay at pickup always."""
    methods = [PaymentMethod.AT_PICKUP]
    if placement.card_available(order_total):
        methods.insert(0, PaymentMethod.CARD)
    if bank_account.transfer_available():
        methods.insert(0, PaymentMethod.VIETQR)
    return methods


def place(cart_lines: list[CartLine], state, user=None, locale: str = "vi", *,
          accepted_terms: bool = False, booking_lines=()):
    """Place the order the shopper reviewed (``state``: a ``CheckoutState``), once the shopper has
    ticked the terms; the order keeps the versions in force (terms, returns, privacy) and when.

    :raises TermsNotAccepted: ``accepted_terms`` is not true; nothing is written.
    :raises placement.PlacementError, placement.OutOfStock: see ``place_order``.
    """
    if accepted_terms is not True:
        raise TermsNotAccepted(str(NOT_ACCEPTED))
    contact = placement.Contact(**state.contact)
    placed = placement.place_order(cart_lines, contact, state.assignment, state.payment,
                                   state.token, user=user, locale=locale,
                                   access_token=state.access, pickup_days=state.days,
                                   agreed_versions=[v.id for v in policies.agreed_at_checkout()],
                                   booking_lines=booking_cart.tickets(booking_lines))
    if getattr(state, "company", None):  # the e-invoice's buyer, kept on the order before any hand-over
        with transaction():
            invoices.keep_buyer(placed.order, **state.company)
    if getattr(state, "consents", None):
        record_consents(placed.order, state.consents, user)
    return placed


def record_consents(order: Order, purposes, user=None) -> None:
    """Record the news boxes ticked at checkout (source ``web:checkout``, with the order): against
    the account when signed in, else against the guest's order, whose phone and e-mail they are.
    Nothing ticked records nothing; the order never depends on it (its notices are the contract)."""
    with transaction():
        consents.give(user if user is not None else order, set(purposes),
                      consents.CHANNEL_CHECKOUT, order=order)


def start_card_payment(order: Order) -> str:
    """Open a Stripe Checkout session for a placed card order and return its URL.

    Stripe sends the shopper back to the order page without its secret token (nothing secret
    goes to Stripe): the shopper's session already remembers it, so the codes show.

    :raises CardPaymentFailed: Stripe refused; the order is cancelled and its stock returned.
    """
    try:
        return gateway.create_checkout_session(order, return_url=order_url(order))
    except gateway.PaymentError as error:
        db.session.rollback()
        order = db.session.get(Order, order.id)
        with transaction():
            expire_payment(order, "system", str(error))
        raise CardPaymentFailed(_("%(error)s Đơn hàng %(number)s đã được huỷ và không bị trừ "
                                  "tiền; bạn có thể đặt lại.", error=error,
                                  number=order.number)) from error


def cart_fingerprint(cart_lines: list[CartLine], booking_lines=()) -> str:
    """Return a short digest of what the shopper reviewed, to spot a change before placing."""
    reviewed = ";".join(f"{l.product_id}:{l.quantity}:{l.price_seen}" for l in cart_lines)
    reviewed += "|" + ";".join(f"{t.session_id}:{t.person_type_id}:{t.quantity}:{t.price_seen}"
                               for t in booking_cart.tickets(booking_lines))
    return hashlib.sha256(reviewed.encode()).hexdigest()[:32]
