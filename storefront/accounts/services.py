"""Account use cases: make an account, authenticate, load (self-registration: ``signup.py``)."""
import re

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..catalog.models import Village
from ..extensions import db
from ..unit_of_work import transaction
from .models import Role, User
from .passwords import spend_a_verify

MIN_PASSWORD_LENGTH = 10
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class AccountError(Exception):
    """An account use case refused its input; the message is for the person."""


class DuplicateEmail(AccountError):
    """Another account already uses this e-mail."""


class WeakPassword(AccountError):
    """The password is too short."""


class SignInFailed(AccountError):
    """Unknown e-mail, wrong password or disabled account."""


def load_user(user_id: str) -> User | None:
    """Load the user named in the session, if its session token is still current."""
    raw_id, _sep, token = user_id.partition(":")
    if not raw_id.isdigit():
        return None
    user = db.session.get(User, int(raw_id))
    if user is None or user.session_token != token:
        return None
    return user


def active_admins() -> list[User]:
    """Return every active admin account, by id (whom the shop's own duties are mailed to)."""
    return list(db.session.scalars(
        select(User).where(User.role == Role.ADMIN, User.active.is_(True)).order_by(User.id)))


def normalize_email(email: str) -> str:
    """Return the e-mail as stored: trimmed and lower-case."""
    return (email or "").strip().lower()


def account_with(email: str) -> User | None:
    """Return the account that uses ``email`` (compared trimmed and case-insensitively), if any."""
    return db.session.scalar(select(User).where(func.lower(User.email) == normalize_email(email)))


def _check_new_account(email: str, password: str) -> str:
    """Return the normalized e-mail, or raise when the account cannot be made.

    :raises AccountError: malformed e-mail.
    :raises DuplicateEmail: e-mail already used.
    :raises WeakPassword: password shorter than ``MIN_PASSWORD_LENGTH``.
    """
    email = normalize_email(email)
    if not _EMAIL.match(email):
        raise AccountError(_("Địa chỉ e-mail không hợp lệ."))
    if account_with(email) is not None:
        raise DuplicateEmail(_("E-mail này đã được dùng cho một tài khoản khác."))
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise WeakPassword(_("Mật khẩu phải có ít nhất %(n)d ký tự.", n=MIN_PASSWORD_LENGTH))
    return email


def new_user(*, email: str, name: str, password: str, role: str = Role.SHOPPER,
             phone: str | None = None, locale: str = "vi", **links) -> User:
    """Add a user to the session (no commit: the caller's transaction owns it)."""
    email = _check_new_account(email, password)
    user = User(email=email, name=name.strip(), phone=phone or None, role=role, locale=locale,
                **links)
    user.set_password(password)
    db.session.add(user)
    return user


def all_villages() -> list[Village]:
    """Return every village by name, for the producer sign-up select."""
    return list(db.session.scalars(select(Village).order_by(Village.name)))


def authenticate(email: str, password: str) -> User:
    """Return the active user with these credentials.

    :raises SignInFailed: with one message for unknown e-mail and wrong password.
    """
    with transaction():  # keeps a rehashed password
        user = db.session.scalar(select(User).where(User.email == normalize_email(email)))
        if user is None:
            spend_a_verify(password)
            raise SignInFailed(_("E-mail hoặc mật khẩu không đúng"))
        if not user.check_password(password or ""):
            raise SignInFailed(_("E-mail hoặc mật khẩu không đúng"))
        if not user.active:
            raise SignInFailed(_("Tài khoản này đã bị khóa. Vui lòng liên hệ quản trị viên."))
        return user


def change_password(user: User, *, current: str, new: str) -> None:
    """Set a new password after checking the current one; every other session ends.

    :raises SignInFailed: the current password is wrong.
    :raises WeakPassword: the new password is too short.
    """
    if not user.check_password(current or ""):
        raise SignInFailed(_("Mật khẩu hiện tại không đúng."))
    if len(new or "") < MIN_PASSWORD_LENGTH:
        raise WeakPassword(_("Mật khẩu phải có ít nhất %(n)d ký tự.", n=MIN_PASSWORD_LENGTH))
    with transaction():
        user.set_password(new)  # rotates session_token


def set_locale(user: User, code: str) -> None:
    """Remember the language an account reads, so it follows the shopper to other devices."""
    if user.locale != code:
        with transaction():
            user.locale = code


def create_admin(*, email: str, name: str, password: str) -> User:
    """Create an admin account (``flask create-admin``).

    :raises AccountError: bad or duplicate e-mail, or a password that is too short.
    """
    with transaction():
        return new_user(email=email, name=name or "Admin", password=password, role=Role.ADMIN)
