"""Self-registration that never tells who already has an account.

A new address gets an unconfirmed account and a confirmation link; an address already in use gets a
"you already have an account" mail sent to its owner instead. Both answer the visitor the same way.
"""
from sqlalchemy.exc import IntegrityError

from ..catalog.models import Producer, ReviewStatus
from ..extensions import db
from ..notifications.services import queue
from ..slugs import unique_slug
from ..unit_of_work import transaction
from . import links
from .models import Role, User
from .recovery import send_confirmation
from .services import DuplicateEmail, account_with, new_user, normalize_email


def register_shopper(*, email: str, name: str, password: str, phone: str | None = None,
                     locale: str = "vi") -> None:
    """Create an unconfirmed shopper and mail its link, or mail the existing owner.

    :raises AccountError: malformed e-mail or a password that is too short.
    """
    _register(email, locale, lambda: new_user(email=email, name=name, password=password, phone=phone,
                                              locale=locale))


def register_producer(*, email: str, name: str, password: str, phone: str | None, producer: dict,
                      locale: str = "vi") -> None:
    """Create a pending producer and its unconfirmed account, or mail the existing owner.

    The producer reaches the admins' queue once the address is confirmed (``admin.services``).
    """
    def make() -> User:
        record = Producer(slug=unique_slug(Producer, producer["name"]), status=ReviewStatus.PENDING,
                          **producer)
        record.email = normalize_email(record.email) or None
        db.session.add(record)
        return new_user(email=email, name=name, password=password, phone=phone, role=Role.PRODUCER,
                        producer=record, locale=locale)

    _register(email, locale, make)


def _register(email: str, locale: str, make) -> None:
    if _tell_owner(email):
        return
    try:
        with transaction():
            user = make()
            db.session.flush()
            user.email_confirmed_at = None  # after the insert: the column's default is "confirmed"
            send_confirmation(user)
    except (IntegrityError, DuplicateEmail):  # the address registered a moment ago elsewhere
        _tell_owner(email)


def _tell_owner(email: str) -> bool:
    """Mail the owner of ``email`` that someone tried to register it; tell whether there is one."""
    owner = account_with(email)
    if owner is None:
        return False
    with transaction():
        queue("account_exists", owner.email, owner.locale, user=owner,
              reset_link=links.absolute_url("shop.forgot_password"),
              login_link=links.absolute_url("shop.login"))
    return True
