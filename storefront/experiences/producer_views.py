"""The producer's experience pages under ``/producer/experiences``: details, prices, pattern, sessions.

Every experience and session is loaded through ``services.experience_of`` / ``session_of``, so
another producer's is simply not found.
"""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from ..web.producer import bp
from . import services
from .errors import ExperienceError
from .forms import (
    CancelSessionForm, ExceptionForm, ExperienceForm, PricesForm, SlotForm, WEEKDAYS, prices_from,
)
from .models import SESSION_STATUS_LABELS
from .sessions import cancel_session


def _producer():
    return current_user.producer


def _experience(experience_id: int):
    return services.experience_of(_producer(), experience_id)


def _to_schedule(experience):
    return redirect(url_for(".experience_schedule", experience_id=experience.id))


@bp.get("/experiences")
def experiences():
    found = db.session.scalars(services.experiences_of(_producer())).all()
    # The seats booked and held in each: ``experience_seats`` (``bookings.seat_counts``).
    return render_template("experiences/producer_list.html", experiences=found)


@bp.route("/experiences/new", methods=["GET", "POST"])
def new_experience():
    form = ExperienceForm(outlets=services.active_outlets())
    if form.validate_on_submit():
        try:
            experience = services.create_experience(_producer(), form.details())
        except ExperienceError as exc:
            flash(str(exc.message), "error")
        else:
            flash(_("Đã tạo trải nghiệm (bản nháp). Tiếp theo: giá vé và lịch."), "success")
            return _to_schedule(experience)
    return render_template("experiences/producer_form.html", form=form, experience=None)


@bp.route("/experiences/<int:experience_id>/edit", methods=["GET", "POST"])
def edit_experience(experience_id: int):
    experience = _experience(experience_id)
    form = ExperienceForm(obj=experience, outlets=services.active_outlets())
    if not form.is_submitted():
        product = experience.product
        form.title_vi.data, form.title_en.data = product.name_vi, product.name_en
        form.description_vi.data, form.description_en.data = product.description_vi, product.description_en
        form.group.data, form.languages.data = product.group, experience.language_codes
        form.outlet_id.data = experience.outlet_id or 0
    if form.validate_on_submit():
        try:
            services.update_experience(experience, form.details())
        except ExperienceError as exc:
            flash(str(exc.message), "error")
        else:
            flash(_("Đã lưu trải nghiệm."), "success")
            return _to_schedule(experience)
    return render_template("experiences/producer_form.html", form=form, experience=experience)


@bp.get("/experiences/<int:experience_id>")
def experience_schedule(experience_id: int):
    experience = _experience(experience_id)
    return render_template("experiences/producer_schedule.html", experience=experience,
                           sessions=services.upcoming_sessions(experience), prices_form=PricesForm(),
                           slot_form=SlotForm(), exception_form=ExceptionForm(),
                           cancel_form=CancelSessionForm(), WEEKDAYS=dict(WEEKDAYS),
                           SESSION_STATUS_LABELS=SESSION_STATUS_LABELS)


@bp.post("/experiences/<int:experience_id>/prices")
def experience_prices(experience_id: int):
    experience = _experience(experience_id)
    prices = prices_from(request.form, experience.person_types)
    if not PricesForm().validate_on_submit() or prices is None:
        flash(_("Giá vé phải là số nguyên đồng."), "error")
        return _to_schedule(experience)
    try:
        services.set_prices(experience, prices)
        flash(_("Đã lưu giá vé."), "success")
    except ExperienceError as exc:
        flash(str(exc.message), "error")
    return _to_schedule(experience)


@bp.post("/experiences/<int:experience_id>/slots")
def add_experience_slot(experience_id: int):
    experience = _experience(experience_id)
    form = SlotForm()
    if form.validate_on_submit():
        try:
            services.add_slot(experience, form.weekday.data, form.starts_at.data, form.capacity.data,
                              form.valid_from.data, form.valid_until.data)
            flash(_("Đã thêm buổi hằng tuần và mở lịch."), "success")
        except ExperienceError as exc:
            flash(str(exc.message), "error")
    else:
        flash(_("Hãy chọn thứ, giờ bắt đầu và số chỗ."), "error")
    return _to_schedule(experience)


@bp.post("/experiences/<int:experience_id>/slots/<int:slot_id>/delete")
def remove_experience_slot(experience_id: int, slot_id: int):
    experience = _experience(experience_id)
    if PricesForm().validate_on_submit():  # a form with only the CSRF token
        services.remove_slot(experience, slot_id)
        flash(_("Đã bỏ buổi hằng tuần; các buổi đã có người đặt vẫn giữ nguyên."), "success")
    return _to_schedule(experience)


@bp.post("/experiences/<int:experience_id>/exceptions")
def add_experience_exception(experience_id: int):
    experience = _experience(experience_id)
    form = ExceptionForm()
    if form.validate_on_submit():
        try:
            services.add_exception(experience, form.kind.data, form.day.data, form.starts_at.data,
                                   form.capacity.data, form.note.data)
            flash(_("Đã lưu ngoại lệ và cập nhật lịch."), "success")
        except ExperienceError as exc:
            flash(str(exc.message), "error")
    else:
        flash(_("Hãy nhập ngày hợp lệ."), "error")
    return _to_schedule(experience)


@bp.post("/experiences/<int:experience_id>/exceptions/<int:exception_id>/delete")
def remove_experience_exception(experience_id: int, exception_id: int):
    experience = _experience(experience_id)
    if PricesForm().validate_on_submit():  # a form with only the CSRF token
        services.remove_exception(experience, exception_id)
        flash(_("Đã bỏ ngoại lệ và cập nhật lịch."), "success")
    return _to_schedule(experience)


@bp.post("/experience-sessions/<int:session_id>/cancel")
def cancel_experience_session(session_id: int):
    session = services.session_of(_producer(), session_id)
    form = CancelSessionForm()
    if form.validate_on_submit():
        try:
            cancel_session(session, by=current_user, reason=form.reason.data)
            flash(_("Đã huỷ buổi. Khách đã đặt sẽ được báo và hoàn tiền."), "success")
        except ExperienceError as exc:
            flash(str(exc.message), "error")
    else:
        flash(_("Hãy đánh dấu xác nhận trước khi huỷ buổi."), "error")
    return redirect(url_for(".experience_schedule", experience_id=session.experience_id))
