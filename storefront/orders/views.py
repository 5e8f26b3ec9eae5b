"""The order status page: the owner or whoever holds the order's token; anyone else gets a 404."""
import segno
from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from . import codes, queries, services
from .links import order_url
from .models import (
    LINE_STATUS_LABELS, PAYMENT_METHOD_LABELS, PAYMENT_STATUS_LABELS, PICKUP_STATUS_LABELS,
)
from .transitions import OrderError, shopper_may_cancel, shopper_may_cancel_order

bp = Blueprint("orders", __name__, url_prefix="/orders")
TOKENS_KEY = "order_tokens"
TOKENS_KEPT = 10


def remember_token(number: str, token: str) -> None:
    """Keep an order's token in this browser's session, so its page shows the codes."""
    tokens = dict(session.get(TOKENS_KEY) or {})
    tokens[number] = token
    # Numbers sort by age (and the session serializer sorts keys): keep the newest few.
    session[TOKENS_KEY] = {n: tokens[n] for n in sorted(tokens)[-TOKENS_KEPT:]}


def _token(number: str) -> str | None:
    return request.values.get("t") or (session.get(TOKENS_KEY) or {}).get(number)


def _viewed(number: str):
    """Return the order this visitor may see, or answer 404 (never 403: no hint it exists)."""
    token = _token(number)
    order = queries.order_for_viewer(number, current_user, token)
    if order is None:
        abort(404)
    if token and request.values.get("t") and codes.token_matches(order, token):
        remember_token(number, token)
    return order, token


def _actor():
    return current_user._get_current_object() if current_user.is_authenticated else "guest"


@bp.get("/<number>")
def show(number: str):
    order, token = _viewed(number)
    return render_template("orders/show.html", order=order, codes=queries.visible_codes(order, token),
                           timeline=queries.timeline(order), private_link=_private_link(order, token))


def _private_link(order, token: str | None) -> str | None:
    """Return the order's link with its token, for whoever already holds the token."""
    if not codes.token_matches(order, token):
        return None
    return order_url(order, token)


@bp.post("/<number>/cancel")
def cancel(number: str):
    order, _token_value = _viewed(number)
    try:
        services.cancel_order(order, _actor(), _("Khách hàng huỷ đơn"), by_shopper=True)
    except OrderError as error:
        flash(str(error), "error")
    else:
        flash(_("Đã huỷ đơn hàng %(number)s.", number=number), "success")
    return redirect(url_for("orders.show", number=number), 303)


@bp.post("/<number>/pickups/<int:pickup_id>/cancel")
def cancel_pickup(number: str, pickup_id: int):
    order, _token_value = _viewed(number)
    pickup = queries.pickup_of(order, pickup_id)
    if pickup is None:
        abort(404)
    try:
        services.cancel_pickup(pickup, _actor(), _("Khách hàng huỷ"), by_shopper=True)
    except OrderError as error:
        flash(str(error), "error")
    else:
        flash(_("Đã huỷ phần nhận tại %(outlet)s.", outlet=pickup.outlet.display_name), "success")
    return redirect(url_for("orders.show", number=number), 303)


def qr_svg(code: str) -> Markup:
    """Return the code as an inline SVG QR code that scales to its box (the outlet scans or reads it).

    Always a full QR code, never a Micro QR: phone-camera scanners do not read Micro QR.
    """
    svg = segno.make_qr(code, error="m").svg_inline(scale=1, border=4, omitsize=True, title=code,
                                                   svgclass="pickup-qr")
    return Markup(svg)


@bp.record_once
def _register_helpers(state) -> None:
    env = state.app.jinja_env
    env.globals.update(orders_of=queries.orders_of, order_status_summary=queries.status_summary,
                       order_url=order_url,
                       can_cancel_pickup=shopper_may_cancel,
                       can_cancel_order=shopper_may_cancel_order)
    env.filters["qr_svg"] = qr_svg


@bp.context_processor
def _labels():
    return {"PICKUP_STATUS_LABELS": PICKUP_STATUS_LABELS, "LINE_STATUS_LABELS": LINE_STATUS_LABELS,
            "PAYMENT_METHOD_LABELS": PAYMENT_METHOD_LABELS,
            "PAYMENT_STATUS_LABELS": PAYMENT_STATUS_LABELS}
