"""Signing in, with limits on guessing that strangers cannot turn against an account's owner.

OWASP's guidance on lockout ("Blocking Brute Force Attacks": device cookies) is followed: failures are
counted per submitted address only for browsers the owner never signed in from; a browser that signed
in to the account carries a signed device cookie and has a count of its own. A stranger failing from
anywhere therefore never locks the owner out of their own devices, and on a new device the
password-reset mail still signs them in. The per-IP limit stays on the view (``accounts/views.py``).
Confirmation mail sent again at sign-in is limited per address and hour (``CONFIRMATION_MAIL_LIMIT``).
"""
import secrets

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from limits import parse_many

from ..extensions import limiter
from . import recovery
from .models import User
from .services import AccountError, SignInFailed, authenticate, normalize_email

DEVICE_COOKIE = "device"
DEVICE_COOKIE_DAYS = 400


class TooManyFailures(SignInFailed):
    """Too many failed sign-ins for this address from browsers its owner never signed in from."""

    def __init__(self):
        super().__init__(_("Quá nhiều lần đăng nhập sai với địa chỉ này. Hãy đăng nhập từ thiết bị bạn "
                           "đã từng dùng, hoặc đặt lại mật khẩu qua e-mail."))


class AddressNotConfirmed(AccountError):
    """The password is right but the address was never confirmed (the link is mailed again)."""

    def __init__(self):
        super().__init__(_("Vui lòng xác nhận địa chỉ e-mail trước khi đăng nhập. "
                           "Chúng tôi đã gửi đường dẫn xác nhận tới địa chỉ này."))


def sign_in(email: str, password: str, device: str | None = None) -> User:
    """Return the user these credentials name, counting a failure against the address (or device).

    :raises TooManyFailures: checked before the password, so a locked bucket takes no more guesses.
    :raises SignInFailed: unknown address, wrong password or disabled account.
    :raises AddressNotConfirmed: right password, address never confirmed.
    """
    bucket = _bucket(normalize_email(email), device)
    if not _under_limit("login-failures", bucket, current_app.config["LOGIN_RATE_LIMIT"]):
        raise TooManyFailures()
    try:
        user = authenticate(email, password)
    except SignInFailed:
        _count("login-failures", bucket, current_app.config["LOGIN_RATE_LIMIT"])
        raise
    if not user.email_confirmed:
        send_confirmation_again(user)
        raise AddressNotConfirmed()
    return user


def send_confirmation_again(user: User) -> bool:
    """Mail the confirmation link again unless this address had its share this hour; say if sent."""
    limit = current_app.config["CONFIRMATION_MAIL_LIMIT"]
    if not _under_limit("confirmation-mail", user.email, limit):
        return False
    _count("confirmation-mail", user.email, limit)
    recovery.resend_confirmation(user)
    return True


def device_cookie_for(user: User) -> str:
    """Return the signed device cookie a browser gets when it signs in to ``user``'s account."""
    return _serializer().dumps({"e": user.email, "n": secrets.token_urlsafe(12)})


def _bucket(address: str, device: str | None) -> str:
    """Count failures per device the owner signed in from, else per submitted address."""
    try:
        known = _serializer().loads(device) if device else None
    except BadSignature:
        known = None
    if isinstance(known, dict) and known.get("e") == address and known.get("n"):
        return f"device:{known['n']}"
    return f"address:{address}"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="sign-in-device")


def _under_limit(scope: str, key: str, limit: str) -> bool:
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return True
    return all(limiter.limiter.test(item, scope, key) for item in parse_many(limit))


def _count(scope: str, key: str, limit: str) -> None:
    if current_app.config.get("RATELIMIT_ENABLED", True):
        for item in parse_many(limit):
            limiter.limiter.hit(item, scope, key)
