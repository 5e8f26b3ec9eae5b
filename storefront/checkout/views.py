"""Checkout: contact, pickup outlets and payment on one page; then review; then place.

The shopper's choices wait in a ``CheckoutState`` (``state.py``) between the steps.
"""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..bookings import cart as booking_cart, current as booking_current
from ..cart import services as cart_services
from ..cart.current import current_cart, keep
from ..i18n import current_language
from ..legal import policies
from ..orders import codes
from ..orders.models import PaymentMethod
from ..orders.placement import AlreadyPlaced, OutOfStock, PlacementError, order_for_checkout_token
from ..orders.viewing import remember_token
from ..pickup import calendars as pickup_calendars, choices as pickup_choices
from ..privacy import consents
from ..privacy.forms import consent_boxes
from ..web.shop import bp
from . import services
from .forms import CheckoutForm, PlaceOrderForm, payment_method_labels
from .state import CheckoutState


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


@bp.app_template_global()
def checkout_pickup_days() -> dict:
    """Return the pickup day chosen so far for each outlet."""
    return CheckoutState.load().days or {}


def _user():
    return current_user._get_current_object() if current_user.is_authenticated else None


def _cart():
    cart = current_cart()
    cart_lines = cart_services.lines(cart)
    keep(cart)
    return cart, cart_lines


def _plan(cart_lines, *choices):
    """Return the pickup plan for a cart ready to check out, or None after flashing why not.

    A cart of bookings only is ready with no goods: its plan has no pickups.
    """
    try:
        if cart_lines or not booking_current.lines_now():
            cart_services.ensure_ready(cart_lines)
        return services.plan(cart_lines, *choices)
    except (cart_services.CartError, services.CheckoutError) as error:
        flash(str(error), "error")
        return None


def _prefill(state: CheckoutState) -> dict:
    user = _user()
    contact = state.contact or (
        {"name": user.name, "phone": user.phone, "email": user.email} if user else {})
    company = state.company or {}
    return {**contact, "payment_method": state.payment, "company_invoice": bool(company),
            **{f"company_{'name' if key == 'legal_name' else key}": value for key, value in company.items()}}


@bp.route("/checkout", methods=["GET", "POST"], endpoint="checkout")
def start():
    state = CheckoutState.load()
    token = request.form.get("checkout_token") if request.form.get("place") else None
    existing = order_for_checkout_token(token) if token else None
    if existing is not None:  # a second tap on "place order"
        return _already_placed(existing, state)
    _cart_obj, cart_lines = _cart()
    plan = _plan(cart_lines, state.assignment, state.preferred or services.preferred_outlet(_user()))
    if plan is None:
        return redirect(url_for("shop.cart"))
    form = CheckoutForm(data=_prefill(state))
    boxes = _consent_boxes(state)
    methods = services.payment_methods(cart_services.total(cart_lines)
                                       + booking_cart.total(booking_current.lines_now()))
    if form.is_submitted():
        plan = _choose(form, cart_lines, plan, state)
        form.offer(plan, methods)
        if not form.refresh.data and not form.form_errors and form.validate():
            return _next_step(form, state, boxes)
    form.offer(plan, methods)
    return _render_start(form, plan, cart_lines, state, boxes)


def _consent_boxes(state: CheckoutState):
    """The news boxes: unticked, or as the shopper ticked them earlier in this checkout; none for
    what a signed-in shopper already receives."""
    user = _user()
    return consent_boxes(ticked=state.consents or (),
                         receiving=consents.receiving(user) if user else frozenset())


def _choose(form, cart_lines, plan, state: CheckoutState):
    """Apply the posted outlet choice, group moves and pickup days; keep them for the next step."""
    try:
        plan = services.choose(cart_lines, plan, form.outlet_id.data,
                               form.group_moves(plan, request.form))
    except services.CheckoutError as error:
        form.form_errors.append(str(error))
    else:
        state.assignment = {str(pid): oid for pid, oid in plan.assignment.items()}
        if not plan.split and plan.pickups:
            state.preferred = plan.pickups[0].outlet.id
    try:  # the earliest ready day for a pickup with none posted
        state.days = pickup_choices.read(request.form, plan, state.days, preferred=_visit_days())
    except pickup_choices.PickupDayError as error:
        form.form_errors.append(str(error))
    state.save()
    return plan


def _next_step(form, state: CheckoutState, boxes):
    """Keep the contact, payment and news boxes; place the order at once, or show the review page."""
    state.contact, state.payment = form.contact(), form.payment_method.data
    state.company = form.company()
    state.consents = sorted(boxes.wanted()) or None
    state.save()
    if not form.place.data:
        return redirect(url_for("shop.checkout_review"), 303)
    state.access = state.access or codes.new_access_token()
    state.reviewed = form.seen.data or ""
    state.save()
    return _submit(form.checkout_token.data or "", state, back="shop.checkout",
                   accepted=form.accept_terms.data)


def _visit_days() -> dict:
    return services.visit_days(booking_current.lines_now())


