"""Signed links sent by e-mail: confirm an address, reset a password.

Each link is an itsdangerous token signed with ``SECRET_KEY`` under its own salt (a confirmation link can
never serve as a reset link), carries the user's id and a fingerprint of what it may change, and expires.
A reset link names a fingerprint of the current password hash: once the password changes the link is dead,
so it works once. A confirmation link names the address it confirms.
"""
import hashlib

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from ..catalog.links import absolute_url
from ..extensions import db
from .models import User

RESET = "password-reset"
CONFIRM = "confirm-email"


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose)


def _fingerprint(purpose: str, user: User) -> str:
    secret = user.password_hash if purpose == RESET else user.email
    return hashlib.sha256(secret.encode()).hexdigest()[:20]


def token_for(purpose: str, user: User) -> str:
    """Return a signed token letting its holder do ``purpose`` for ``user``."""
    return _serializer(purpose).dumps({"u": user.id, "f": _fingerprint(purpose, user)})


def link_for(purpose: str, user: User) -> str:
    """Return the absolute address (``PUBLIC_URL``) of the page that takes the token."""
    endpoint = "shop.reset_password" if purpose == RESET else "shop.confirm_email"
    return absolute_url(endpoint, token=token_for(purpose, user))


def user_for(purpose: str, token: str) -> User | None:
    """Return the user a still-valid token names, or None (forged, expired, used or stale)."""
    max_age = current_app.config["PASSWORD_RESET_MAX_AGE" if purpose == RESET else "CONFIRM_EMAIL_MAX_AGE"]
    try:
        data = _serializer(purpose).loads(token, max_age=max_age)
    except BadSignature:  # SignatureExpired is one too
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not 0 < data["u"] < 2**31:
        return None
    user = db.session.get(User, data["u"])
    if user is None or not user.active or data.get("f") != _fingerprint(purpose, user):
        return None
    return user
