"""Site-wide routes: health, language switch, uploaded media."""
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, redirect, request, send_from_directory, session
from flask_login import current_user
from sqlalchemy import text

from .extensions import db

bp = Blueprint("site", __name__)


def safe_next(target: str | None, fallback: str = "/") -> str:
    """Return ``target`` when it is a path on this site, else ``fallback``."""
    if not target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") \
            or "\\" in target:
        return fallback
    return target


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 — any failure means "not healthy"
        return {"status": "database unavailable"}, 503
    return {"status": "ok"}


def _same_site_referrer() -> str | None:
    """Return the path and query of the page that sent the visitor, when it is on this site."""
    if not request.referrer:
        return None
    parts = urlsplit(request.referrer)
    if parts.netloc != request.host:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


@bp.post("/lang/<code>")
def set_language(code: str):
    """Remember the chosen language (session, and the account when signed in), then go back."""
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    session["lang"] = code
    if current_user.is_authenticated and current_user.locale != code:
        current_user.locale = code
        db.session.commit()
    return redirect(safe_next(request.form.get("next") or _same_site_referrer()))


@bp.get("/media/<path:key>")
def media(key: str):
    """Serve stored files from local disk (production serves them from object storage)."""
    return send_from_directory(current_app.config["MEDIA_ROOT"], key, max_age=31536000)
