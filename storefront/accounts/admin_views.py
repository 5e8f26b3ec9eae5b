"""Admins end an account's sessions: "sign out everywhere", for a lost or stolen device.

Every session and remember cookie carries the account's session token (``User.get_id``); a new
token makes them all name a user that no longer loads. The outlet counter's device key is bound to
that token too (``counter.services.device_key``): the codes a stolen device holds stop matching
anything the server sends afterwards, and its queued hand-overs are refused until someone signs in.
"""
from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from ..extensions import db
from ..web.admin import bp
from . import recovery
from .models import User


@bp.post("/users/<int:user_id>/sign-out-everywhere")
def sign_out_everywhere(user_id: int):
    if not FlaskForm().validate_on_submit():  # the CSRF token (CSRFProtect checks it first too)
        abort(400)
    user = db.get_or_404(User, user_id)
    recovery.sign_out(user)
    flash(_("Đã đăng xuất %(email)s trên mọi thiết bị.", email=user.email), "success")
    return redirect(url_for("admin.user_list", role=request.args.get("role") or None))
