"""Read-only JSON catalogue for partner sites and maps."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api")
