"""Stripe's payouts: card money leaving the shop's Stripe balance for its bank account.

Stripe sends ``payout.paid`` when a payout reached the bank, ``payout.failed`` when it did not
(which can come days after ``payout.paid``) and ``payout.canceled`` when it was stopped before it
left. Each is applied inside the webhook's unit of work (``webhook.handle_event``), after the
event's id was recorded; the payout's own row (``StripePayout``, by its ``po_…`` id) is locked
first, so two events about one payout, however they race, take effect once and in a state that
makes sense. What it means for the books is announced (``orders.money_events``): the ledger posts
Bank ← Stripe clearing once per payout, and the mirror entry if a paid payout then fails.
"""
import enum
import logging
from datetime import date, datetime, timezone

from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..orders.money_events import MoneyKind, announce
from ..timeutil import utcnow
from .models import StripePayout, StripePayoutStatus

log = logging.getLogger(__name__)
S = StripePayoutStatus
CURRENCY = "vnd"  # the shop's only currency; zero-decimal at Stripe, so amounts are whole đồng
MAX_AMOUNT = 10 ** 13  # far above any real payout; more is not a payout of ours


class PayoutOutcome(enum.StrEnum):
    PAID = "payout_paid"                  # posted Bank ← Stripe clearing
    REVERSED = "payout_reversed"          # a paid payout failed: the mirror entry was posted
    FAILED = "payout_failed"              # failed or cancelled before it was paid: nothing to post
    ALREADY = "payout_already_applied"    # another event about the payout said this already
    LATE = "payout_paid_after_failure"    # a paid event older than the failure we already have
    WRONG_CURRENCY = "payout_wrong_currency"
    MALFORMED = "payout_malformed"


EVENTS = {"payout.paid": S.PAID, "payout.failed": S.FAILED, "payout.canceled": S.CANCELED}


def apply_event(event: dict) -> PayoutOutcome:
    """Apply one verified ``payout.*`` event in the caller's transaction; return what it did."""
    payout = event["data"]["object"]
    fields = _fields(payout)
    if fields is None:
        log.error("Stripe event %s (%s): not a payout we can read: %r", event["id"], event["type"],
                  {k: payout.get(k) for k in ("object", "id", "amount", "currency")})
        return PayoutOutcome.MALFORMED
    if fields["currency"] != CURRENCY:
        log.error("Stripe event %s: payout %s is in %r, the shop's books are in VND only",
                  event["id"], fields["id"], payout.get("currency"))
        return PayoutOutcome.WRONG_CURRENCY
    status = EVENTS[event["type"]]
    row, made = _locked_row(fields, status)
    if status == S.PAID:
        return _paid(row, fields)
    return _failed(row, fields, status, made)


def _fields(payout: dict) -> dict | None:
    """Return the payout's fields we keep, or None unless it is a payout Stripe would send."""
    amount, payout_id = payout.get("amount"), payout.get("id")
    if payout.get("object") != "payout" or not isinstance(payout_id, str) \
            or not payout_id.startswith("po_") or len(payout_id) > 255:
        return None
    if not isinstance(amount, int) or isinstance(amount, bool) or not 0 < amount < MAX_AMOUNT:
        return None
    currency = payout.get("currency")
    return {
        "id": payout_id, "amount": amount,
        "currency": currency.lower() if isinstance(currency, str) else "",
        "arrival_date": _day(payout.get("arrival_date")),
        "destination": _text(payout.get("destination")),
        "balance_transaction": _text(payout.get("balance_transaction")),
        "failure_code": _text(payout.get("failure_code"), 80),
    }


def _text(value, length: int = 255) -> str | None:
    if isinstance(value, dict):  # an expanded object: keep its id
        value = value.get("id")
    return value[:length] if isinstance(value, str) else None


def _day(value) -> date | None:
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2 ** 33:
        return datetime.fromtimestamp(value, timezone.utc).date()
    return None


def _locked_row(fields: dict, status: StripePayoutStatus) -> tuple[StripePayout, bool]:
    """Return the payout's row, locked for this transaction, and whether this event made it (the
    first about the payout). A concurrent maker wins: its row is then the one locked, after it
    committed, so the two events are applied one after the other."""
    row = db.session.get(StripePayout, fields["id"], with_for_update=True)
    if row is not None:
        return row, False
    made = StripePayout(id=fields["id"], amount=fields["amount"], currency=fields["currency"],
                        status=status, arrival_date=fields["arrival_date"],
                        destination=fields["destination"],
                        balance_transaction=fields["balance_transaction"], received_at=utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(made)
    except IntegrityError:
        return db.session.get(StripePayout, fields["id"], with_for_update=True,
                              populate_existing=True), False
    return made, True


def _paid(row: StripePayout, fields: dict) -> PayoutOutcome:
    if row.status in (S.FAILED, S.CANCELED):
        log.warning("payout %s: paid event after its failure, left failed", row.id)
        return PayoutOutcome.LATE
    if row.paid_at is not None:
        return PayoutOutcome.ALREADY
    row.status, row.paid_at = S.PAID, utcnow()
    row.arrival_date = fields["arrival_date"] or row.arrival_date
    announce(MoneyKind.STRIPE_PAYOUT, f"stripe-payout-{row.id}", amount=row.amount,
             channel="stripe", reference=row.id,
             text=f"arrival {row.arrival_date.isoformat()}" if row.arrival_date else None)
    return PayoutOutcome.PAID


def _failed(row: StripePayout, fields: dict, status: StripePayoutStatus,
            made: bool) -> PayoutOutcome:
    if not made and row.status in (S.FAILED, S.CANCELED):
        return PayoutOutcome.ALREADY
    was_paid = row.paid_at is not None
    row.status, row.failed_at = status, utcnow()
    row.failure_code = fields["failure_code"] or row.failure_code
    if not was_paid:
        return PayoutOutcome.FAILED
    announce(MoneyKind.STRIPE_PAYOUT_FAILED, f"stripe-payout-{row.id}-failed", amount=row.amount,
             channel="stripe", reference=row.id, text=row.failure_code)
    return PayoutOutcome.REVERSED


def recent(limit: int = 20) -> list[StripePayout]:
    """Return the latest payouts Stripe told us about, newest first (the books page lists them)."""
    return db.session.scalars(db.select(StripePayout).order_by(
        StripePayout.received_at.desc(), StripePayout.id).limit(limit)).all()


def totals() -> dict[str, int]:
    """Return {status: (count, amount)} over every payout Stripe told us about."""
    rows = db.session.execute(db.select(StripePayout.status, db.func.count(),
                                        db.func.coalesce(db.func.sum(StripePayout.amount), 0))
                              .group_by(StripePayout.status)).all()
    return {status: (int(count), int(amount)) for status, count, amount in rows}
