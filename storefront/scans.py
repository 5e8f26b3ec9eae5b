"""Certificate scans: shown only to the producer that owns the certificate and to admins.

A scan is never at a public address. Local disk: streamed here with ``Cache-Control: private,
no-store``. S3: after the same check, a redirect to a presigned URL that expires in minutes.
Anyone else gets a 404, as if the certificate did not exist.
"""
from flask import Blueprint, Response, abort, redirect, url_for
from flask_login import current_user, login_required

from .accounts.models import Role
from .catalog.models import Certificate
from .extensions import db
from .storage import get_storage, is_private

bp = Blueprint("scans", __name__)
PRIVATE = "private, no-store"


def scan_of(key: str, user) -> Certificate:
    """Return the certificate with scan ``key`` when ``user`` may see it.

    :raises NotFound: when there is none, or it belongs to another producer.
    """
    certificate = db.session.scalar(db.select(Certificate).where(Certificate.scan_key == key))
    if certificate is None:
        abort(404)
    if user.role == Role.ADMIN:
        return certificate
    if user.role == Role.PRODUCER and certificate.product.producer_id == user.producer_id:
        return certificate
    abort(404)


def scan_url(key: str) -> str:
    """Return the address where a certificate scan is shown (to those allowed to see it)."""
    return url_for("scans.certificate_scan", key=key)


@bp.get("/scans/<path:key>")
@login_required
def certificate_scan(key: str):
    """Show a certificate's scan to its producer or an admin."""
    if not is_private(key) or len(key) > 200:
        abort(404)
    key = scan_of(key, current_user).scan_key
    storage = get_storage()
    signed = storage.private_url(key)
    if signed:
        response = redirect(signed, code=303)
    else:
        try:
            data = storage.open(key)
        except FileNotFoundError:
            abort(404)
        response = Response(data, mimetype=_content_type(key))
        response.headers["Content-Disposition"] = "inline"
    response.headers["Cache-Control"] = PRIVATE
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _content_type(key: str) -> str:
    return "application/pdf" if key.endswith(".pdf") else "image/webp"


bp.add_app_template_global(scan_url)
