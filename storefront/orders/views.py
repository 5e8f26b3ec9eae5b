"""The order status page: the owner or whoever holds the order's token; anyone else gets a 404."""
import segno
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from ..notifications import queries as notice_queries
from ..web.shop import bp
from . import codes, queries, services
from .links import order_url
from .transitions import OrderError, shopper_may_cancel, shopper_may_cancel_order
from .viewing import actor, order_labels, viewed_order


@bp.get("/orders/<number>", endpoint="order")
def show(number: str):
    order, token = viewed_order(number)
    return render_template("orders/show.html", order=order, codes=queries.visible_codes(order, token),
                           timeline=queries.timeline(order), private_link=_private_link(order, token),
                           **notice_queries.order_panel(order))


def _private_link(order, token: str | None) -> str | None:
    """Return the order's link with its token, for whoever already holds the token."""
    if not codes.token_matches(order, token):
        return None
    return order_url(order, token)


@bp.post("/orders/<number>/cancel", endpoint="cancel_order")
def cancel(number: str):
    order, _token_value = viewed_order(number)
    try:
        services.cancel_order(order, actor(), _("Khách hàng huỷ đơn"), by_shopper=True)
    except OrderError as error:
        flash(str(error), "error")
    else:
        flash(_("Đã huỷ đơn hàng %(number)s.", number=number), "success")
    return redirect(url_for("shop.order", number=number), 303)


@bp.post("/orders/<number>/pickups/<int:pickup_id>/cancel")
def cancel_pickup(number: str, pickup_id: int):
    order, _token_value = viewed_order(number)
    pickup = queries.pickup_of(order, pickup_id)
    if pickup is None:
        abort(404)
    try:
        services.cancel_pickup(pickup, actor(), _("Khách hàng huỷ"), by_shopper=True)
    except OrderError as error:
        flash(str(error), "error")
    else:
        flash(_("Đã huỷ phần nhận tại %(outlet)s.", outlet=pickup.outlet.display_name), "success")
    return redirect(url_for("shop.order", number=number), 303)


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


bp.context_processor(order_labels)
