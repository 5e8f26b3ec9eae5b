"""Producer dashboard: products, photos, certificates, orders to bring."""
from flask import Blueprint, abort

bp = Blueprint("producer_dashboard", __name__, url_prefix="/producer")


@bp.get("/")
def index():  # TODO(owner): placeholder until built
    abort(501)
