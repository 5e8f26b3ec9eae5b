"""``/healthz``: whether the app and the parts it depends on answer."""
from flask import Blueprint
from sqlalchemy import text

from .extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 — any failure means "not healthy"
        return {"status": "database unavailable"}, 503
    return {"status": "ok"}
