"""Outlet staff dashboard: pickups, receiving goods, hand-over."""
from flask import Blueprint, abort

bp = Blueprint("outlet_dashboard", __name__, url_prefix="/outlet")


@bp.get("/")
def index():  # TODO(owner): placeholder until built
    abort(501)
