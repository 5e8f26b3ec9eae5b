"""The outlet area: every page under ``/outlet``, for outlet staff only."""
import functools

from flask import Blueprint, make_response

from ..roles import Role
from . import guard

bp = Blueprint("outlet", __name__, url_prefix="/outlet")
bp.before_request(guard(Role.OUTLET_STAFF))


def camera_allowed(view):
    """Let this page use the camera (the QR scanner); the site's default policy forbids it."""
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        response = make_response(view(*args, **kwargs))
        response.headers["Permissions-Policy"] = "camera=(self)"
        return response
    return wrapped
