"""Outlet staff: the board of the days ahead, a day's sheet, and handing over part of a pickup."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from ..i18n import format_vnd
from ..orders.services import OrderError
from ..orders.viewing import order_labels
from ..outlets import queries as outlet_queries
from ..outlets.pages import staff_outlet, staff_pickup
from ..outlets.views import render_pickup
from ..timeutil import as_day, local_today
from ..web.outlet import bp
from . import board as boards, services
from .forms import PartialHandOverForm


@bp.context_processor
def _order_labels():
    """The order's labels, which the pickup page shows beside the outlet's."""
    return order_labels()


@bp.get("/board", endpoint="board")
def outlet_board():
    return render_template("pickup/board.html", outlet=staff_outlet(),
                           board=boards.board(staff_outlet(), local_today()))


@bp.get("/board/sheet")
def day_sheet():
    day = as_day(request.args.get("day")) or local_today()
    return render_template("pickup/day_sheet.html", outlet=staff_outlet(), day=day,
                           pickups=boards.pickups_on(staff_outlet(), day))


@bp.post("/pickups/<int:pickup_id>/hand-over-partial")
def hand_over_partially(pickup_id: int):
    pickup = staff_pickup(pickup_id)
    form = PartialHandOverForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return _pickup_page(pickup)
    try:
        refunded = services.hand_over_partially(pickup, form.code.data, by=current_user,
                                                collected=form.collected.data or None,
                                                amount=form.amount.data)
    except OrderError as error:  # a wrong or locked code, or nothing (or everything) received
        flash(str(error), "error")
        return _pickup_page(pickup)
    flash(_("Đã giao một phần đơn %(number)s; phần chưa về đã huỷ (%(amount)s).",
            number=pickup.order.number, amount=format_vnd(refunded)), "success")
    return redirect(url_for("outlet.pickup", pickup_id=pickup.id), 303)


def _pickup_page(pickup):
    """Show the outlet's pickup page again with the error on top (422)."""
    db.session.expire_all()  # a wrong code was counted in its own transaction
    html, _status = render_pickup(outlet_queries.pickup_at(staff_outlet(), pickup.id))
    return html, 422
