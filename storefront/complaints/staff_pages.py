"""What the admin's and the outlet's complaint pages share: the list, one complaint, the answer."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from . import queries, services
from .forms import ComplaintAnswerForm
from .models import CATEGORY_LABELS, STATUS_LABELS, Status
from .photos import photo_response


def list_page(area: str):
    status = request.args.get("status")
    status = status if status in set(Status) else None
    return render_template("complaints/staff_list.html", area=area, status=status,
                           complaints=queries.complaints_for(current_user, status),
                           CATEGORY_LABELS=CATEGORY_LABELS, STATUS_LABELS=STATUS_LABELS)


def detail_page(area: str, complaint_id: int):
    complaint = queries.complaint_for(current_user, complaint_id)
    form = ComplaintAnswerForm()
    if form.validate_on_submit():
        try:
            services.answer(complaint, form.message.data, current_user, resolve=form.resolve.data)
        except services.ComplaintError as error:
            flash(str(error), "error")
        else:
            flash(_("Đã gửi trả lời cho khách."), "success")
            return redirect(url_for(f"{area}.complaint", complaint_id=complaint.id), 303)
    return render_template("complaints/staff_detail.html", area=area, complaint=complaint,
                           form=form, CATEGORY_LABELS=CATEGORY_LABELS, STATUS_LABELS=STATUS_LABELS)


def photo(complaint_id: int):
    return photo_response(queries.complaint_for(current_user, complaint_id))
