"""Admin dashboard: verify producers and certificates; villages and outlets."""
from flask import Blueprint, abort

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/")
def index():  # TODO(owner): placeholder until built
    abort(501)
