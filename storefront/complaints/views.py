"""The shopper's side: complain about an order from its page (its private link, no account needed)."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ..accounts.models import Role
from ..catalog.links import absolute_url
from ..i18n import format_day
from ..images import ImageRejected
from ..orders.viewing import actor, viewed_order
from ..web.shop import bp
from . import queries, services
from .forms import ComplaintForm, ComplaintReplyForm
from .models import CATEGORY_LABELS, STATUS_LABELS
from .photos import photo_response


def _signed_in(by):
    return None if by == "guest" else by


@bp.route("/orders/<number>/complaints", methods=["GET", "POST"], endpoint="order_complaints")
def order_complaints(number: str):
    order, _token = viewed_order(number)
    form = ComplaintForm().for_order(order)
    if form.validate_on_submit():
        photo = form.photo.data.read() if form.photo.data else None
        try:
            complaint = services.file_complaint(
                order, category=form.category.data, message=form.message.data,
                outlet_id=form.outlet_id.data or None, photo=photo, by=_signed_in(actor()))
        except (services.ComplaintError, ImageRejected) as error:
            form.photo.errors.append(str(error))
        else:
            flash(_("Đã gửi khiếu nại %(ref)s. Chúng tôi sẽ trả lời trước ngày %(day)s.",
                    ref=complaint.reference, day=format_day(complaint.answer_by)),
                  "success")
            return redirect(url_for("shop.order_complaints", number=number), 303)
    return render_template("complaints/order.html", order=order, form=form,
                           complaints=queries.complaints_of(order), reply_form=ComplaintReplyForm(),
                           CATEGORY_LABELS=CATEGORY_LABELS, STATUS_LABELS=STATUS_LABELS)


@bp.post("/orders/<number>/complaints/<int:complaint_id>/reply")
def reply_to_complaint(number: str, complaint_id: int):
    order, _token = viewed_order(number)
    complaint = queries.complaint_of(order, complaint_id)
    form = ComplaintReplyForm()
    if not form.validate_on_submit():
        flash(_("Vui lòng viết nội dung."), "error")
    else:
        try:
            services.reply(complaint, form.message.data, by=_signed_in(actor()))
        except services.ComplaintError as error:
            flash(str(error), "error")
        else:
            flash(_("Đã gửi trả lời của bạn."), "success")
    return redirect(url_for("shop.order_complaints", number=number), 303)


@bp.post("/orders/<number>/complaints/<int:complaint_id>/resolve")
def resolve_complaint(number: str, complaint_id: int):
    order, _token = viewed_order(number)
    complaint = queries.complaint_of(order, complaint_id)
    try:
        services.resolve(complaint, by=_signed_in(actor()))
    except services.ComplaintError as error:
        flash(str(error), "error")
    else:
        flash(_("Cảm ơn bạn. Khiếu nại đã được đánh dấu là đã giải quyết."), "success")
    return redirect(url_for("shop.order_complaints", number=number), 303)


@bp.get("/orders/<number>/complaints/<int:complaint_id>/photo")
def complaint_photo(number: str, complaint_id: int):
    order, _token = viewed_order(number)
    return photo_response(queries.complaint_of(order, complaint_id))


def complaint_category(complaint) -> str:
    return str(CATEGORY_LABELS[complaint.category])


def complaint_staff_url(complaint, staff) -> str:
    """Return where ``staff`` (an admin or the outlet's staff) answers the complaint."""
    area = "admin" if staff.role == Role.ADMIN else "outlet"
    return absolute_url(f"{area}.complaint", complaint_id=complaint.id)


@bp.record_once
def _register_helpers(state) -> None:
    state.app.jinja_env.globals.update(complaint_category=complaint_category,
                                       complaint_staff_url=complaint_staff_url)
