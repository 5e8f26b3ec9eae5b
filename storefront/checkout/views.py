"""Checkout: contact, pickup outlets and payment on one page; then review; then place.

The shopper's choices wait in the session under ``checkout`` between the steps:
``{"contact": {...}, "assignment": {product id: outlet id}, "payment": ..., "preferred": outlet id,
"token": one-time checkout token, "access": the order's future access token, "reviewed": cart}``.
Product ids, quantities and prices always come from the cart and the database, never the form.
"""
from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..cart import services as cart_services
from ..cart.views import current_cart, keep
from ..i18n import current_language
from ..orders import codes
from ..orders.models import PaymentMethod
from ..orders.placement import AlreadyPlaced, OutOfStock, PlacementError, order_for_checkout_token
from ..orders.views import remember_token
from ..pickup import calendars as pickup_calendars, choices as pickup_choices
from . import services
from .forms import PAYMENT_METHOD_LABELS, CheckoutForm, PlaceOrderForm

bp = Blueprint("checkout", __name__, url_prefix="/checkout")
STATE = "checkout"


@bp.app_template_global()
def cart_ready_days(cart_lines) -> list[tuple]:
    """Return ``(outlet, earliest ready day)`` for each pickup the cart would make (none if it can't)."""
    if not cart_lines:
        return []
    try:
        plan = services.plan(list(cart_lines))
    except services.CheckoutError:
        return []
    return [(p.outlet, pickup_calendars.ready_day(p.outlet, [l.product for l in p.lines]))
            for p in plan.pickups]


def _state() -> dict:
    return dict(session.get(STATE) or {})


def _save(state: dict) -> None:
    session[STATE] = state


def _user():
    return current_user._get_current_object() if current_user.is_authenticated else None


def _cart():
    cart = current_cart()
    cart_lines = cart_services.lines(cart)
    keep(cart)
    return cart, cart_lines


def _prefill(state: dict) -> dict:
    user = _user()
    contact = state.get("contact") or (
        {"name": user.name, "phone": user.phone, "email": user.email} if user else {})
    return {**contact, "payment_method": state.get("payment")}


@bp.route("", methods=["GET", "POST"])
def start():
    token = request.form.get("checkout_token") if request.form.get("place") else None
    existing = order_for_checkout_token(token) if token else None
    if existing is not None:  # a second tap on "place order"
        return _already_placed(existing, _state())
    _cart_obj, cart_lines = _cart()
    state = _state()
    try:
        cart_services.ensure_ready(cart_lines)
        plan = services.plan(cart_lines, state.get("assignment"),
                             state.get("preferred") or services.preferred_outlet(_user()))
    except (cart_services.CartError, services.CheckoutError) as error:
        flash(str(error), "error")
        return redirect(url_for("cart.show"))
    form = CheckoutForm(data=_prefill(state))
    methods = services.payment_methods(cart_services.total(cart_lines))
    if form.is_submitted():
        plan = _choose(form, cart_lines, plan, state)
        _choose_days(form, plan, state)
        form.offer(plan, methods)
        if not form.refresh.data and not form.form_errors and form.validate():
            state.update(contact=form.contact(), payment=form.payment_method.data)
            _save(state)
            if form.place.data:
                return _place_from_start(form, state)
            return redirect(url_for("checkout.review"), 303)
    form.offer(plan, methods)
    state.setdefault("token", services.new_checkout_token())
    _save(state)
    form.checkout_token.data = state["token"]
    form.seen.data = services.cart_fingerprint(cart_lines)
    return render_template("checkout/start.html", form=form, plan=plan, lines=cart_lines,
                           total=cart_services.total(cart_lines))


def _place_from_start(form, state: dict):
    """Place the order from the one-screen checkout, as the review page's button would."""
    state.setdefault("access", codes.new_access_token())
    state["reviewed"] = form.seen.data or ""
    _save(state)
    return _submit(form.checkout_token.data or "", state, back="checkout.start")


def _choose(form, cart_lines, plan, state):
    """Apply the posted outlet choice or group moves; keep the result for the next step."""
    try:
        plan = services.choose(cart_lines, plan, form.outlet_id.data,
                               form.group_moves(plan, request.form))
    except services.CheckoutError as error:
        form.form_errors.append(str(error))
        return plan
    state["assignment"] = {str(pid): oid for pid, oid in plan.assignment.items()}
    if not plan.split:
        state["preferred"] = plan.pickups[0].outlet.id
    _save(state)
    return plan


