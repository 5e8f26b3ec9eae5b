"""Admin upkeep of accounts: list, outlet-staff accounts, disable and enable."""
import secrets

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..accounts.models import Role, User
from ..accounts.services import AccountError, WeakPassword, new_user
from ..catalog.models import Outlet
from ..unit_of_work import transaction
from ..extensions import db
from .services import AdminError, require_admin


class UserAdminError(AdminError):
    """An account change was refused."""


def users_with_role(role: str | None = None) -> list[User]:
    """Return accounts (of one role when given), newest first."""
    query = select(User).options(joinedload(User.producer), joinedload(User.outlet))
    if role:
        query = query.where(User.role == role)
    return list(db.session.scalars(query.order_by(User.created_at.desc(), User.id.desc())))


def create_staff(*, by: User, outlet: Outlet | None, name: str, email: str, password: str,
                 phone: str | None = None) -> User:
    """Create an outlet-staff account bound to ``outlet``.

    :raises UserAdminError: no outlet, or a bad e-mail or password (message from accounts).
    """
    require_admin(by)
    if outlet is None:
        raise UserAdminError(_("Vui lòng chọn điểm bán."), field="outlet_id")
    try:
        with transaction():
            user = new_user(email=email, name=name, password=password, phone=phone,
                            role=Role.OUTLET_STAFF, outlet=outlet)
    except AccountError as error:
        field = "password" if isinstance(error, WeakPassword) else "email"
        raise UserAdminError(str(error), field=field) from error
    return user


def set_active(user: User, active: bool, *, by: User) -> None:
    """Enable or disable an account; disabling ends all of its sessions.

    :raises UserAdminError: an admin tried to disable their own account.
    """
    require_admin(by)
    if user.id == by.id and not active:
        raise UserAdminError(_("Bạn không thể tự khóa tài khoản của mình."))
    with transaction():
        user.active = active
        if not active:
            user.session_token = secrets.token_urlsafe(32)
