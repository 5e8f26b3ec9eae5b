"""Stripe's processing fee of each card payment, into the books.

Stripe takes in what the shopper paid and later pays out that less its fee. Neither the Checkout
Session in the webhook nor a payout says the fee: it is on the charge's balance transaction
(``fee``, ``net``). The worker (``post_fees``, every 15 minutes) asks Stripe for it, once per paid
card order: the PaymentIntent with ``latest_charge.balance_transaction`` expanded. The answer is
kept (``StripeCharge``, one row per PaymentIntent) and a fee in VND is announced
(``MoneyKind.STRIPE_FEE``, key ``stripe-fee-<pi>``), which the ledger posts as
Expenses:Stripe:Fees ← Assets:Stripe:Clearing. A fee in another currency (an account Stripe settles
in dollars, say) is kept but not posted: the books are in đồng, so an admin posts it by hand.

Stripe down, or no balance transaction yet: nothing is kept, and the next sweep asks again.
"""
import logging
from collections import Counter

from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..orders.models import Order, PaymentMethod
from ..orders.money_events import MoneyKind, announce
from ..timeutil import utcnow
from ..unit_of_work import transaction
from . import gateway
from .gateway import PaymentError, PaymentRefused
from .models import StripeCharge

log = logging.getLogger(__name__)
CURRENCY = "vnd"
BATCH = 200  # payments asked about per sweep; the rest wait for the next one


def waiting(limit: int = BATCH) -> list[tuple[int, str]]:
    """Return (order id, PaymentIntent) of paid card orders whose fee is not known yet, the latest
    paid first: a payment Stripe keeps answering "not ready" or "unknown" for is asked about again
    every sweep, and must never keep a newer one waiting behind it.

    Paid once is enough: a refund later does not give Stripe's fee back."""
    return db.session.execute(
        db.select(Order.id, Order.stripe_payment_intent)
        .outerjoin(StripeCharge, StripeCharge.payment_intent == Order.stripe_payment_intent)
        .where(Order.payment_method == PaymentMethod.CARD, Order.paid_at.is_not(None),
               Order.stripe_payment_intent.is_not(None), StripeCharge.payment_intent.is_(None))
        .order_by(Order.paid_at.desc(), Order.id.desc()).limit(limit)).all()


def post_fees(limit: int = BATCH) -> Counter:
    """Ask Stripe for the fee of each paid card payment not asked about yet; return what happened."""
    todo = waiting(limit)
    db.session.rollback()  # hold nothing open while talking to Stripe
    outcomes = Counter()
    for order_id, payment_intent in todo:
        try:
            found = gateway.charge_balance(payment_intent)
        except PaymentRefused:
            log.error("Stripe does not know PaymentIntent %s of order %s", payment_intent, order_id)
            outcomes["unknown_at_stripe"] += 1
            continue
        except PaymentError:
            outcomes["stripe_error"] += 1
            continue
        if found is None:
            outcomes["not_ready"] += 1
            continue
        outcomes[_keep(order_id, payment_intent, found)] += 1
    return outcomes


def _keep(order_id: int, payment_intent: str, found: dict) -> str:
    fields = _fields(found)
    if fields is None:
        log.error("PaymentIntent %s: not a balance transaction we can read: %r", payment_intent,
                  {k: found.get(k) for k in ("object", "id", "amount", "fee", "net", "currency")})
        return "malformed"
    with transaction():
        charge = StripeCharge(payment_intent=payment_intent, order_id=order_id, fetched_at=utcnow(),
                              posted=fields["currency"] == CURRENCY, **fields)
        try:
            with db.session.begin_nested():
                db.session.add(charge)
        except IntegrityError:
            return "already"  # another worker kept it first, and announced its fee
        if not charge.posted:
            log.error("PaymentIntent %s: Stripe's fee is in %s, not VND; left for an admin",
                      payment_intent, fields["currency"])
            return "other_currency"
        announce(MoneyKind.STRIPE_FEE, f"stripe-fee-{payment_intent}", amount=charge.fee,
                 order=db.session.get(Order, order_id), channel="stripe",
                 reference=charge.balance_transaction)
    return "posted" if charge.fee else "no_fee"


def _fields(found: dict) -> dict | None:
    """The balance transaction's fields we keep, or None unless it is one Stripe would send."""
    numbers = [found.get(k) for k in ("amount", "fee", "net")]
    if any(not isinstance(n, int) or isinstance(n, bool) for n in numbers):
        return None
    amount, fee, net = numbers
    txn, charge, currency = found.get("id"), found.get("charge"), found.get("currency")
    if found.get("object") != "balance_transaction" or not isinstance(txn, str) \
            or not txn.startswith("txn_") or not isinstance(charge, str) \
            or not isinstance(currency, str) or fee < 0 or amount - fee != net:
        return None
    return {"charge": charge[:255], "balance_transaction": txn[:255], "amount": amount, "fee": fee,
            "net": net, "currency": currency.lower()[:3]}


def not_posted() -> list[StripeCharge]:
    """Fees Stripe kept in another currency, which an admin posts by hand."""
    return db.session.scalars(db.select(StripeCharge).where(StripeCharge.posted.is_(False))
                              .order_by(StripeCharge.fetched_at.desc())).all()


def totals() -> tuple[int, int]:
    """(payments whose fee was posted, the fees posted in đồng)."""
    count, fees = db.session.execute(
        db.select(db.func.count(), db.func.coalesce(db.func.sum(StripeCharge.fee), 0))
        .where(StripeCharge.posted.is_(True))).one()
    return count, fees
