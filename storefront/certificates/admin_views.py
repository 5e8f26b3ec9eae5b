"""Admin: certificates expiring in the next 30/60/90 days; revoking a certificate."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..redirects import safe_next
from ..timeutil import local_today
from ..web.admin import bp
from .forms import RevokeForm
from .renewals import WINDOWS, expiring_for_admins
from .revocation import RevokeRefused, revoke

@bp.get("/certificates/expiring", endpoint="expiring_certificates")
def expiring():
    try:
        within = int(request.args.get("within", WINDOWS[0]))
    except ValueError:
        abort(404)
    if within not in WINDOWS:
        abort(404)
    return render_template("certificates/expiring.html", within=within, windows=WINDOWS,
                           certificates=expiring_for_admins(within), today=local_today(),
                           form=RevokeForm())


@bp.post("/certificates/<int:certificate_id>/revoke")
def revoke_certificate(certificate_id: int):
    form = RevokeForm()
    back = safe_next(request.form.get("next"), url_for("admin.certificates", status="verified"))
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(" ".join(map(str, errors)), "error")
        return redirect(back)
    try:
        certificate = revoke(certificate_id, form.reason.data, by=current_user._get_current_object())
    except RevokeRefused as error:
        flash(str(error), "error")
        return redirect(back)
    flash(_("Đã thu hồi chứng nhận %(number)s.", number=certificate.decision_number), "success")
    return redirect(back)
