"""The check-in page's two steps, shared by an outlet's staff and a producer at their workshop.

A ticket paid at the venue is checked in like a pay-at-pickup pickup at the counter: the code is
checked, then the page shows the amount with one button per method ("collected N ₫ in cash —
check in"), which records the money and checks in at once (``money.collect``).
"""
from flask import flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from ..i18n import format_vnd
from ..orders.models import COUNTER_METHOD_LABELS
from . import checkin, money, tickets


def render(*, layout: str, place: str, day, sheets, action: str, collect=None, status: int = 200):
    return render_template("bookings/checkin.html", layout=layout, day=day, place=place, sheets=sheets,
                           action=action, collect=collect,
                           counter_method_labels=COUNTER_METHOD_LABELS), status


def post(*, layout: str, place: str, day, sheets, action: str, back: str):
    """Check in the posted code (and take the money the page showed, if it was posted)."""
    code = request.form.get("code", "")
    amount = request.form.get("amount", type=int)
    try:
        booking = checkin.check_in_by_code(sheets, code, current_user,
                                           collected=request.form.get("collected") or None, amount=amount)
    except money.MoneyNotCollected as error:  # the code is right: now the money, one step
        if isinstance(error, money.AmountChanged):
            flash(str(error), "error")
        collect = {"booking": error.booking, "amount": error.amount, "code": code}
        return render(layout=layout, place=place, day=day, sheets=sheets, action=action, collect=collect)
    except tickets.TicketError as error:
        flash(str(error), "error")
    else:
        paid = booking.payment
        if paid is not None:
            flash(_("Đã thu %(amount)s (%(method)s) và check-in %(name)s: %(seats)d người, %(title)s.",
                    amount=format_vnd(paid.amount), method=COUNTER_METHOD_LABELS[paid.method],
                    name=booking.order.name, seats=booking.seats, title=booking.experience.title), "success")
        else:
            flash(_("Đã check-in %(name)s: %(seats)d người, %(title)s.", name=booking.order.name,
                    seats=booking.seats, title=booking.experience.title), "success")
    return redirect(back, 303)
