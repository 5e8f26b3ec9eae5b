"""Refunds: decided inside a transaction, sent to Stripe by a worker after it commits.

The orders domain announces a pickup that ended, or an order whose payment deadline passed
(``orders/signals.py``); the receivers here, connected in ``storefront/wiring.py``, record what is
owed back in that same transaction: a Stripe refund for a card, money an admin sends back for a
bank transfer (``bank_account.py``).
"""
import enum
import logging
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import String, cast, literal, update

from ..unit_of_work import on_commit, transaction
from ..extensions import db
from ..notifications import services as notify
from ..orders.locks import lock_order
from ..orders.models import Order, PaymentMethod, PaymentStatus
from ..orders.money_events import MoneyKind, announce
from ..orders.transitions import Actor, record
from ..queue import enqueue, task
from ..timeutil import utcnow
from . import bank_account, gateway, refund_state
from .gateway import PaymentError, PaymentRefused
from .models import Refund, RefundStatus
from .transfer_models import TransferRefund

log = logging.getLogger(__name__)
PAID_BY_CARD = (PaymentStatus.PAID, PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUND_PENDING)


def give_back(order, amount: int, reason: str, *, key: str, pickup=None, by: Actor = "system",
              counter_money: bool = False):
    """Owe the shopper ``amount`` of the order's price back, the way the money came in.

    The one refund path for every method (in the caller's transaction): a card payment goes back
    through Stripe; money received by transfer or at a counter is sent back from the bank by an
    admin, never more than the order holds. ``key`` names the decision ("pickup-7"); the same key
    never gives back twice. The order's payment status follows (``refund_state``).

    ``counter_money``: what outlet counters took counts as held too. Only for goods given back
    after they were handed over (and paid for): before a hand-over a counter took nothing for
    the lines it refunds, so the default leaves counter money out.
    """
    held = bank_account.held_for(order, counter_money=counter_money)
    if order.payment_method == PaymentMethod.CARD and order.payment_status in PAID_BY_CARD:
        refund = plan_refund(order, amount, reason, key=key, pickup=pickup)
    elif held:
        refund = bank_account.owe_refund(order, min(amount, held), reason,
                                 key=f"transfer-{key}", pickup=pickup)
    else:
        return None
    refund_state.settle_status(order, by)
    return refund


def plan_refund(order, amount: int, reason: str, *, key: str, pickup=None) -> Refund | None:
    """Record a card refund to send after commit; the same ``key`` never refunds twice."""
    existing = db.session.scalar(db.select(Refund).where(Refund.idempotency_key == key))
    if existing is not None or amount <= 0:
        return existing
    # A cancel reason is free text; the refund keeps as much of it as its column holds.
    reason = reason[:Refund.reason.type.length]
    refund = Refund(order=order, pickup=pickup, amount=amount, reason=reason, idempotency_key=key)
    db.session.add(refund)
    db.session.flush()
    announce(MoneyKind.REFUND_OWED, f"refund-owed-card-{refund.id}", amount=amount, order=order,
             pickup=pickup, channel="stripe", reference=key)
    refund_id = refund.id
    on_commit(lambda: _send_soon(refund_id))
    return refund


def _send_soon(refund_id: int) -> None:
    """Hand the refund to a worker: no request waits for Stripe (``retry_refunds`` sweeps)."""
    enqueue(send_refund_task, refund_id)


def refund_whole_order(order: Order, by: Actor, reason: str) -> None:
    """Plan a refund of everything paid (in the caller's transaction); idempotent per order."""
    give_back(order, order.total, reason, key=f"order-{order.id}-full", by=by)
    record(order, "refund_planned", by, note=reason)


def give_back_for_ended_pickup(pickup, *, reason: str, **_ignored) -> None:
    """Give back what was paid for a pickup that just ended."""
    give_back(pickup.order, pickup.subtotal, reason, key=f"pickup-{pickup.id}", pickup=pickup)


def give_back_for_expired_order(order, *, reason: str, **_ignored) -> None:
    """Owe back a transfer that fell short of an order cancelled at its deadline."""
    give_back(order, order.amount_received or 0, reason, key=f"expired-{order.id}")


# --- sending ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class _RefundRequest:
    refund_id: int
    payment_intent: str | None
    amount: int
    idempotency_key: str
    stripe_refund_id: str | None
    tried_before: bool


class RefundOutcome(enum.StrEnum):
    SUCCEEDED = "refund_succeeded"
    IN_PROGRESS = "refund_in_progress"
    FAILED = "refund_failed"
    UNCHANGED = "refund_unchanged"
    UNKNOWN = "unknown_refund"


