"""Outlet staff: the cash expected in the drawer now, closing a shift, paying the cash in."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..outlets.pages import staff_outlet
from ..web.outlet import bp
from . import cash
from .forms import RemittanceForm, ShiftForm


@bp.get("/cash", endpoint="cash")
def cash_page():
    outlet = staff_outlet()
    return render_template("finance/outlet_cash.html", outlet=outlet,
                           expected=cash.expected_in_drawer(outlet.id),
                           shifts=cash.shifts_of(outlet.id),
                           remittances=cash.remittances(outlet_id=outlet.id)[:20],
                           shift_form=ShiftForm(formdata=None),
                           remittance_form=RemittanceForm(formdata=None))


def _act(form, action, message: str):
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(" ".join(map(str, errors)), "error")
        return redirect(url_for("outlet.cash"), 303)
    try:
        action()
    except cash.CashError as error:
        flash(str(error), "error")
    else:
        flash(message, "success")
    return redirect(url_for("outlet.cash"), 303)


@bp.post("/cash/shift")
def close_shift():
    form = ShiftForm()
    return _act(form, lambda: cash.close_shift(staff_outlet().id, form.counted.data,
                                               current_user.email, form.note.data or ""),
                _("Đã chốt ca."))


@bp.post("/cash/remittances")
def record_remittance():
    form = RemittanceForm()
    return _act(form, lambda: cash.record_remittance(staff_outlet().id, form.amount.data,
                                                     form.reference.data, current_user.email),
                _("Đã ghi nhận khoản nộp tiền; quản trị viên sẽ xác nhận."))


@bp.context_processor
def _cash_expected_now():
    """Every counter page shows the cash the drawer should hold (in the area's menu)."""
    def drawer_expected() -> int | None:
        outlet = getattr(current_user, "outlet", None)
        return cash.expected_in_drawer(outlet.id) if outlet is not None else None
    return {"drawer_expected": drawer_expected}
