"""Public uploaded files (photos) served from local disk; with S3 the bucket or CDN serves them."""
from flask import Blueprint, abort, current_app, send_from_directory

from .storage import PUBLIC_CACHE_SECONDS, is_private

bp = Blueprint("media", __name__)


@bp.get("/media/<path:key>")
def media(key: str):
    """Serve a stored public file from local disk; private files (scans) are never here."""
    if is_private(key):
        abort(404)  # scans live elsewhere and are served by `scans.certificate_scan` after a check
    return send_from_directory(current_app.config["MEDIA_ROOT"], key, max_age=PUBLIC_CACHE_SECONDS)