# Stripe's refund statuses: only "succeeded" means the money is on its way back.
_STRIPE_STATUSES = {"succeeded": RefundStatus.SUCCEEDED, "failed": RefundStatus.FAILED,
                    "canceled": RefundStatus.FAILED, "pending": RefundStatus.PENDING,
                    "requires_action": RefundStatus.PENDING}


def send_refund(refund_id: int) -> None:
    """Send one planned refund to Stripe, never twice; record its state, or the error for a retry.

    A sender first claims the refund (a guarded UPDATE of its attempts, committed), so a second
    sender that read the same attempt backs off. A refund Stripe already answered is only looked
    up again; one tried before whose answer was lost is searched for at Stripe by our id in its
    metadata (idempotency keys only last about a day there) and created only when none exists.
    No transaction stays open while Stripe answers.
    """
    claimed = _claim_refund(refund_id)
    if claimed is None:
        return
    try:
        result = _ask_stripe(claimed)
    except PaymentError as error:
        _refund_failed(refund_id, error)
        return
    with transaction():
        apply_stripe_refund(result, refund_id=refund_id)


@task(name="send_refund")
def send_refund_task(refund_id: int) -> None:
    """Send one planned refund to Stripe (if it is still pending)."""
    send_refund(refund_id)


def _ask_stripe(claimed: _RefundRequest) -> dict:
    if claimed.stripe_refund_id:
        return gateway.retrieve_refund(claimed.stripe_refund_id)
    if not claimed.payment_intent:
        raise PaymentRefused("order has no Stripe payment to refund")
    metadata = {"refund_id": str(claimed.refund_id)}
    if claimed.tried_before:
        found = gateway.find_refund(claimed.payment_intent, "refund_id", metadata["refund_id"])
        if found is not None:
            return found
    return gateway.create_refund(claimed.payment_intent, claimed.amount,
                                 claimed.idempotency_key, metadata=metadata)


