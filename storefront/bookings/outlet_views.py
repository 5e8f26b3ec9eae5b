"""Outlet staff: the day's experience sessions at the outlet, who is expected, and check-in by code."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..outlets.pages import staff_outlet
from ..timeutil import as_day, local_today
from ..web.outlet import bp
from . import checkin, tickets


@bp.get("/check-in", endpoint="check_in")
def check_in_page():
    day = as_day(request.args.get("day")) or local_today()
    return render_template("bookings/checkin.html", layout="outlets/layout.html", day=day,
                           place=staff_outlet().display_name, sheets=checkin.at_outlet(staff_outlet(), day),
                           action=url_for("outlet.check_in_code", day=day.isoformat()))


@bp.post("/check-in", endpoint="check_in_code")
def check_in_code():
    day = as_day(request.args.get("day")) or local_today()
    try:
        booking = checkin.check_in_by_code(checkin.at_outlet(staff_outlet(), day),
                                           request.form.get("code", ""), current_user)
    except tickets.TicketError as error:
        flash(str(error), "error")
    else:
        flash(_("Đã check-in %(name)s: %(seats)d người, %(title)s.", name=booking.order.name,
                seats=booking.seats, title=booking.experience.title), "success")
    return redirect(url_for("outlet.check_in", day=day.isoformat()), 303)
