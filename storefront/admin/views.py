"""Admin dashboard: verify producers and certificates; villages, outlets and users."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.forms import ROLE_LABELS
from ..accounts.models import Role, User
from ..catalog.models import (
    ISSUING_LEVEL_LABELS, PLACE_TYPE_LABELS, PRODUCER_KIND_LABELS, REVIEW_LABELS, Certificate,
    Outlet, Producer, ReviewStatus, Village,
)
from ..extensions import db
from ..payments import refunds
from ..timeutil import local_today
from ..web.admin import bp
from . import places, services, users, worklist
from .forms import ActionForm, OutletForm, ReviewForm, StaffForm, VillageForm


@bp.context_processor
def _labels():
    return {"review_labels": REVIEW_LABELS, "kind_labels": PRODUCER_KIND_LABELS,
            "level_labels": ISSUING_LEVEL_LABELS, "place_labels": PLACE_TYPE_LABELS,
            "role_labels": ROLE_LABELS, "statuses": list(ReviewStatus)}


def _admin() -> User:
    return current_user._get_current_object()


def _status_arg() -> str:
    status = request.args.get("status", ReviewStatus.PENDING)
    if status not in set(ReviewStatus):
        abort(404)
    return status


def _attempt(action, done_message: str) -> bool:
    """Run an admin action, flashing its outcome; return whether it succeeded."""
    try:
        action()
    except services.AdminError as error:
        flash(str(error), "error")
        return False
    flash(done_message, "success")
    return True


def _valid(form) -> bool:
    """Validate a small inline form, flashing its errors when it fails."""
    if form.validate_on_submit():
        return True
    for errors in form.errors.values():
        flash(" ".join(map(str, errors)), "error")
    return False


def _attach(form, error: services.AdminError) -> None:
    """Show a refused save next to the field it concerns, or above the form."""
    field = form._fields.get(error.field) if error.field else None
    (field.errors if field is not None else form.form_errors).append(str(error))


@bp.get("/")
def index():
    return render_template("admin/index.html", counts=worklist.todo_counts(),
                           expiring_days=worklist.EXPIRING_WITHIN_DAYS)


@bp.get("/orders/<number>")
def order(number: str):
    """Show any order to an admin, read-only: its pickups, its money and its history."""
    found = worklist.order_for_admin(number)
    if found is None:
        abort(404)
    return render_template("admin/order.html", order=found, money=worklist.money_of(found),
                           **worklist.ORDER_LABELS)


@bp.get("/producers")
def producers():
    status = _status_arg()
    return render_template("admin/producers.html", status=status, form=ReviewForm(),
                           producers=services.producers_with_status(status),
                           statuses=[s for s in ReviewStatus if s != ReviewStatus.REVOKED])


@bp.post("/producers/<int:producer_id>/<any(verify, reject):decision>")
def review_producer(producer_id: int, decision: str):
    producer = db.get_or_404(Producer, producer_id)
    form = ReviewForm()
    if _valid(form):
        note = form.note.data
        if decision == "verify":
            _attempt(lambda: services.verify_producer(producer, by=_admin(), note=note),
                     _("Đã xác minh cơ sở “%(name)s”.", name=producer.name))
        else:
            _attempt(lambda: services.reject_producer(producer, by=_admin(), reason=note),
                     _("Đã từ chối cơ sở “%(name)s”.", name=producer.name))
    return redirect(url_for(".producers", status=request.args.get("status", "pending")))


@bp.get("/certificates")
def certificates():
    status = _status_arg()
    return render_template("admin/certificates.html", status=status, form=ReviewForm(),
                           certificates=services.certificates_with_status(status),
                           today=local_today())


@bp.post("/certificates/<int:certificate_id>/<any(verify, reject):decision>")
def review_certificate(certificate_id: int, decision: str):
    certificate = db.get_or_404(Certificate, certificate_id)
    form = ReviewForm()
    if _valid(form):
        note, number = form.note.data, certificate.decision_number
        if decision == "verify":
            _attempt(lambda: services.verify_certificate(certificate, by=_admin(), note=note),
                     _("Đã xác minh chứng nhận %(number)s.", number=number))
        else:
            _attempt(lambda: services.reject_certificate(certificate, by=_admin(), reason=note),
                     _("Đã từ chối chứng nhận %(number)s.", number=number))
    return redirect(url_for(".certificates", status=request.args.get("status", "pending")))


@bp.get("/villages")
def villages():
    return render_template("admin/villages.html", villages=places.all_villages())


@bp.route("/villages/new", methods=["GET", "POST"])
@bp.route("/villages/<int:village_id>/edit", methods=["GET", "POST"])
def edit_village(village_id: int | None = None):
    village = db.get_or_404(Village, village_id) if village_id is not None else None
    form = VillageForm(obj=village)
    if form.validate_on_submit():
        try:
            saved = places.save_village(village, by=_admin(), values=form.values())
        except services.AdminError as error:
            _attach(form, error)
        else:
            flash(_("Đã lưu làng nghề “%(name)s”.", name=saved.name), "success")
            return redirect(url_for(".villages"))
    return render_template("admin/village_form.html", form=form, village=village)


@bp.get("/refunds")
def failed_refunds():
    """Card refunds Stripe failed: the money must reach the shopper another way."""
    return render_template("admin/refunds.html", refunds=refunds.failed_refunds())


@bp.get("/outlets")
def outlets():
    return render_template("admin/outlets.html", outlets=places.all_outlets())


@bp.route("/outlets/new", methods=["GET", "POST"])
@bp.route("/outlets/<int:outlet_id>/edit", methods=["GET", "POST"])
def edit_outlet(outlet_id: int | None = None):
    outlet = db.get_or_404(Outlet, outlet_id) if outlet_id is not None else None
    form = OutletForm(obj=outlet)
    form.set_villages(places.all_villages(), _("— Không thuộc làng nghề —"))
    if form.validate_on_submit():
        try:
            saved = places.save_outlet(outlet, by=_admin(), values=form.values())
        except services.AdminError as error:
            _attach(form, error)
        else:
            flash(_("Đã lưu điểm bán “%(name)s”.", name=saved.name), "success")
            return redirect(url_for(".outlets"))
    return render_template("admin/outlet_form.html", form=form, outlet=outlet)


@bp.get("/users")
def user_list():
    role = request.args.get("role") or None
    if role is not None and role not in set(Role):
        abort(404)
    return render_template("admin/users.html", users=users.users_with_role(role), role=role,
                           form=ActionForm())


@bp.route("/users/staff/new", methods=["GET", "POST"])
def new_staff():
    form = StaffForm()
    form.set_outlets(places.all_outlets(), _("— Chọn điểm bán —"))
    if form.validate_on_submit():
        try:
            user = users.create_staff(
                by=_admin(), outlet=db.session.get(Outlet, form.outlet_id.data),
                name=form.name.data, email=form.email.data, password=form.password.data,
                phone=form.phone.data)
        except services.AdminError as error:
            _attach(form, error)
        else:
            flash(_("Đã tạo tài khoản nhân viên %(email)s.", email=user.email), "success")
            return redirect(url_for(".user_list", role=Role.OUTLET_STAFF))
    return render_template("admin/staff_form.html", form=form)


@bp.post("/users/<int:user_id>/<any(enable, disable):action>")
def set_user_active(user_id: int, action: str):
    user = db.get_or_404(User, user_id)
    active = action == "enable"
    message = (_("Đã mở khóa tài khoản %(email)s.", email=user.email) if active
               else _("Đã khóa tài khoản %(email)s.", email=user.email))
    _attempt(lambda: users.set_active(user, active, by=_admin()), message)
    return redirect(url_for(".user_list", role=request.args.get("role") or None))
