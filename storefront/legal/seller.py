"""Who sells, and who runs the shop: the seller of record and the operator's identity, from configuration.

``SELLER_OF_RECORD=operator``: the operator (a city centre or an outlet company) sells and the
producers consign — a *sales website* under Decree 52/2013. ``producer``: each producer sells its own
goods on the operator's *trading floor*, which then publishes operating rules, shows each seller's
identity and can take a listing down. Pages and mails ask ``seller_mode()``.
"""
import enum
from dataclasses import dataclass

from flask import current_app


class SellerOfRecord(enum.StrEnum):
    OPERATOR = "operator"
    PRODUCER = "producer"


# The configuration keys of the operator's identity; production refuses to start without any of them.
OPERATOR_KEYS = ("OPERATOR_LEGAL_NAME", "OPERATOR_ADDRESS", "OPERATOR_TAX_CODE", "OPERATOR_PHONE",
                 "OPERATOR_EMAIL", "MOIT_NOTICE_URL")


def missing_operator_identity(settings) -> list[str]:
    """Return the operator identity keys ``settings`` (a config class or mapping) lacks."""
    get = settings.get if hasattr(settings, "get") else lambda key: getattr(settings, key, None)
    return [key for key in OPERATOR_KEYS if not (get(key) or "").strip()]


def seller_problem(value: str | None) -> str | None:
    """Return why ``value`` cannot be ``SELLER_OF_RECORD``, or None."""
    if value in {mode.value for mode in SellerOfRecord}:
        return None
    return f"SELLER_OF_RECORD must be 'operator' or 'producer', not {value!r}"


@dataclass(frozen=True)
class Operator:
    """The legal person that runs the shop, as the footer of every page and mail names it."""

    legal_name: str
    address: str
    tax_code: str
    phone: str
    email: str
    moit_notice_url: str


def operator() -> Operator:
    config = current_app.config
    return Operator(*(config.get(key) or "" for key in OPERATOR_KEYS))


def seller_mode() -> SellerOfRecord:
    return SellerOfRecord(current_app.config.get("SELLER_OF_RECORD") or SellerOfRecord.OPERATOR)


def producer_sells() -> bool:
    """Tell whether each producer sells its own goods (the trading floor)."""
    return seller_mode() == SellerOfRecord.PRODUCER


def template_context() -> dict:
    """What every page and mail template may name: ``operator``, ``seller_mode``, ``producer_sells``."""
    return {"operator": operator(), "seller_mode": seller_mode(), "producer_sells": producer_sells()}
