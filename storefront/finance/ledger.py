"""Posting to the books: entries that balance, once per cause, never edited; balances.

These run in the caller's transaction, so an entry commits or rolls back with its cause.
"""
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import event, func
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..extensions import db
from ..timeutil import utcnow
from .models import ACCOUNT_TYPES, Account, AccountKind, JournalEntry, Posting

K = AccountKind
_FIXED_CODES = {
    K.BANK: "Assets:Bank:Operator", K.STRIPE: "Assets:Stripe:Clearing",
    K.DEPOSITS: "Liabilities:Shoppers:Deposits", K.OVERPAYMENTS: "Liabilities:Shoppers:Overpayments",
    K.REFUNDS_OWED: "Liabilities:Shoppers:RefundsOwed", K.FEE_INCOME: "Income:Operator:Fees",
    K.CASH_DIFFERENCES: "Expenses:Outlets:CashDifferences", K.STRIPE_FEES: "Expenses:Stripe:Fees",
}


class LedgerError(Exception):
    """An entry that would break the books (unbalanced, too few legs, an edit)."""


@dataclass(frozen=True)
class Leg:
    """One posting to be: debit positive, credit negative, whole đồng."""

    account: Account
    amount: int
    order_line_id: int | None = None


def account_code(kind: AccountKind, producer_id: int | None = None,
                 outlet_id: int | None = None) -> str:
    """Return the account's Beancount name: fixed ones, or one per producer or outlet."""
    if kind == K.PAYABLE:
        return f"Liabilities:Producers:P{producer_id:06d}"
    if kind == K.DRAWER:
        return f"Assets:Drawers:O{outlet_id:04d}"
    return _FIXED_CODES[kind]


def fixed_codes() -> dict[AccountKind, str]:
    """Return the accounts every shop has, by kind (per-producer and per-outlet ones aside)."""
    return dict(_FIXED_CODES)


def find_account(kind: AccountKind, *, producer_id: int | None = None,
                 outlet_id: int | None = None) -> Account | None:
    """Return the account if it exists (pages read through this, so a GET never writes)."""
    code = account_code(kind, producer_id, outlet_id)
    return db.session.scalar(db.select(Account).where(Account.code == code))


def account(kind: AccountKind, *, producer_id: int | None = None,
            outlet_id: int | None = None) -> Account:
    """Return the account, making it on first use (a concurrent maker wins and is reused)."""
    code = account_code(kind, producer_id, outlet_id)
    found = db.session.scalar(db.select(Account).where(Account.code == code))
    if found is not None:
        return found
    made = Account(code=code, kind=kind, type=ACCOUNT_TYPES[kind], producer_id=producer_id,
                   outlet_id=outlet_id, created_at=utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(made)
    except IntegrityError:
        return db.session.scalar(db.select(Account).where(Account.code == code))
    return made


def posted(key: str) -> JournalEntry | None:
    return db.session.scalar(db.select(JournalEntry).where(JournalEntry.key == key))


def post(key: str, kind: str, cause: str, narration: str, legs: list[Leg], *,
         order_id: int | None = None, reverses: JournalEntry | None = None,
         occurred_at: datetime | None = None, posted_by: str | None = None) -> JournalEntry | None:
    """Write one balanced entry for ``key``; return None if that cause was posted already.

    Legs of zero are left out; an entry whose legs are all zero is not written.

    :raises LedgerError: the legs do not sum to zero, an amount is not whole đồng, or fewer
        than two legs are left.
    """
    if any(not isinstance(leg.amount, int) or isinstance(leg.amount, bool) for leg in legs):
        raise LedgerError(f"entry {key}: amounts must be whole đồng")
    legs = [leg for leg in legs if leg.amount != 0]
    if not legs:
        return None
    if sum(leg.amount for leg in legs) != 0 or len(legs) < 2:
        raise LedgerError(f"entry {key} does not balance: {[(l.account.code, l.amount) for l in legs]}")
    if posted(key) is not None:
        return None
    now = utcnow()
    entry = JournalEntry(key=key, kind=kind, cause=cause[:40], narration=narration[:300],
                         order_id=order_id, reverses_id=reverses.id if reverses else None,
                         occurred_at=occurred_at or now, created_at=now,
                         posted_by=posted_by[:254] if posted_by else None)
    db.session.add(entry)
    for leg in legs:
        db.session.add(Posting(entry=entry, account=leg.account, amount=leg.amount,
                               order_line_id=leg.order_line_id))
    db.session.flush()
    return entry


def reverse(entry: JournalEntry, key: str, narration: str, *,
            posted_by: str | None = None) -> JournalEntry | None:
    """Post the mirror of ``entry`` (each leg negated): how the books correct, never by editing.

    An entry is reversed once (``reverses_id`` is unique): None if it was already, by whoever.
    """
    if reversal_of(entry) is not None:
        return None
    legs = [Leg(p.account, -p.amount, p.order_line_id) for p in entry.postings]
    return post(key, f"{entry.kind}_reversed"[:30], entry.cause, narration, legs,
                order_id=entry.order_id, reverses=entry, posted_by=posted_by)


def reversal_of(entry: JournalEntry) -> JournalEntry | None:
    """Return the entry that reversed ``entry``, if one did."""
    return db.session.scalar(db.select(JournalEntry).where(JournalEntry.reverses_id == entry.id))


# --- reading the books ------------------------------------------------------------------------

def balance(acct: Account | None, until: datetime | None = None) -> int:
    """Return the account's balance (debits positive), optionally up to a moment."""
    if acct is None or acct.id is None:
        return 0
    query = db.select(func.coalesce(func.sum(Posting.amount), 0)).where(Posting.account_id == acct.id)
    if until is not None:
        query = query.join(JournalEntry).where(JournalEntry.occurred_at < until)
    return int(db.session.scalar(query))


def balances() -> list[tuple[Account, int]]:
    """Return every account with its balance, by code (the trial balance's rows)."""
    sums = dict(db.session.execute(
        db.select(Posting.account_id, func.sum(Posting.amount)).group_by(Posting.account_id)).all())
    accounts = db.session.scalars(db.select(Account).order_by(Account.code)).all()
    return [(a, int(sums.get(a.id) or 0)) for a in accounts]


def trial_balance() -> int:
    """Return the sum of every posting: zero in books that balance."""
    return int(db.session.scalar(db.select(func.coalesce(func.sum(Posting.amount), 0))))


def unbalanced_entries() -> list[int]:
    """Return the ids of entries whose postings do not sum to zero (none, if all is well)."""
    return list(db.session.scalars(
        db.select(Posting.entry_id).group_by(Posting.entry_id)
        .having(func.sum(Posting.amount) != 0)))


def balances_by_kind() -> dict[str, int]:
    totals = defaultdict(int)
    for acct, amount in balances():
        totals[acct.kind] += amount
    return dict(totals)


@event.listens_for(Session, "before_flush")
def _refuse_edits(session, _context, _instances) -> None:
    """Entries and postings are written once: an update or delete in the ORM is a bug."""
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, (JournalEntry, Posting)) and (obj in session.deleted
                                                         or session.is_modified(obj)):
            raise LedgerError("the books are append-only: correct with a reversing entry")
