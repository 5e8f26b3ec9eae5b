"""Admin: an outlet's opening hours, closures, pickup instructions and daily pickup limit."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ..catalog.models import Outlet
from ..extensions import db
from ..timeutil import local_today
from ..web.admin import bp
from . import services
from .display import weekly_hours
from .forms import ClosureForm, OutletPickupForm



def _outlet(outlet_id: int) -> Outlet:
    outlet = db.session.get(Outlet, outlet_id)
    if outlet is None:
        abort(404)
    return outlet


def _render(outlet, form=None, closure_form=None, status=200):
    if form is None:
        form = OutletPickupForm(obj=outlet, formdata=None)
        form.fill(weekly_hours(outlet))
    today = local_today()
    return render_template("pickup/admin_outlet.html", outlet=outlet, form=form,
                           closure_form=closure_form or ClosureForm(formdata=None),
                           closures=[c for c in outlet.closures if c.last_day >= today]), status


@bp.get("/outlets/<int:outlet_id>/pickup", endpoint="outlet_pickup")
def edit(outlet_id: int):
    return _render(_outlet(outlet_id))


@bp.post("/outlets/<int:outlet_id>/pickup", endpoint="save_outlet_pickup")
def save(outlet_id: int):
    outlet = _outlet(outlet_id)
    form = OutletPickupForm()
    if not form.validate():
        return _render(outlet, form=form, status=422)
    services.save_outlet_pickup(outlet, form.week(), instructions_vi=form.instructions_vi.data,
                                instructions_en=form.instructions_en.data,
                                pickups_per_day=form.pickups_per_day.data)
    flash(_("Đã lưu giờ mở cửa và cách nhận hàng của %(name)s.", name=outlet.display_name), "success")
    return redirect(url_for(".outlet_pickup", outlet_id=outlet.id), 303)


@bp.post("/outlets/<int:outlet_id>/closures")
def add_closure(outlet_id: int):
    outlet = _outlet(outlet_id)
    form = ClosureForm()
    if not form.validate():
        return _render(outlet, closure_form=form, status=422)
    services.add_closure(outlet, form.first_day.data, form.last_day.data, form.reason.data,
                         form.reason_en.data)
    flash(_("Đã thêm ngày nghỉ."), "success")
    return redirect(url_for(".outlet_pickup", outlet_id=outlet.id), 303)


@bp.post("/outlets/<int:outlet_id>/closures/<int:closure_id>/delete")
def remove_closure(outlet_id: int, closure_id: int):
    outlet = _outlet(outlet_id)
    if not services.remove_closure(outlet, closure_id):
        abort(404)
    flash(_("Đã xoá ngày nghỉ."), "success")
    return redirect(url_for(".outlet_pickup", outlet_id=outlet.id), 303)