def _render_start(form, plan, cart_lines, state: CheckoutState, boxes):
    if not state.days:  # goods at an experience's outlet start on the session's day
        state.days = pickup_choices.read({}, plan, None, preferred=_visit_days())
    state.token = state.token or services.new_checkout_token()
    state.save()
    form.checkout_token.data = state.token
    form.seen.data = services.cart_fingerprint(cart_lines, booking_current.lines_now())
    return render_template("checkout/start.html", form=form, plan=plan, lines=cart_lines,
                           total=cart_services.total(cart_lines) + booking_cart.total(booking_current.lines_now()),
                           terms=policies.agreed_at_checkout(), boxes=boxes,
                           receiving=consents.labels_of(boxes.receiving))


@bp.get("/checkout/review")
def checkout_review():
    _cart_obj, cart_lines = _cart()
    state = CheckoutState.load()
    if state.contact is None:
        return redirect(url_for("shop.checkout"))
    plan = _plan(cart_lines, state.assignment)
    if plan is None:
        return redirect(url_for("shop.cart"))
    stale = _stale_choice(plan, state, cart_services.total(cart_lines))
    if stale:
        flash(stale, "error")
        return redirect(url_for("shop.checkout"))
    state.token = state.token or services.new_checkout_token()
    state.access = state.access or codes.new_access_token()
    state.reviewed = services.cart_fingerprint(cart_lines, booking_current.lines_now())
    state.save()
    labels = payment_method_labels(at_venue_only=not plan.pickups)
    return render_template("checkout/review.html", form=PlaceOrderForm(checkout_token=state.token),
                           plan=plan, lines=cart_lines, total=cart_services.total(cart_lines) + booking_cart.total(booking_current.lines_now()),
                           contact=state.contact, company=state.company,
                           terms=policies.agreed_at_checkout(), payment_label=labels[PaymentMethod(state.payment)],
                           news=consents.labels_of(state.consents or ()))


def _stale_choice(plan, state: CheckoutState, total: int) -> str | None:
    """Return why the stored choices no longer fit the cart, if they do not."""
    if plan.assignment != state.stored_assignment:
        return _("Giỏ hàng hoặc điểm bán đã thay đổi. Vui lòng chọn lại điểm nhận hàng.")
    if pickup_choices.stale(plan, state.days):
        return pickup_choices.stale(plan, state.days)
    if state.payment not in [m.value for m in services.payment_methods(total)]:
        return _("Vui lòng chọn lại phương thức thanh toán.")
    return None


@bp.post("/checkout/place")
def checkout_place():
    form = PlaceOrderForm()
    if not form.validate_on_submit():
        if form.accept_terms.errors and not form.checkout_token.errors and "csrf_token" not in form.errors:
            flash(form.accept_terms.errors[0], "error")  # the cart and every choice are kept
            return redirect(url_for("shop.checkout_review"), 303)
        abort(400)
    return _submit(form.checkout_token.data or "", CheckoutState.load(), accepted=True)


def _submit(token: str, state: CheckoutState, back: str = "shop.checkout_review", *,
            accepted: bool = False):
    """Place the order the shopper saw, once: a repeated token leads to the order already placed."""
    existing = order_for_checkout_token(token) if token else None
    if existing is not None:
        return _already_placed(existing, state)
    cart, cart_lines = _cart()
    booking_lines = booking_current.lines_now()
    if not token or state.token != token \
            or state.reviewed != services.cart_fingerprint(cart_lines, booking_lines):
        flash(_("Giỏ hàng đã thay đổi sau khi bạn xem lại. Vui lòng kiểm tra rồi đặt hàng."), "error")
        return redirect(url_for(back), 303)
    try:
        placed = services.place(cart_lines, state, user=_user(), locale=current_language(),
                                accepted_terms=accepted, booking_lines=booking_lines)
    except services.TermsNotAccepted as error:
        flash(str(error), "error")
        return redirect(url_for(back), 303)
    except AlreadyPlaced as error:
        return _already_placed(error.order, state)
    except (PlacementError, OutOfStock) as error:
        flash(str(error), "error")
        return redirect(url_for("shop.cart"), 303)
    remember_token(placed.order.number, placed.access_token)
    if placed.order.payment_method == PaymentMethod.CARD:
        return _pay_by_card(placed, cart)
    _finish(cart)
    if placed.order.payment_method == PaymentMethod.VIETQR:
        flash(_("Đã đặt đơn hàng %(number)s. Vui lòng chuyển khoản theo mã VietQR bên dưới.",
                number=placed.order.number), "success")
        return redirect(url_for("shop.order", number=placed.order.number), 303)
    flash(_("Đã đặt đơn hàng %(number)s. Cảm ơn bạn!", number=placed.order.number), "success")
    return redirect(url_for("shop.order", number=placed.order.number), 303)


def _pay_by_card(placed, cart):
    try:
        url = services.start_card_payment(placed.order)
    except services.CardPaymentFailed as error:
        CheckoutState.load().forget_payment()
        flash(str(error), "error")
        return redirect(url_for("shop.checkout"), 303)
    _finish(cart)
    return redirect(url, 303)


def _already_placed(order, state: CheckoutState):
    """Send a repeated submit to the order the first one placed."""
    if state.token == order.checkout_token:
        if codes.token_matches(order, state.access):
            remember_token(order.number, state.access)
        _finish(current_cart())
    return redirect(url_for("shop.order", number=order.number), 303)


def _finish(cart) -> None:
    """Empty the cart and forget the checkout once its order exists."""
    cart_services.clear(cart)
    keep(cart)
    booking_current.clear_now()
    CheckoutState.forget()
