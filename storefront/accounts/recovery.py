"""Ending sessions, password reset and e-mail confirmation (the signed links are in ``links``)."""
from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..notifications.services import queue
from ..timeutil import utcnow
from ..unit_of_work import transaction
from . import links
from .models import User
from .services import MIN_PASSWORD_LENGTH, AccountError, WeakPassword, normalize_email


class InvalidLink(AccountError):
    """A signed link is forged, expired, already used or for an account that changed."""

    def __init__(self):
        super().__init__(_("Đường dẫn không hợp lệ hoặc đã hết hạn. Vui lòng yêu cầu đường dẫn mới."))


def sign_out(user: User) -> None:
    """End the user's sessions on the server: a copied session or remember cookie stops working."""
    with transaction():
        user.end_sessions()


def request_password_reset(email: str) -> None:
    """Mail a one-hour reset link to the account using ``email``, if there is one (silently otherwise)."""
    user = db.session.scalar(select(User).where(User.email == normalize_email(email)))
    if user is None or not user.active:
        return
    with transaction():
        queue("password_reset", user.email, user.locale, user=user,
              link=links.link_for(links.RESET, user))


def user_for_reset(token: str) -> User:
    """Return the user a reset link is for.

    :raises InvalidLink: forged, expired or already used.
    """
    user = links.user_for(links.RESET, token)
    if user is None:
        raise InvalidLink()
    return user


def reset_password(token: str, new: str, *, now=None) -> User:
    """Set a new password from a reset link; the link dies and every other session ends.

    :raises InvalidLink: forged, expired or already used.
    :raises WeakPassword: the new password is too short.
    """
    user = user_for_reset(token)
    if len(new or "") < MIN_PASSWORD_LENGTH:
        raise WeakPassword(_("Mật khẩu phải có ít nhất %(n)d ký tự.", n=MIN_PASSWORD_LENGTH))
    with transaction():
        user.set_password(new)  # new hash: the link is spent; new session token: other sessions end
        if user.email_confirmed_at is None:  # the link came through that mailbox
            user.email_confirmed_at = now or utcnow()
    return user


def send_confirmation(user: User) -> None:
    """Queue the confirmation link in the caller's unit of work."""
    queue("confirm_email", user.email, user.locale, user=user, link=links.link_for(links.CONFIRM, user))


def resend_confirmation(user: User) -> None:
    with transaction():
        send_confirmation(user)


def confirm_email(token: str, *, now=None) -> User:
    """Mark the address a confirmation link names as confirmed (a second use changes nothing).

    :raises InvalidLink: forged, expired, or the account's address changed since.
    """
    user = links.user_for(links.CONFIRM, token)
    if user is None:
        raise InvalidLink()
    if user.email_confirmed_at is None:
        with transaction():
            user.email_confirmed_at = now or utcnow()
    return user
