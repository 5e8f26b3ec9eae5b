"""The producer's check-in for sessions at their own workshop: who is expected, and check-in by code."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..timeutil import as_day, local_today
from ..web.producer import bp
from . import checkin, tickets


@bp.get("/experiences/check-in", endpoint="check_in")
def check_in_page():
    day = as_day(request.args.get("day")) or local_today()
    producer = current_user.producer
    return render_template("bookings/checkin.html", layout="producers/layout.html", day=day,
                           place=producer.name, sheets=checkin.at_workshop(producer, day),
                           action=url_for("producer.check_in_code", day=day.isoformat()))


@bp.post("/experiences/check-in", endpoint="check_in_code")
def check_in_code():
    day = as_day(request.args.get("day")) or local_today()
    try:
        booking = checkin.check_in_by_code(checkin.at_workshop(current_user.producer, day),
                                           request.form.get("code", ""), current_user)
    except tickets.TicketError as error:
        flash(str(error), "error")
    else:
        flash(_("Đã check-in %(name)s: %(seats)d người, %(title)s.", name=booking.order.name,
                seats=booking.seats, title=booking.experience.title), "success")
    return redirect(url_for("producer.check_in", day=day.isoformat()), 303)
