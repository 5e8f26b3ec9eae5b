"""Outlet staff dashboard: pickups, receiving goods, hand-over."""
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db, limiter
from ..i18n import format_vnd
from ..orders import dues, services
from ..orders.models import (
    COUNTER_METHOD_LABELS, LINE_STATUS_LABELS, PICKUP_STATUS_LABELS, PaymentMethod, PickupStatus,
)
from ..timeutil import local_today, utcnow
from ..web.outlet import bp, camera_allowed
from . import queries
from .pages import staff_outlet as _outlet, staff_pickup as _pickup_or_404
from .forms import TAB_LABELS, CancelForm, CodeLookupForm, HandOverForm, PickupFilterForm

PER_PAGE = 20


@bp.context_processor
def labels():
    """The labels every outlet page may show."""
    return {"pickup_labels": PICKUP_STATUS_LABELS, "line_labels": LINE_STATUS_LABELS,
            "PickupStatus": PickupStatus, "PaymentMethod": PaymentMethod,
            "amount_due": dues.amount_due, "counter_payment_of": dues.counter_payment_of,
            "counter_method_labels": COUNTER_METHOD_LABELS}


def _lookup_key() -> str:
    return f"outlet-code-lookup:{current_user.id}"


@bp.get("/")
def index():
    filters = PickupFilterForm(request.args)
    day = filters.day.data if filters.validate() else None
    tab, today = filters.chosen_tab, local_today()
    page = db.paginate(queries.listed_pickups(_outlet(), tab, day, today=today),
                       page=request.args.get("page", 1, type=int), per_page=PER_PAGE,
                       error_out=False)
    return render_template("outlets/index.html", outlet=_outlet(), filters=filters, page=page,
                           tab=tab, tabs=TAB_LABELS, day=day, counts=queries.tab_counts(_outlet()),
                           today=today,
                           page_url=lambda n: url_for(".index", tab=tab, day=day, page=n))


@bp.get("/pickups/<int:pickup_id>")
@camera_allowed
def pickup(pickup_id: int):
    return render_pickup(_pickup_or_404(pickup_id))


def render_pickup(pickup, *, hand_over_form=None, cancel_form=None, code_checked=False,
                   status=200):
    return render_template(
        "outlets/pickup.html", pickup=pickup, order=pickup.order, code_checked=code_checked,
        hand_over_form=hand_over_form or HandOverForm(formdata=None),
        cancel_form=cancel_form or CancelForm(formdata=None),
        events=[e for e in pickup.order.events if e.pickup_id == pickup.id],
        max_tries=current_app.config["PICKUP_CODE_MAX_TRIES"], now=utcnow(),
    ), status


@bp.post("/pickups/<int:pickup_id>/lines/<int:line_id>/receive")
def receive(pickup_id: int, line_id: int):
    pickup = _pickup_or_404(pickup_id)
    line = queries.line_of(pickup, line_id)
    if line is None:
        abort(404)
    try:
        services.receive_line(line, by=current_user)
    except services.OrderError as error:
        flash(str(error), "error")
    else:
        flash(_("Đã nhận “%(name)s” từ cơ sở sản xuất.", name=line.product_name), "success")
        if pickup.status == PickupStatus.READY:
            flash(_("Đã nhận đủ hàng: đơn sẵn sàng giao, khách đã được báo."), "success")
    return redirect(url_for(".pickup", pickup_id=pickup.id))


@bp.post("/pickups/<int:pickup_id>/hand-over")
@camera_allowed
def hand_over(pickup_id: int):
    pickup = _pickup_or_404(pickup_id)
    form = HandOverForm()
    if not form.validate_on_submit():
        return render_pickup(pickup, hand_over_form=form, status=422)
    try:
        paid = services.hand_over(pickup, form.code.data, by=current_user,
                                  collected=form.collected.data or None, amount=form.amount.data)
    except services.PaymentNotCollected as error:  # the code is right: now the money, one step
        if isinstance(error, services.AmountDueChanged):
            flash(str(error), "error")
        return render_pickup(pickup, hand_over_form=form, code_checked=True)
    except services.WrongPickupCode as error:
        flash(_wrong_code_message(pickup, error), "error")
    except services.OrderError as error:
        flash(str(error), "error")
    else:
        flash(_handed_over_message(pickup, paid), "success")
    return redirect(url_for(".pickup", pickup_id=pickup.id))


def _handed_over_message(pickup, paid) -> str:
    if paid is None:
        return _("Đã giao đơn %(number)s cho khách.", number=pickup.order.number)
    return _("Đã thu %(amount)s (%(method)s) và giao đơn %(number)s cho khách.",
             amount=format_vnd(paid.amount), method=COUNTER_METHOD_LABELS[paid.method],
             number=pickup.order.number)


def _wrong_code_message(pickup, error) -> str:
    left = current_app.config["PICKUP_CODE_MAX_TRIES"] - pickup.failed_code_attempts
    if pickup.code_locked_until is not None and pickup.code_locked_until > utcnow():
        return _("%(error)s Đã nhập sai quá nhiều lần: tạm khoá giao hàng 15 phút.",
                 error=str(error))
    return _("%(error)s Còn %(left)d lần thử.", error=str(error), left=left)


@bp.post("/pickups/<int:pickup_id>/cancel")
def cancel(pickup_id: int):
    pickup = _pickup_or_404(pickup_id)
    form = CancelForm()
    if not form.validate_on_submit():
        return render_pickup(pickup, cancel_form=form, status=422)
    try:
        services.cancel_pickup(pickup, by=current_user, reason=form.reason.data)
    except services.OrderError as error:
        flash(str(error), "error")
    else:
        flash(_("Đã huỷ đơn nhận hàng; hàng đã được trả lại kho."), "success")
    return redirect(url_for(".pickup", pickup_id=pickup.id))


@bp.get("/lookup")
@camera_allowed
def scan():
    """Show the camera scanner and the typed-code field that find a ready pickup."""
    return render_template("outlets/lookup.html", form=CodeLookupForm(formdata=None), pickup=None,
                           hand_over_form=None)


@bp.post("/lookup")
@camera_allowed
@limiter.limit("30 per minute", key_func=_lookup_key)
def lookup():
    form = CodeLookupForm()
    found = None
    if form.validate_on_submit():
        found = queries.ready_pickup_with_code(_outlet(), form.code.data)
        if found is None:
            form.code.errors.append(_("Không có đơn sẵn sàng nào tại điểm bán này khớp với mã này."))
    return render_template("outlets/lookup.html", form=form, pickup=found,
                           hand_over_form=HandOverForm(formdata=None, code=form.code.data)), \
        200 if found else 422