def _choose_days(form, plan, state) -> None:
    """Keep the pickup day posted for each pickup (the earliest ready day when none was)."""
    try:
        state["days"] = pickup_choices.read(request.form, plan, state.get("days"))
    except pickup_choices.PickupDayError as error:
        form.form_errors.append(str(error))
    _save(state)


@bp.get("/review")
def review():
    _cart_obj, cart_lines = _cart()
    state = _state()
    if "contact" not in state:
        return redirect(url_for("checkout.start"))
    try:
        cart_services.ensure_ready(cart_lines)
        plan = services.plan(cart_lines, state.get("assignment"))
    except (cart_services.CartError, services.CheckoutError) as error:
        flash(str(error), "error")
        return redirect(url_for("cart.show"))
    stale = _stale_choice(plan, state, cart_services.total(cart_lines))
    if stale:
        flash(stale, "error")
        return redirect(url_for("checkout.start"))
    state.setdefault("token", services.new_checkout_token())
    state.setdefault("access", codes.new_access_token())
    state["reviewed"] = services.cart_fingerprint(cart_lines)
    _save(state)
    return render_template("checkout/review.html", form=PlaceOrderForm(checkout_token=state["token"]),
                           plan=plan, lines=cart_lines, total=cart_services.total(cart_lines),
                           contact=state["contact"],
                           payment_label=PAYMENT_METHOD_LABELS[PaymentMethod(state["payment"])])


def _stale_choice(plan, state: dict, total: int) -> str | None:
    """Return why the stored choices no longer fit the cart, if they do not."""
    stored = {int(pid): oid for pid, oid in (state.get("assignment") or {}).items()}
    if plan.assignment != stored:
        return _("Giỏ hàng hoặc điểm bán đã thay đổi. Vui lòng chọn lại điểm nhận hàng.")
    if pickup_choices.stale(plan, state.get("days")):
        return pickup_choices.stale(plan, state.get("days"))
    if state.get("payment") not in [m.value for m in services.payment_methods(total)]:
        return _("Vui lòng chọn lại phương thức thanh toán.")
    return None


@bp.post("/place")
def place():
    form = PlaceOrderForm()
    if not form.validate_on_submit():
        abort(400)
    return _submit(form.checkout_token.data or "", _state())


def _submit(token: str, state: dict, back: str = "checkout.review"):
    """Place the order the shopper saw, once: a repeated token leads to the order already placed."""
    existing = order_for_checkout_token(token) if token else None
    if existing is not None:
        return _already_placed(existing, state)
    cart, cart_lines = _cart()
    if not token or state.get("token") != token \
            or state.get("reviewed") != services.cart_fingerprint(cart_lines):
        flash(_("Giỏ hàng đã thay đổi sau khi bạn xem lại. Vui lòng kiểm tra rồi đặt hàng."), "error")
        return redirect(url_for(back), 303)
    try:
        placed = services.place(cart_lines, state, user=_user(), locale=current_language())
    except AlreadyPlaced as error:
        return _already_placed(error.order, state)
    except (PlacementError, OutOfStock) as error:
        flash(str(error), "error")
        return redirect(url_for("cart.show"), 303)
    remember_token(placed.order.number, placed.access_token)
    if placed.order.payment_method == PaymentMethod.CARD:
        return _pay_by_card(placed, cart)
    _finish(cart)
    if placed.order.payment_method == PaymentMethod.VIETQR:
        flash(_("Đã đặt đơn hàng %(number)s. Vui lòng chuyển khoản theo mã VietQR bên dưới.",
                number=placed.order.number), "success")
        return redirect(url_for("orders.show", number=placed.order.number), 303)
    flash(_("Đã đặt đơn hàng %(number)s. Cảm ơn bạn!", number=placed.order.number), "success")
    return redirect(url_for("orders.show", number=placed.order.number), 303)


def _pay_by_card(placed, cart):
    try:
        url = services.start_card_payment(placed.order)
    except services.CardPaymentFailed as error:
        state = _state()
        for key in ("token", "access", "payment"):
            state.pop(key, None)
        _save(state)
        flash(str(error), "error")
        return redirect(url_for("checkout.start"), 303)
    _finish(cart)
    return redirect(url, 303)


def _already_placed(order, state: dict):
    """Send a repeated submit to the order the first one placed."""
    if state.get("token") == order.checkout_token:
        if codes.token_matches(order, state.get("access")):
            remember_token(order.number, state["access"])
        _finish(current_cart())
    return redirect(url_for("orders.show", number=order.number), 303)


def _finish(cart) -> None:
    """Empty the cart and forget the checkout once its order exists."""
    cart_services.clear(cart)
    keep(cart)
    session.pop(STATE, None)
