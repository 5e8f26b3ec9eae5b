"""The shopper's cart."""
from flask import Blueprint, abort

bp = Blueprint("cart", __name__, url_prefix="/cart")


@bp.get("/")
def show():  # TODO(owner): placeholder until built
    abort(501)
