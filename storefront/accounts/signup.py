"""Self-registration that never tells who already has an account.

A new address gets an unconfirmed account and a confirmation link; an address already in use gets a
"you already have an account" mail sent to its owner instead. Both answer the visitor the same way.
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from ..catalog.models import Producer, ReviewStatus
from ..extensions import db
from ..notifications.services import queue
from ..slugs import unique_slug
from ..text import is_one_plain_line
from ..unit_of_work import transaction
from . import hooks, links
from .models import Role, User
from .recovery import send_confirmation
from .services import AccountError, DuplicateEmail, account_with, new_user, normalize_email

NAME_NOT_PLAIN = _l("Tên chỉ được là một dòng chữ: không xuống dòng, không ký tự điều khiển, "
                    "không đường dẫn.")


class NameNotPlain(AccountError):
    """A name that is not one line of plain text (it would be printed at the top of mail)."""

    def __init__(self):
        super().__init__(str(NAME_NOT_PLAIN))


def register_shopper(*, email: str, name: str, password: str, phone: str | None = None,
                     locale: str = "vi", consents=frozenset()) -> None:
    """Create an unconfirmed shopper and mail its link, or mail the existing owner.

    ``consents``: the news boxes the person ticked, recorded against the new account in the same
    transaction (``hooks.give_consent``). An address already in use records nothing: whoever
    typed it may not be its owner.

    :raises AccountError: malformed e-mail or a password that is too short.
    :raises NameNotPlain: a name with a line break, a control character or a link.
    """
    _check_names(name)

    def make() -> User:
        user = new_user(email=email, name=name, password=password, phone=phone, locale=locale)
        if consents:
            db.session.flush()
            hooks.give_consent(user, set(consents))
        return user

    _register(email, locale, make)


def register_producer(*, email: str, name: str, password: str, phone: str | None, producer: dict,
                      locale: str = "vi") -> None:
    """Create a pending producer and its unconfirmed account, or mail the existing owner.

    The producer reaches the admins' queue once the address is confirmed (``admin.services``).

    :raises NameNotPlain: the person's or the producer's name is not one line of plain text.
    """
    _check_names(name, producer["name"])

    def make() -> User:
        record = Producer(slug=unique_slug(Producer, producer["name"]), status=ReviewStatus.PENDING,
                          **producer)
        record.email = normalize_email(record.email) or None
        db.session.add(record)
        return new_user(email=email, name=name, password=password, phone=phone, role=Role.PRODUCER,
                        producer=record, locale=locale)

    _register(email, locale, make)


def _check_names(*names: str) -> None:
    if not all(is_one_plain_line(name) for name in names):
        raise NameNotPlain()


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
