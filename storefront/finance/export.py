"""The books for the accountant: a Beancount file (``bean-check`` accepts it, Fava opens it) and
a CSV of every posting. Each transaction names its cause (order number, payout or remittance
code) and its unique key, so any đồng can be traced back to what moved it."""
import csv
import io
from datetime import date

from ..extensions import db
from ..timeutil import local_date_of
from .models import Account, JournalEntry, Posting

CURRENCY = "VND"


def _quoted(text: str) -> str:
    return '"' + (text or "").replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _entries():
    return db.session.scalars(db.select(JournalEntry).order_by(JournalEntry.occurred_at,
                                                               JournalEntry.id)).yield_per(1000)


def _postings_by_entry() -> dict[int, list[tuple[str, int]]]:
    rows = db.session.execute(db.select(Posting.entry_id, Account.code, Posting.amount)
                              .join(Account).order_by(Posting.entry_id, Posting.id))
    found: dict[int, list[tuple[str, int]]] = {}
    for entry_id, code, amount in rows:
        found.setdefault(entry_id, []).append((code, amount))
    return found


def _opening_day() -> date:
    first = db.session.scalar(db.select(db.func.min(JournalEntry.occurred_at)))
    accounts = db.session.scalar(db.select(db.func.min(Account.created_at)))
    days = [local_date_of(moment) for moment in (first, accounts) if moment is not None]
    return min(days) if days else date.today()


def beancount(out) -> int:
    """Write the books as Beancount to ``out``; return how many transactions."""
    out.write('option "title" "OCOP Storefront"\noption "operating_currency" "VND"\n\n')
    opened = _opening_day().isoformat()
    for code in db.session.scalars(db.select(Account.code).order_by(Account.code)):
        out.write(f"{opened} open {code} {CURRENCY}\n")
    postings = _postings_by_entry()
    count = 0
    for entry in _entries():
        day = local_date_of(entry.occurred_at).isoformat()
        out.write(f"\n{day} * {_quoted(entry.cause)} {_quoted(entry.narration)}\n")
        out.write(f"  key: {_quoted(entry.key)}\n  kind: {_quoted(entry.kind)}\n")
        for code, amount in postings.get(entry.id, []):
            out.write(f"  {code}  {amount} {CURRENCY}\n")
        count += 1
    return count


CSV_HEADER = ["date", "entry", "key", "kind", "cause", "account", "amount_vnd", "narration"]


def csv_rows(out) -> int:
    """Write every posting as a CSV row (UTF-8 with a BOM, for spreadsheets); return how many."""
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    postings = _postings_by_entry()
    count = 0
    for entry in _entries():
        for code, amount in postings.get(entry.id, []):
            writer.writerow([local_date_of(entry.occurred_at).isoformat(), entry.id, entry.key,
                             entry.kind, entry.cause, code, amount, entry.narration])
            count += 1
    return count


def export_text(fmt: str) -> str:
    buffer = io.StringIO()
    (beancount if fmt == "beancount" else csv_rows)(buffer)
    return buffer.getvalue()
