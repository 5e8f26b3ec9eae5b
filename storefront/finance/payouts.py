"""Paying producers: bank accounts, what is payable, payout batches, paid once, failed back to payable.

Each use case owns its transaction; the ledger entry of a payout paid or returned is written in it.
"""
import csv
import io
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func

from ..extensions import db
from ..payments import vietqr
from ..payments.bank_directory import BANKS, bank_for
from ..timeutil import utcnow
from ..unit_of_work import transaction
from . import ledger
from .ledger import Leg
from .models import (
    AccountKind, BankAccount, JournalEntry, Payout, PayoutBatch, PayoutStatus, Posting,
)

K = AccountKind
CODE_PATTERN = re.compile(r"PO\d{8}")
_ACCOUNT = re.compile(r"^[0-9]{6,19}$")


class PayoutError(Exception):
    """A payout action that cannot be done; the message is for the admin or producer who tried."""


# --- the producer's bank account ------------------------------------------------------------

def current_account(producer_id: int) -> BankAccount | None:
    return db.session.scalar(db.select(BankAccount).where(BankAccount.producer_id == producer_id)
                             .order_by(BankAccount.id.desc()).limit(1))


def change_account(producer, user, password: str, bank_bin: str, number: str, holder: str,
                   notify_old) -> BankAccount:
    """Set where the producer is paid, after checking the user's password; the old address is told.

    ``notify_old(email)`` queues the mail to the address the account had (in this transaction).

    :raises PayoutError: wrong password, unknown bank, or an account number that is not 6–19 digits.
    """
    if not user.check_password(password):
        raise PayoutError(_("Mật khẩu không đúng."))
    number, holder = re.sub(r"\s", "", number or ""), " ".join((holder or "").split()).upper()
    if bank_bin not in BANKS:
        raise PayoutError(_("Vui lòng chọn ngân hàng trong danh sách."))
    if not _ACCOUNT.match(number) or not holder:
        raise PayoutError(_("Số tài khoản gồm 6–19 chữ số, kèm tên chủ tài khoản."))
    with transaction():
        account = BankAccount(producer_id=producer.id, bank_bin=bank_bin, account_number=number,
                              holder_name=holder[:70], created_by=user.email, created_at=utcnow())
        db.session.add(account)
        notify_old(user.email)
    return account


def verify_account(account_id: int, by_label: str) -> BankAccount:
    """Record that an admin checked the account with the producer; payouts may go to it."""
    with transaction():
        account = db.session.get(BankAccount, account_id)
        if account is None or account.verified_at is not None:
            raise PayoutError(_("Tài khoản này đã được xác minh hoặc không còn."))
        account.verified_by, account.verified_at = by_label, utcnow()
    return account


# --- what is payable --------------------------------------------------------------------------

@dataclass(frozen=True)
class Earnings:
    owed: int       # everything the operator owes the producer now
    held: int       # of which handed over within the hold days
    pending: int    # of which in a payout batch, not yet paid
    payable: int    # owed less held less pending

    @property
    def available(self) -> int:
        return max(self.payable, 0)


def earnings_of(producer_id: int, now=None) -> Earnings:
    """Return what the producer is owed, held, in payouts on their way, and payable now."""
    now = now or utcnow()
    acct = ledger.find_account(K.PAYABLE, producer_id=producer_id)
    if acct is None:
        return Earnings(0, 0, 0, 0)
    owed = -ledger.balance(acct)
    since = now - timedelta(days=current_app.config["SETTLEMENT_HOLD_DAYS"])
    # Handed over within the hold, less what came back of those very lines (a return of goods
    # handed over before the hold only lowers what is owed, already payable).
    recent = db.select(Posting.order_line_id).join(JournalEntry).where(
        Posting.account_id == acct.id, JournalEntry.kind == "handed_over",
        JournalEntry.occurred_at >= since, Posting.order_line_id.is_not(None))
    held = -int(db.session.scalar(
        db.select(func.coalesce(func.sum(Posting.amount), 0)).join(JournalEntry)
        .where(Posting.account_id == acct.id,
               ((JournalEntry.kind == "handed_over") & (JournalEntry.occurred_at >= since))
               | ((JournalEntry.kind == "goods_returned") & Posting.order_line_id.in_(recent))))
        or 0)
    pending = int(db.session.scalar(
        db.select(func.coalesce(func.sum(Payout.amount), 0))
        .where(Payout.producer_id == producer_id, Payout.status == PayoutStatus.PENDING)) or 0)
    return Earnings(owed, max(held, 0), pending, owed - max(held, 0) - pending)


def new_code(prefix: str, model) -> str:
    """Draw a random code (prefix + 8 digits) not used yet."""
    while True:
        code = f"{prefix}{secrets.randbelow(10 ** 8):08d}"
        if db.session.scalar(db.select(model.id).where(model.code == code)) is None:
            return code


