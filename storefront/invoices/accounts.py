"""Producers' own e-invoice accounts (when producers sell): the password is encrypted with
``EINVOICE_CREDENTIALS_KEY`` (Fernet: AES-128-CBC with HMAC-SHA256) and never shown back."""
from cryptography.fernet import Fernet, InvalidToken
from flask import current_app
from flask_babel import gettext as _
from stdnum.vn import mst

from ..extensions import db
from ..timeutil import utcnow
from ..unit_of_work import transaction
from .models import ProviderAccount
from .provider import Account, ProviderRefused


class CredentialsKeyMissing(RuntimeError):
    """``EINVOICE_CREDENTIALS_KEY`` is not set (or not a Fernet key): no password can be kept."""


class AccountRefused(Exception):
    """A producer's change to its e-invoice account is refused; the message says why."""


def _fernet() -> Fernet:
    key = current_app.config.get("EINVOICE_CREDENTIALS_KEY")
    if not key:
        raise CredentialsKeyMissing(_("Chưa cấu hình khoá mã hoá tài khoản hoá đơn điện tử "
                                      "(EINVOICE_CREDENTIALS_KEY)."))
    try:
        return Fernet(key)
    except ValueError as error:
        raise CredentialsKeyMissing(_("EINVOICE_CREDENTIALS_KEY không phải một khoá Fernet.")) from error


def account_of(producer) -> ProviderAccount | None:
    return db.session.scalar(db.select(ProviderAccount).where(ProviderAccount.producer_id == producer.id))


def save_account(producer, *, provider: str, url: str, username: str, password: str | None,
                 template_code: str, series: str) -> ProviderAccount:
    """Keep a producer's account; an empty ``password`` keeps the one already kept.

    :raises CredentialsKeyMissing: no key to encrypt with.
    """
    fernet = _fernet()
    with transaction():
        account = account_of(producer) or ProviderAccount(producer_id=producer.id)
        account.provider, account.url, account.username = provider, url.strip(), username.strip()
        account.template_code, account.series = template_code.strip(), series.strip()
        if password:
            account.password_encrypted = fernet.encrypt(password.encode()).decode()
            account.password_changed_at = utcnow()
        elif account.password_encrypted is None:
            raise ValueError("a new account needs its password")
        db.session.add(account)
    return account


def change_account(producer, user, *, current_password: str, tax_code: str, username: str,
                   password: str | None, template_code: str, series: str) -> ProviderAccount:
    """Keep the producer's own account (when producers sell), after checking the signed-in user's
    password. The provider and its address are the shop's (``EINVOICE_PROVIDER``, ``EINVOICE_URL``).

    ``tax_code`` (compact, already checked with ``vn.mst``) must be the producer's own: invoices are
    issued under it, and the provider refuses an account registered to another.

    :raises AccountRefused: wrong password, another tax code, or no password for a new account.
    :raises CredentialsKeyMissing: no key to encrypt with.
    """
    if not user.check_password(current_password or ""):
        raise AccountRefused(_("Mật khẩu hiện tại không đúng."))
    if not producer.tax_code:
        raise AccountRefused(_("Hãy khai mã số thuế của cơ sở trong thông tin pháp lý trước."))
    if mst.compact(tax_code or "") != mst.compact(producer.tax_code):
        raise AccountRefused(_("Mã số thuế phải là mã số thuế của cơ sở (%(tax_code)s): hoá đơn "
                               "được phát hành dưới mã đó.", tax_code=mst.format(producer.tax_code)))
    if not password and account_of(producer) is None:
        raise AccountRefused(_("Vui lòng nhập mật khẩu tài khoản hoá đơn điện tử."))
    config = current_app.config
    return save_account(producer, provider=config["EINVOICE_PROVIDER"], url=config.get("EINVOICE_URL") or "",
                        username=username, password=password or None, template_code=template_code,
                        series=series)


def operator_account() -> Account:
    config = current_app.config
    return Account(config["EINVOICE_PROVIDER"], config.get("EINVOICE_URL") or "",
                   config.get("EINVOICE_USERNAME") or "", config.get("EINVOICE_PASSWORD") or "",
                   config.get("OPERATOR_TAX_CODE") or "", float(config.get("EINVOICE_TIMEOUT") or 20))


def producer_account(producer) -> Account:
    """Return the producer's account, its password decrypted for this call only.

    :raises ProviderRefused: the producer has no account, or its password cannot be read.
    """
    kept = account_of(producer)
    if kept is None:
        raise ProviderRefused(f"producer {producer.id} ({producer.name}) has no e-invoice account")
    try:
        password = _fernet().decrypt(kept.password_encrypted.encode()).decode()
    except (InvalidToken, CredentialsKeyMissing) as error:
        raise ProviderRefused(f"the password of producer {producer.id}'s e-invoice account cannot "
                              f"be read with EINVOICE_CREDENTIALS_KEY") from error
    return Account(kept.provider, kept.url, kept.username, password, producer.tax_code or "",
                   float(current_app.config.get("EINVOICE_TIMEOUT") or 20))
