"""Pickup pages in the shop: the shopper moves a pickup's day. Also the helpers templates use."""
from datetime import timedelta

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from ..orders import queries as order_queries
from ..orders.services import OrderError
from ..orders.viewing import actor, viewed_order
from ..orders.views import show as show_order
from ..timeutil import as_day, local_today
from ..web.shop import bp
from . import board as boards, calendars, choices, display, services


def register(app) -> None:
    """Register the helpers templates use (what orders and the catalogue ask of the pickup
    calendar is handed in by ``storefront/wiring.py``)."""
    env = app.jinja_env
    env.filters["pickup_day"] = display.pickup_day
    env.filters["as_day"] = as_day
    env.filters["next_day"] = lambda day: day + timedelta(days=1)
    env.tests["late_dropoff"] = lambda line: boards.is_late(line, local_today())
    env.globals.update(
        outlet_open_line=lambda outlet: display.status_line(calendars.open_status(outlet)),
        ready_day_at=lambda outlet, products: calendars.ready_day(outlet, products),
        pickup_day_offer=choices.offer_in,
        pickup_day_choices=services.day_choices_for,
        can_move_pickup_day=services.can_move_day,
        can_hand_over_partially=services.can_hand_over_partially,
        pickup_window_last_day=calendars.window_last_day,
        collected_amount=services.collected_amount,
    )


@bp.post("/orders/<number>/pickups/<int:pickup_id>/day", endpoint="move_pickup_day")
def move_day(number: str, pickup_id: int):
    order, _token = viewed_order(number)
    pickup = order_queries.pickup_of(order, pickup_id)
    if pickup is None:
        abort(404)
    day = as_day(request.form.get("day"))
    try:
        services.move_day(pickup, day, by=actor())
    except OrderError as error:
        flash(str(error), "error")
        return show_order(number), 422  # the order page again, with the reason on top
    flash(_("Đã đổi ngày nhận tại %(outlet)s sang %(day)s.", outlet=pickup.outlet.display_name,
            day=display.pickup_day(day)), "success")
    return redirect(url_for("shop.order", number=number) + f"#pickup-{pickup.id}", 303)
