"""Bank-transaction notifications in SePay's format: who may send them and what they must hold."""
import hmac
from datetime import datetime, timezone

from flask import current_app

from ..timeutil import HANOI
from .transfers import Notification


class Unauthorized(Exception):
    """No key, or not the configured one."""


class InvalidNotification(ValueError):
    """A body that is not a notification we can record; the message says which field."""


def check_key(header: str | None) -> None:
    """Accept ``Authorization: Apikey <BANK_WEBHOOK_API_KEY>``, compared in constant time.

    :raises Unauthorized: the key is missing, wrong, or none is configured.
    """
    expected = current_app.config.get("BANK_WEBHOOK_API_KEY") or ""
    scheme, _, given = (header or "").strip().partition(" ")
    ok = hmac.compare_digest(given.strip().encode(), expected.encode())
    if not expected or scheme.lower() != "apikey" or not ok:
        raise Unauthorized("missing or wrong API key")


def parse(data) -> Notification:
    """Read SePay's JSON into a ``Notification``.

    :raises InvalidNotification: not an object, no id, an unknown transfer type, or an amount
        that is not a whole number of đồng.
    """
    if not isinstance(data, dict):
        raise InvalidNotification("the body must be a JSON object")
    raw_id = data.get("id")
    if isinstance(raw_id, bool) or raw_id is None or str(raw_id).strip() == "" \
            or len(str(raw_id)) > 60:
        raise InvalidNotification("id is required")
    transfer_type = str(data.get("transferType") or "").lower()
    if transfer_type not in ("in", "out"):
        raise InvalidNotification("transferType must be 'in' or 'out'")
    amount = data.get("transferAmount")
    if isinstance(amount, float) and amount.is_integer():
        amount = int(amount)
    if isinstance(amount, str) and amount.isdigit():
        amount = int(amount)
    if isinstance(amount, bool) or not isinstance(amount, int) or not 0 <= amount < 10 ** 15:
        raise InvalidNotification("transferAmount must be a whole number of đồng")
    return Notification(
        id=f"sepay:{raw_id}", gateway=_text(data, "gateway", 80),
        transaction_at=_moment(data.get("transactionDate")),
        account_number=_text(data, "accountNumber", 40), code=_text(data, "code", 120),
        content=_text(data, "content", 2000), transfer_type=transfer_type, amount=amount,
        reference=_text(data, "referenceCode", 120))


def _text(data: dict, key: str, limit: int) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    return str(value)[:limit]


def _moment(value) -> datetime | None:
    """Read ``YYYY-MM-DD HH:MM:SS`` (Hanoi time, as SePay sends it) as naive UTC."""
    try:
        local = datetime.strptime(str(value), "%Y-%m-%d %H:%M:%S")
    except (TypeError, ValueError):
        return None
    return local.replace(tzinfo=HANOI).astimezone(timezone.utc).replace(tzinfo=None)
