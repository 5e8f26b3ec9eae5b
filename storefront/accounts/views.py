"""Registration, sign-in and sign-out."""
from flask import Blueprint, abort

bp = Blueprint("accounts", __name__, url_prefix="/auth")


@bp.get("/account")
def account():  # TODO(owner): placeholder until built
    abort(501)


@bp.get("/login")
def login():  # TODO(owner): placeholder until built
    abort(501)


@bp.get("/register")
def register():  # TODO(owner): placeholder until built
    abort(501)


@bp.post("/logout")
def logout():  # TODO(owner): placeholder until built
    abort(501)
