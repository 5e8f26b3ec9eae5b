"""The language switch."""
from flask import Blueprint, abort, current_app, redirect, request, session
from flask_login import current_user

from .accounts.services import set_locale
from .redirects import safe_next, same_site_referrer

bp = Blueprint("language", __name__)


@bp.post("/lang/<code>")
def set_language(code: str):
    """Remember the chosen language (session, and the account when signed in), then go back."""
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    session["lang"] = code
    if current_user.is_authenticated:
        set_locale(current_user, code)
    return redirect(safe_next(request.form.get("next") or same_site_referrer()))
