"""Pickup pages: the shopper moves a day; outlet staff see their board and hand over partially."""
from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.decorators import role_required
from ..accounts.models import Role
from ..catalog import api as catalog_api, models as catalog_models
from ..orders import hooks as order_hooks, queries as order_queries
from ..extensions import db
from ..i18n import format_vnd
from ..orders.services import OrderError
from ..orders.views import _actor, _labels as order_labels, _viewed, show as show_order
from ..outlets import queries as outlet_queries
from ..outlets.views import _render_pickup, labels as outlet_labels
from ..timeutil import as_day, local_today
from . import api, board as boards, calendars, choices, display, services
from .admin_views import bp as admin_bp
from .api import bp as api_bp
from .producer_views import bp as producer_bp
from .forms import PartialHandOverForm

bp = Blueprint("pickup", __name__)


def register(app) -> None:
    """Register the pickup blueprints and the helpers templates use (what orders and the
    catalogue ask of the pickup calendar is handed in by ``storefront/wiring.py``)."""
    for blueprint in (bp, api_bp, admin_bp, producer_bp):
        app.register_blueprint(blueprint)
    env = app.jinja_env
    env.filters["pickup_day"] = display.pickup_day
    env.filters["as_day"] = as_day
    env.filters["next_day"] = lambda day: day + timedelta(days=1)
    env.tests["late_dropoff"] = lambda line: boards.is_late(line, local_today())
    env.globals.update(
        outlet_open_line=lambda outlet: display.status_line(calendars.open_status(outlet)),
        ready_day_at=lambda outlet, products: calendars.ready_day(outlet, products),
        pickup_day_offer=choices.offer_in,
        checkout_pickup_days=lambda: (session.get("checkout") or {}).get("days") or {},
        pickup_day_choices=services.day_choices_for,
        can_move_pickup_day=services.can_move_day,
        can_hand_over_partially=services.can_hand_over_partially,
        pickup_window_last_day=calendars.window_last_day,
        collected_amount=services.collected_amount,
    )


@bp.context_processor
def _labels():
    """The labels the order and outlet pages use, which these views render too (on errors)."""
    return {**order_labels(), **outlet_labels()}


# --- the shopper ------------------------------------------------------------------------------

@bp.post("/orders/<number>/pickups/<int:pickup_id>/day")
def move_day(number: str, pickup_id: int):
    order, _token = _viewed(number)
    pickup = order_queries.pickup_of(order, pickup_id)
    if pickup is None:
        abort(404)
    day = as_day(request.form.get("day"))
    try:
        services.move_day(pickup, day, by=_actor())
    except OrderError as error:
        flash(str(error), "error")
        return show_order(number), 422  # the order page again, with the reason on top
    flash(_("Đã đổi ngày nhận tại %(outlet)s sang %(day)s.", outlet=pickup.outlet.display_name,
            day=display.pickup_day(day)), "success")
    return redirect(url_for("orders.show", number=number) + f"#pickup-{pickup.id}", 303)


# --- outlet staff ---------------------------------------------------------------------------

def _staff_pickup(pickup_id: int):
    return outlet_queries.pickup_at_or_404(current_user.outlet, pickup_id)


@bp.get("/outlet/board")
@role_required(Role.OUTLET_STAFF)
def outlet_board():
    return render_template("pickup/board.html", outlet=current_user.outlet,
                           board=boards.board(current_user.outlet, local_today()))


@bp.get("/outlet/board/sheet")
@role_required(Role.OUTLET_STAFF)
def day_sheet():
    day = as_day(request.args.get("day")) or local_today()
    return render_template("pickup/day_sheet.html", outlet=current_user.outlet, day=day,
                           pickups=boards.pickups_on(current_user.outlet, day))


@bp.post("/outlet/pickups/<int:pickup_id>/hand-over-partial")
@role_required(Role.OUTLET_STAFF)
def hand_over_partially(pickup_id: int):
    pickup = _staff_pickup(pickup_id)
    form = PartialHandOverForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return _pickup_page(pickup)
    try:
        refunded = services.hand_over_partially(pickup, form.code.data, by=current_user)
    except OrderError as error:  # a wrong or locked code, or nothing (or everything) received
        flash(str(error), "error")
        return _pickup_page(pickup)
    flash(_("Đã giao một phần đơn %(number)s; phần chưa về đã huỷ (%(amount)s).",
            number=pickup.order.number, amount=_vnd(refunded)), "success")
    return redirect(url_for("outlet_dashboard.pickup", pickup_id=pickup.id), 303)


def _pickup_page(pickup):
    """Show the outlet's pickup page again with the error on top (422)."""
    db.session.expire_all()  # a wrong code was counted in its own transaction
    html, _status = _render_pickup(outlet_queries.pickup_at(current_user.outlet, pickup.id))
    return html, 422


def _vnd(amount: int) -> str:
    return format_vnd(amount)