def make_batch(by_label: str, now=None, minimum: int = 1) -> PayoutBatch | None:
    """Make one payout per producer with a verified account and something payable; None if none.

    Producers are locked through their payable accounts in id order, so two admins making
    batches at once cannot both pay the same money.
    """
    with transaction():
        producers = _payable_producers()
        batch = PayoutBatch(created_by=by_label, created_at=utcnow())
        for producer_id in producers:
            account = current_account(producer_id)
            amount = earnings_of(producer_id, now).available
            if account is None or account.verified_at is None or amount < minimum:
                continue
            batch.payouts.append(Payout(code=new_code("PO", Payout), producer_id=producer_id,
                                        bank_account_id=account.id, amount=amount,
                                        created_at=utcnow()))
        if not batch.payouts:
            db.session.rollback()
            return None
        db.session.add(batch)
    return batch


def _payable_producers() -> list[int]:
    from .models import Account
    rows = db.session.scalars(db.select(Account).where(Account.kind == K.PAYABLE)
                              .order_by(Account.id).with_for_update()).all()
    return [row.producer_id for row in rows]


def _locked(payout_id: int) -> Payout:
    payout = db.session.scalar(db.select(Payout).where(Payout.id == payout_id).with_for_update()
                               .execution_options(populate_existing=True))
    if payout is None:
        raise PayoutError(_("Không tìm thấy khoản chi trả."))
    return payout


def mark_paid(payout_id: int, reference: str, by_label: str) -> Payout:
    """Record that the transfer left the bank: the producer's payable goes down by it, once.

    :raises PayoutError: the payout is not waiting to be paid (paid already, or failed).
    """
    with transaction():
        payout = _locked(payout_id)
        _pay(payout, reference, by_label)
    return payout


def _pay(payout: Payout, reference: str, by_label: str) -> None:
    if payout.status != PayoutStatus.PENDING:
        raise PayoutError(_("Khoản %(code)s đã được ghi nhận trước đó.", code=payout.code))
    payout.status, payout.paid_at = PayoutStatus.PAID, utcnow()
    payout.paid_by, payout.bank_reference = by_label, (reference or "").strip()[:120]
    ledger.post(f"payout-{payout.code}", "payout_paid", payout.code,
                f"payout to producer {payout.producer_id} {payout.bank_reference}", [
                    Leg(ledger.account(K.PAYABLE, producer_id=payout.producer_id), payout.amount),
                    Leg(ledger.account(K.BANK), -payout.amount)])


def mark_failed(payout_id: int, note: str, by_label: str) -> Payout:
    """Record that a payout was never sent or came back: its amount is payable again."""
    with transaction():
        payout = _locked(payout_id)
        if payout.status == PayoutStatus.FAILED:
            raise PayoutError(_("Khoản %(code)s đã được ghi là thất bại.", code=payout.code))
        if payout.status == PayoutStatus.PAID:
            paid = ledger.posted(f"payout-{payout.code}")
            ledger.reverse(paid, f"payout-returned-{payout.code}",
                           f"payout returned by the bank: {note}")
        payout.status, payout.failed_at = PayoutStatus.FAILED, utcnow()
        payout.failure_note = f"{by_label}: {note}"[:200]
    return payout


def paid_by_bank(amount: int, text: str | None, reference: str | None) -> str | None:
    """Mark the payout whose code a bank's outgoing notice carries paid (caller's transaction).

    Return its code, or None when no pending payout of that amount is named.
    """
    for code in CODE_PATTERN.findall(re.sub(r"[^0-9A-Z]", "", (text or "").upper())):
        payout = db.session.scalar(db.select(Payout).where(Payout.code == code).with_for_update())
        if payout is not None and payout.status == PayoutStatus.PENDING \
                and payout.amount == amount:
            _pay(payout, reference or "", "bank")
            return code
    return None


# --- paying from a banking app, or a bank's batch file ---------------------------------------------

def qr_payload(payout: Payout) -> str:
    """Return the VietQR for the payout: the producer's account, the amount, the PO code."""
    account = payout.bank_account
    return vietqr.encode(vietqr.Transfer(account.bank_bin, account.account_number, payout.amount,
                                         payout.code))


BATCH_HEADER = ["STT", "Ma ngan hang (BIN)", "Ngan hang", "So tai khoan", "Ten chu tai khoan",
                "So tien (VND)", "Noi dung"]


def batch_csv(batch: PayoutBatch) -> str:
    """Return the batch as a bank batch-transfer CSV (UTF-8 with a BOM): one row per payout."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(BATCH_HEADER)
    pending = [p for p in batch.payouts if p.status == PayoutStatus.PENDING]
    for n, payout in enumerate(pending, start=1):
        account = payout.bank_account
        writer.writerow([n, account.bank_bin, bank_for(account.bank_bin).short_name,
                         account.account_number, account.holder_name, payout.amount,
                         f"{payout.code} OCOP"])
    return out.getvalue()


def batches(limit: int = 20) -> list[PayoutBatch]:
    return db.session.scalars(db.select(PayoutBatch).order_by(PayoutBatch.id.desc())
                              .limit(limit)).all()


def payouts_of(producer_id: int) -> list[Payout]:
    return db.session.scalars(db.select(Payout).where(Payout.producer_id == producer_id)
                              .order_by(Payout.id.desc())).all()
