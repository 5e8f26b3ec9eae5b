"""Producers' own e-invoice accounts (when producers sell): the password is encrypted with
``EINVOICE_CREDENTIALS_KEY`` (Fernet: AES-128-CBC with HMAC-SHA256) and never shown back."""
from cryptography.fernet import Fernet, InvalidToken
from flask import current_app
from flask_babel import gettext as _

from ..extensions import db
from ..unit_of_work import transaction
from .models import ProviderAccount
from .provider import Account, ProviderRefused


class CredentialsKeyMissing(RuntimeError):
    """``EINVOICE_CREDENTIALS_KEY`` is not set (or not a Fernet key): no password can be kept."""


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
        elif account.password_encrypted is None:
            raise ValueError("a new account needs its password")
        db.session.add(account)
    return account


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
