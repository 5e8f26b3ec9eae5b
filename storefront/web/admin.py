"""The admin area: every page under ``/admin``, for admins only."""
from flask import Blueprint

from ..roles import Role
from . import guard

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.before_request(guard(Role.ADMIN))
