"""Admins: data-subject requests with their due dates (/admin/data-requests), incidents (/admin/incidents)."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from ..timeutil import local_today
from ..web.admin import bp
from . import incidents, requests
from .erasure import ErasureRefused
from .forms import IncidentForm, RequestActionForm
from .models import REQUEST_KIND_LABELS, REQUEST_STATUS_LABELS, DataRequest, Incident

ACTIONS = {
    "acknowledge": lambda r, note, by: requests.acknowledge(r, by),
    "extend": requests.extend,
    "complete": requests.complete,
    "refuse": requests.refuse,
}


@bp.get("/data-requests", endpoint="data_requests")
def data_requests():
    status = "open" if request.args.get("status") == "open" else None
    return render_template("privacy/admin_requests.html", status=status,
                           requests=requests.all_requests(status), next_due=requests.next_due,
                           today=local_today(), KIND_LABELS=REQUEST_KIND_LABELS,
                           STATUS_LABELS=REQUEST_STATUS_LABELS)


@bp.route("/data-requests/<int:request_id>", methods=["GET", "POST"], endpoint="data_request")
def data_request(request_id: int):
    asked = db.get_or_404(DataRequest, request_id)
    form = RequestActionForm()
    action = ACTIONS.get(request.form.get("action", ""))
    if form.validate_on_submit() and action:
        try:
            action(asked, form.note.data, current_user)
        except (requests.RequestError, ErasureRefused) as error:
            flash(str(error), "error")
        else:
            flash(_("Đã cập nhật yêu cầu %(ref)s.", ref=asked.reference), "success")
            return redirect(url_for("admin.data_request", request_id=asked.id), 303)
    return render_template("privacy/admin_request.html", asked=asked, form=form,
                           contact=requests.requester_contact(asked), next_due=requests.next_due,
                           today=local_today(), KIND_LABELS=REQUEST_KIND_LABELS,
                           STATUS_LABELS=REQUEST_STATUS_LABELS)


def _facts(form: IncidentForm) -> dict:
    return {name: form[name].data for name in ("title", "discovered_at", "occurred_at",
                                               "description", "data_affected", "people_affected",
                                               "measures", "reported_at")}


@bp.route("/incidents", methods=["GET", "POST"], endpoint="incidents")
def incident_register():
    form = IncidentForm()
    if form.validate_on_submit():
        incident = incidents.record(current_user, **_facts(form))
        flash(_("Đã ghi sự cố #%(id)s.", id=incident.id), "success")
        return redirect(url_for("admin.incidents"), 303)
    return render_template("privacy/admin_incidents.html", form=form,
                           incidents=incidents.all_incidents(), report_due=incidents.report_due)


@bp.route("/incidents/<int:incident_id>", methods=["GET", "POST"], endpoint="incident")
def incident(incident_id: int):
    found = db.session.get(Incident, incident_id) or abort(404)
    form = IncidentForm(obj=found)
    if form.validate_on_submit():
        incidents.update(found, close=form.close.data, **_facts(form))
        flash(_("Đã lưu sự cố #%(id)s.", id=found.id), "success")
        return redirect(url_for("admin.incidents"), 303)
    return render_template("privacy/admin_incident.html", form=form, incident=found,
                           report_due=incidents.report_due)
