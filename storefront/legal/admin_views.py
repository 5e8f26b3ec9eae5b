"""Admins read every policy's versions and publish new ones (``/admin/policies``)."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..timeutil import local_today
from ..web.admin import bp
from . import policies
from .forms import PolicyVersionForm
from .markdown import render


@bp.get("/policies")
def policies_index():
    rows = [(slug, policies.title(slug), policies.current(slug), policies.versions(slug))
            for slug in policies.slugs()]
    return render_template("legal/admin_policies.html", rows=rows)


@bp.route("/policies/<slug>/new", methods=["GET", "POST"])
def publish_policy(slug: str):
    try:
        slug = policies.policy_slug(slug)
    except policies.UnknownPolicy:
        abort(404)
    latest = policies.current(slug)
    form = PolicyVersionForm(obj=latest) if latest is not None else PolicyVersionForm()
    if not form.is_submitted():
        form.effective_on.data = local_today()
        form.summary_vi.data = form.summary_en.data = ""
    if form.validate_on_submit():
        try:
            made = policies.publish(slug, by=current_user, **form.values())
        except policies.PolicyError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("Đã công bố phiên bản %(n)d.", n=made.number), "success")
            return redirect(url_for("admin.policies_index"))
    preview = render(form.body_vi.data) if form.body_vi.data else None
    return render_template("legal/admin_policy_form.html", form=form, slug=slug,
                           title=policies.title(slug), preview=preview)
