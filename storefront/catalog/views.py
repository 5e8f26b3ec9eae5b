"""Public catalogue pages."""
from flask import Blueprint, abort

bp = Blueprint("catalog", __name__, url_prefix="")


@bp.get("/")
def home():  # TODO(owner): placeholder until built
    abort(501)


@bp.get("/products")
def products():  # TODO(owner): placeholder until built
    abort(501)


@bp.get("/villages")
def villages():  # TODO(owner): placeholder until built
    abort(501)


@bp.get("/outlets")
def outlets():  # TODO(owner): placeholder until built
    abort(501)
