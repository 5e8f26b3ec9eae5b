"""A complaint's photo, shown only to whoever may see the complaint (never at a public address)."""
from flask import Response, abort, redirect

from ..storage import get_storage

PRIVATE = "private, no-store"


def photo_response(complaint) -> Response:
    """Stream the photo (local disk) or redirect to a presigned URL (S3); call after the access check."""
    key = complaint.photo_key
    if not key:
        abort(404)
    storage = get_storage()
    signed = storage.private_url(key)
    if signed:
        response = redirect(signed, code=303)
    else:
        try:
            response = Response(storage.open(key), mimetype="image/webp")
        except FileNotFoundError:
            abort(404)
    response.headers["Cache-Control"] = PRIVATE
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
