"""The shop's bank account, payment codes and money owed back to shoppers who paid by transfer.

Placement draws the payment codes (``orders.codes``); cancellation and expiry call these, so this
module imports no other part of payments: the use cases that apply transfers live in ``transfers.py``.
"""
import re
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func

from ..extensions import db
from ..notifications import services as notify
from ..orders import dues
from ..orders.codes import CODE_DIGITS, CODE_PREFIX
from ..orders.money_events import MoneyKind, announce
from . import refund_state
from .bank_directory import Bank, bank_for
from .transfer_models import BankTransfer, RefundOwedStatus, TransferRefund, TransferStatus

CODE_PATTERN = re.compile(rf"{CODE_PREFIX}\d{{{CODE_DIGITS}}}")
_BIN = re.compile(r"^\d{6}$")
_ACCOUNT = re.compile(r"^[0-9A-Za-z]{1,19}$")


@dataclass(frozen=True)
class Account:
    """Where shoppers send their transfers."""

    bank: Bank
    number: str
    name: str


def shop_account(app=None) -> Account | None:
    """Return the configured account, or None when VietQR is off (or its settings are unusable)."""
    config = (app or current_app).config
    bin_, number = config.get("VIETQR_BANK_BIN") or "", config.get("VIETQR_ACCOUNT_NUMBER") or ""
    name = (config.get("VIETQR_ACCOUNT_NAME") or "").strip()
    if not (_BIN.match(bin_) and _ACCOUNT.match(number) and name):
        return None
    return Account(bank_for(bin_), number, name)


def transfer_available() -> bool:
    """Tell whether bank transfer by VietQR is offered."""
    return shop_account() is not None


def codes_in(*texts: str | None) -> list[str]:
    """Return the payment codes found in the texts, ignoring case, spaces and punctuation."""
    found = []
    for text in texts:
        compact = re.sub(r"[^0-9A-Z]", "", (text or "").upper())
        found += [code for code in CODE_PATTERN.findall(compact) if code not in found]
    return found


# --- money owed back (in the caller's transaction) -----------------------------------------

def held_for(order, *, counter_money: bool = False) -> int:
    """Return what the shop still holds of the order's transfers (received less refunds owed).

    ``counter_money``: count what outlet counters took for the order too (cash or transfer).
    """
    # A transfer refused whole (sent back from "to resolve") was never counted as received.
    owed = db.session.scalar(
        db.select(func.coalesce(func.sum(TransferRefund.amount), 0))
        .outerjoin(BankTransfer, BankTransfer.id == TransferRefund.transfer_id)
        .where(TransferRefund.order_id == order.id,
               (BankTransfer.id.is_(None)) | (BankTransfer.status != TransferStatus.REFUNDED))
    ) or 0
    received = (order.amount_received or 0) + (dues.collected_at_counters(order) if counter_money else 0)
    return max(received - owed, 0)


def owe_refund(order, amount: int, reason: str, *, key: str, pickup=None,
               transfer=None) -> TransferRefund | None:
    """Record money owed back for an admin to send from the bank; one ``key`` never owes twice."""
    existing = db.session.scalar(db.select(TransferRefund).where(TransferRefund.key == key))
    if existing is not None or amount <= 0:
        return existing
    refund = TransferRefund(order=order, pickup=pickup, transfer=transfer, amount=amount,
                            reason=reason[:TransferRefund.reason.type.length], key=key)
    db.session.add(refund)
    db.session.flush()
    owed_back(refund)
    return refund


def owed_back(refund: TransferRefund) -> None:
    """Announce a refund owed from the bank: of the price, or of money no order took."""
    announce(MoneyKind.REFUND_OWED, f"refund-owed-bank-{refund.id}", amount=refund.amount,
             order=refund.order, channel="bank", from_overpayments=refund.transfer_id is not None,
             reference=refund.key)


def mark_refunded(refund: TransferRefund, reference: str, by_label: str, now) -> None:
    """Record that an admin sent the money back from the bank, and tell the shopper."""
    refund.status = RefundOwedStatus.REFUNDED
    refund.bank_reference, refund.refunded_by, refund.refunded_at = reference, by_label, now
    announce(MoneyKind.REFUND_SENT, f"refund-sent-bank-{refund.id}", amount=refund.amount,
             order=refund.order, channel="bank", reference=reference)
    order = refund.order
    if order is None:
        return
    refund_state.settle_status(order, by_label)
    notify.queue("transfer_refunded", order.email, order.locale, order, refund=refund)
