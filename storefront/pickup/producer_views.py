"""Producer: lead time and delivery days; what to bring where, by which day."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..timeutil import local_today
from ..web.producer import bp
from . import board, services
from .forms import DeliveryForm

def _product_leads(products, formdata) -> tuple[dict[int, int | None], list[str]]:
    """Read each product's own lead time (``lead-<id>``; blank: the producer's) from the form."""
    leads, errors = {}, []
    for product in products:
        raw = (formdata.get(f"lead-{product.id}") or "").strip()
        if not raw:
            leads[product.id] = None
        elif raw.isdigit() and int(raw) <= 60:
            leads[product.id] = int(raw)
        else:
            errors.append(_("Số ngày của “%(name)s” phải từ 0 đến 60, hoặc để trống.",
                            name=product.name))
    return leads, errors


@bp.route("/deliveries", methods=["GET", "POST"])
def deliveries():
    producer = current_user.producer
    form = DeliveryForm(obj=None if request.method == "POST" else producer)
    if request.method == "GET":
        form.weekdays.data = [int(c) for c in producer.delivery_weekdays if c.isdigit()]
    leads, lead_errors = _product_leads(producer.products, request.form)
    if request.method == "POST":
        if form.validate() and not lead_errors:
            services.save_delivery(producer, form.lead_days.data, form.weekdays.data, leads)
            flash(_("Đã lưu thời gian chuẩn bị và ngày giao hàng."), "success")
            return redirect(url_for(".deliveries"), 303)
        form.form_errors.extend(lead_errors)
    status = 422 if request.method == "POST" else 200
    return render_template("pickup/producer_deliveries.html", producer=producer, form=form,
                           lines=board.due_lines(producer), today=local_today()), status
