"""Corrections an admin posts by hand: the reversal of a posted entry, and a two-line adjustment
between accounts of the chart. Both are entries like any other (balanced, once per cause, never
edited), dated when posted, with the admin's email in ``JournalEntry.posted_by`` and the reason
or memo as narration; neither lands in a settlement period already closed.
"""
import re
from datetime import date

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..timeutil import local_today
from ..unit_of_work import transaction
from . import ledger
from .ledger import Leg
from .models import Account, JournalEntry, Statement

MANUAL = "manual_adjustment"
TOKEN = re.compile(r"[0-9a-f]{32}")
# Entries another page keeps in step with what they record: reversed there, not here.
REVERSED_ELSEWHERE = {"payout_paid": "admin.payouts"}


class AdjustmentError(Exception):
    """A correction the books refuse; the message is for the admin, in their language."""


def closed_through() -> date | None:
    """Return the last day of the latest settlement period closed (a statement written), if any."""
    return db.session.scalar(db.select(db.func.max(Statement.period_end)))


def closed_today() -> bool:
    """Tell whether today's settlement period is already closed (no correction can be posted)."""
    through = closed_through()
    return through is not None and local_today() <= through


def _refuse_closed_period(day: date) -> None:
    through = closed_through()
    if through is not None and day <= through:
        raise AdjustmentError(_("Kỳ thanh toán đến hết ngày %(day)s đã chốt: không thể ghi bút "
                                "toán vào kỳ đã chốt.", day=through.strftime("%d/%m/%Y")))


def chart() -> list[tuple[str, str]]:
    """Return the accounts an adjustment may use, as (code, label) by code: every account the books
    have, and the fixed ones not used yet (made on first use)."""
    accounts = db.session.scalars(db.select(Account).order_by(Account.code)).all()
    labels = {a.code: _label(a) for a in accounts}
    for code in ledger.fixed_codes().values():
        labels.setdefault(code, code)
    return sorted(labels.items())


def _label(acct: Account) -> str:
    owner = acct.producer.name if acct.producer else acct.outlet.display_name if acct.outlet else ""
    return f"{acct.code} — {owner}" if owner else acct.code


def _account_for(code: str) -> Account:
    found = db.session.scalar(db.select(Account).where(Account.code == code))
    if found is not None:
        return found
    for kind, fixed in ledger.fixed_codes().items():
        if fixed == code:
            return ledger.account(kind)
    raise AdjustmentError(_("Tài khoản %(code)s không có trong hệ thống tài khoản.", code=code))


def reverse_entry(entry_id: int, reason: str, by: str) -> JournalEntry:
    """Post the mirror of entry ``entry_id``, linked to it, with ``reason``; once per entry.

    :raises AdjustmentError: no such entry, already reversed (now or by a concurrent click), an
        entry another page reverses, or today is in a closed period.
    """
    reason = (reason or "").strip()
    if not reason:
        raise AdjustmentError(_("Vui lòng ghi lý do đảo bút toán."))
    with transaction():
        entry = db.session.get(JournalEntry, entry_id)
        if entry is None:
            raise AdjustmentError(_("Không tìm thấy bút toán #%(id)d.", id=entry_id))
        if entry.kind in REVERSED_ELSEWHERE:
            raise AdjustmentError(_("Bút toán chi trả cho cơ sở được đảo ở trang Chi trả (ghi "
                                    "khoản chi trả thất bại), để khoản chi trả khớp với sổ."))
        _refuse_closed_period(local_today())
        done = ledger.reversal_of(entry)
        if done is not None:
            raise _already(entry, done)
        try:
            with db.session.begin_nested():
                made = ledger.reverse(entry, f"reversal-{entry.id}",
                                      f"reversal of #{entry.id}: {reason}"[:300], posted_by=by)
        except IntegrityError:
            made = None  # another admin's reversal of it committed first
        if made is None:
            raise _already(entry, ledger.reversal_of(entry))
    return made


def _already(entry: JournalEntry, done: JournalEntry | None) -> AdjustmentError:
    if done is None:
        return AdjustmentError(_("Bút toán #%(id)d đã được đảo.", id=entry.id))
    return AdjustmentError(_("Bút toán #%(id)d đã được đảo bằng bút toán #%(by)d.",
                             id=entry.id, by=done.id))


def post_adjustment(debit_code: str, credit_code: str, amount: int, memo: str, by: str,
                    token: str) -> JournalEntry:
    """Post ``amount`` đồng debited to one account and credited to another, with ``memo``.

    ``token`` (from the form's page) names the adjustment: the same form sent twice posts once.

    :raises AdjustmentError: the same account twice, an amount that is not a positive whole
        number, no memo, an account not in the chart, today in a closed period, or sent before.
    """
    memo = (memo or "").strip()
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise AdjustmentError(_("Số tiền phải là số đồng nguyên lớn hơn 0."))
    if debit_code == credit_code:
        raise AdjustmentError(_("Tài khoản ghi Nợ và tài khoản ghi Có phải khác nhau."))
    if not memo:
        raise AdjustmentError(_("Vui lòng ghi nội dung điều chỉnh."))
    if not TOKEN.fullmatch(token or ""):
        raise AdjustmentError(_("Biểu mẫu không hợp lệ. Vui lòng tải lại trang và thử lại."))
    with transaction():
        _refuse_closed_period(local_today())
        debit, credit = _account_for(debit_code), _account_for(credit_code)
        key = f"adjustment-{token}"
        try:
            with db.session.begin_nested():
                made = ledger.post(key, MANUAL, f"ADJ-{token[:8].upper()}", memo[:300],
                                   [Leg(debit, amount), Leg(credit, -amount)], posted_by=by)
        except IntegrityError:
            made = None  # the same form, sent twice at once: the other one posted it
        if made is None:
            raise AdjustmentError(_("Bút toán điều chỉnh này đã được ghi (biểu mẫu gửi hai lần)."))
    return made


def entries_query():
    """Every entry, newest first (the journal page pages through it)."""
    return db.select(JournalEntry).options(selectinload(JournalEntry.postings)) \
        .order_by(JournalEntry.id.desc())


def reversals_of(entries: list[JournalEntry]) -> dict[int, JournalEntry]:
    """Return {entry id: the entry reversing it} for the entries shown."""
    ids = [e.id for e in entries]
    if not ids:
        return {}
    return {r.reverses_id: r for r in db.session.scalars(
        db.select(JournalEntry).where(JournalEntry.reverses_id.in_(ids)))}
