"""The public JSON API under ``/api``: read-only, no sign-in; errors answer as JSON."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api")