def _claim_refund(refund_id: int) -> _RefundRequest | None:
    row = db.session.execute(
        db.select(Refund.attempts, Refund.amount, Refund.idempotency_key, Refund.stripe_refund_id,
                  Order.stripe_payment_intent)
        .join(Order, Order.id == Refund.order_id)
        .where(Refund.id == refund_id, Refund.status == RefundStatus.PENDING)
    ).first()
    db.session.commit()
    if row is None:
        return None
    claimed = db.session.execute(
        update(Refund)
        .where(Refund.id == refund_id, Refund.status == RefundStatus.PENDING,
               Refund.attempts == row.attempts)
        .values(attempts=row.attempts + 1).execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    if not claimed:
        return None  # another sender has it
    return _RefundRequest(refund_id, row.stripe_payment_intent, row.amount, row.idempotency_key,
                          row.stripe_refund_id, tried_before=row.attempts > 0)


def _refund_failed(refund_id: int, error: Exception) -> None:
    """Keep the error for the next try; a refund Stripe refused outright goes to the admins."""
    cause = error.__cause__ or error
    message = f"{type(cause).__name__}: {cause}"[:2000]
    refused = isinstance(error, PaymentRefused)
    values = {"last_error": message}
    if refused:
        values.update(status=RefundStatus.FAILED, completed_at=utcnow())
    with transaction():
        order_id = db.session.scalar(db.select(Refund.order_id).where(Refund.id == refund_id))
        order = lock_order(order_id)
        changed = db.session.execute(
            update(Refund).where(Refund.id == refund_id, Refund.status == RefundStatus.PENDING)
            .values(**values).execution_options(synchronize_session=False)).rowcount
        if refused and changed:
            refund_state.settle_status(order)
    log.log(logging.ERROR if refused else logging.WARNING, "refund %s %s: %s", refund_id,
            "refused by Stripe" if refused else "failed", message)


# --- what Stripe says of a refund (its answer, a look-up, or a webhook) ------------------------

def apply_stripe_refund(stripe_refund: dict, refund_id: int | None = None) -> RefundOutcome:
    """Record a Stripe refund's state on our refund, in the caller's transaction; once per change.

    The refund is ours when ``refund_id`` says so (the sender's own answer), or by the id in
    its metadata, or by its Stripe id. Only a refund Stripe says ``succeeded`` tells the shopper;
    ``pending`` and ``requires_action`` keep it in progress; ``failed`` or ``canceled`` (even after
    a success) mark it failed for the admins. A replayed or out-of-date state changes nothing.
    """
    refund = _our_refund(stripe_refund, refund_id)
    if refund is None:
        log.warning("Stripe refund %s is not one of ours", stripe_refund.get("id"))
        return RefundOutcome.UNKNOWN
    order = lock_order(refund.order_id)  # the order first, as every payment change locks it
    db.session.refresh(refund)  # stable now: every change to a refund locks its order first
    before = refund.status
    new = _STRIPE_STATUSES.get(stripe_refund.get("status"), RefundStatus.PENDING)
    allowed_from = [RefundStatus.PENDING]
    if new == RefundStatus.FAILED:
        allowed_from.append(RefundStatus.SUCCEEDED)  # Stripe can fail a refund after success
    values = {"stripe_refund_id": stripe_refund.get("id"),
              "stripe_status": stripe_refund.get("status")}
    if new != RefundStatus.PENDING:
        values.update(status=new, completed_at=utcnow(), last_error=None if new ==
                      RefundStatus.SUCCEEDED else _failure_text(stripe_refund))
    changed = db.session.execute(
        update(Refund).where(Refund.id == refund.id, Refund.status.in_(allowed_from),
                             db.or_(Refund.stripe_refund_id.is_(None),
                                    Refund.stripe_refund_id == stripe_refund.get("id")))
        .values(**values).execution_options(synchronize_session=False)
    ).rowcount
    if not changed or new == RefundStatus.PENDING:
        return RefundOutcome.IN_PROGRESS if changed else RefundOutcome.UNCHANGED
    db.session.refresh(refund)
    _announce_stripe_refund(refund, before, new)
    refund_state.settle_status(order, "stripe")
    if new == RefundStatus.SUCCEEDED:
        notify.refunded(refund)
        return RefundOutcome.SUCCEEDED
    log.error("refund %s of order %s %s at Stripe: %s", refund.id, order.number,
              stripe_refund.get("status"), refund.last_error)
    return RefundOutcome.FAILED


def _our_refund(stripe_refund: dict, refund_id: int | None) -> Refund | None:
    if refund_id is None:
        reference = (stripe_refund.get("metadata") or {}).get("refund_id")
        refund_id = int(reference) if str(reference or "").isdigit() else None
    if refund_id is not None:
        refund = db.session.get(Refund, refund_id)
    else:
        refund = db.session.scalar(
            db.select(Refund).where(Refund.stripe_refund_id == stripe_refund.get("id")))
    if refund is None or refund.order.stripe_payment_intent != _intent_of(stripe_refund):
        return None
    return refund


def _intent_of(stripe_refund: dict) -> str | None:
    intent = stripe_refund.get("payment_intent")
    return intent.get("id") if isinstance(intent, dict) else intent


def _failure_text(stripe_refund: dict) -> str:
    reason = stripe_refund.get("failure_reason") or "unknown"
    return f"Stripe refund {stripe_refund.get('status')}: {reason}"


def _announce_stripe_refund(refund: Refund, before: str, new: RefundStatus) -> None:
    """The money left Stripe when a refund succeeded; it came back if Stripe failed it after."""
    if new == RefundStatus.SUCCEEDED:
        announce(MoneyKind.REFUND_SENT, f"refund-sent-card-{refund.id}", amount=refund.amount,
                 order=refund.order, channel="stripe", reference=refund.stripe_refund_id)
    elif before == RefundStatus.SUCCEEDED:
        announce(MoneyKind.REFUND_REVERSED, f"refund-reversed-card-{refund.id}",
                 amount=refund.amount, order=refund.order, channel="stripe",
                 reference=refund.stripe_refund_id)


def failed_refunds() -> list[Refund]:
    """Return the card refunds Stripe failed and no admin has paid back from the bank yet."""
    paid_back = db.select(TransferRefund.id).where(
        TransferRefund.key == literal("card-refund-") + cast(Refund.id, String))
    return db.session.scalars(
        db.select(Refund).where(Refund.status == RefundStatus.FAILED, ~paid_back.exists())
        .order_by(Refund.completed_at.desc(), Refund.id.desc())
    ).all()


def retry_refunds() -> Counter:
    """Send every refund still pending, oldest first, or look up those Stripe is working on.

    Return how many are now succeeded, failed and still pending. This sweep also catches a
    refund whose webhook never arrived.
    """
    refund_ids = db.session.scalars(
        db.select(Refund.id).where(Refund.status == RefundStatus.PENDING).order_by(Refund.id)
    ).all()
    db.session.rollback()
    for refund_id in refund_ids:
        send_refund(refund_id)
    statuses = db.session.scalars(db.select(Refund.status).where(Refund.id.in_(refund_ids))).all()
    return Counter(str(s) for s in statuses)
