"""Outlet staff: goods a shopper gives back after hand-over (the form on the pickup page)."""
from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..i18n import format_vnd
from ..outlets.pages import staff_pickup
from ..web.outlet import bp
from . import services
from .forms import ReturnForm


@bp.post("/pickups/<int:pickup_id>/returns", endpoint="record_return")
def record_return(pickup_id: int):
    pickup = staff_pickup(pickup_id)
    form = ReturnForm(returnable=services.returnable(pickup))
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(" ".join(map(str, errors)), "error")
        return redirect(url_for("outlet.pickup", pickup_id=pickup.id, _anchor="return"), 303)
    try:
        returned = services.record_return(pickup, form.line_id.data, form.quantity.data,
                                          form.reason.data, resaleable=form.resaleable.data,
                                          by=current_user)
    except services.ReturnRefused as error:
        flash(str(error), "error")
    else:
        flash(_("Đã nhận lại %(quantity)d × %(name)s; hoàn %(amount)s cho khách theo cách khách đã "
                "trả tiền, hoá đơn điện tử được điều chỉnh.", quantity=returned.quantity,
                name=returned.line.product_name, amount=format_vnd(returned.amount)), "success")
    return redirect(url_for("outlet.pickup", pickup_id=pickup.id, _anchor="return"), 303)


@bp.record_once
def _register_helpers(state) -> None:
    state.app.jinja_env.globals.update(
        goods_return_form=lambda pickup: ReturnForm(formdata=None, returnable=services.returnable(pickup)),
        goods_returns_of=services.returns_of)
