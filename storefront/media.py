"""Uploaded files served from local disk (production serves them from object storage)."""
from flask import Blueprint, current_app, send_from_directory

bp = Blueprint("media", __name__)


@bp.get("/media/<path:key>")
def media(key: str):
    """Serve a stored public file from local disk."""
    return send_from_directory(current_app.config["MEDIA_ROOT"], key, max_age=31536000)
