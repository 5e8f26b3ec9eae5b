"""What each movement of an order's money does to the books (``orders.money_events``).

``post_money_event`` is connected to ``money_moved`` at start-up (``storefront/wiring.py``) and
runs in the transaction of the change that announced it.
"""
from ..orders.models import LineStatus
from ..orders.money_events import MoneyEvent, MoneyKind
from ..timeutil import local_date_of, utcnow
from . import fees, ledger, payouts
from .ledger import Leg
from .models import AccountKind

K = AccountKind


def post_money_event(event: MoneyEvent, **_ignored) -> None:
    """Post the entry for one announced movement (once per ``event.key``)."""
    handler = _HANDLERS[event.kind]
    handler(event)


def _cause(event: MoneyEvent) -> str:
    order = event.order
    return getattr(order, "number", None) or event.reference or event.key


def _post(event: MoneyEvent, narration: str, legs: list[Leg]) -> None:
    order = event.order
    ledger.post(event.key, str(event.kind), _cause(event), narration, legs,
                order_id=getattr(order, "id", None))


def _money_in(channel: str, event: MoneyEvent):
    if channel == "stripe":
        return ledger.account(K.STRIPE)
    if channel == "cash":
        return ledger.account(K.DRAWER, outlet_id=event.pickup.outlet_id)
    return ledger.account(K.BANK)


def _received(event: MoneyEvent) -> None:
    """Money in for an order: the shopper's deposit (any part above the total is overpaid)."""
    source = _money_in(event.channel, event)
    _post(event, f"{event.kind} {event.reference or ''}".strip(), [
        Leg(source, event.amount),
        Leg(ledger.account(K.DEPOSITS), -(event.amount - event.over)),
        Leg(ledger.account(K.OVERPAYMENTS), -event.over),
    ])


def _unallocated(event: MoneyEvent) -> None:
    _post(event, f"transfer no order takes {event.reference or ''}".strip(), [
        Leg(ledger.account(K.BANK), event.amount),
        Leg(ledger.account(K.OVERPAYMENTS), -event.amount),
    ])


def _allocated(event: MoneyEvent) -> None:
    counted = event.amount - event.over
    _post(event, "transfer matched to the order by an admin", [
        Leg(ledger.account(K.OVERPAYMENTS), counted),
        Leg(ledger.account(K.DEPOSITS), -counted),
    ])


def _handed_over(event: MoneyEvent) -> None:
    """The lines handed over become the producers': line amount less the operator's fee."""
    pickup = event.pickup
    day = local_date_of(utcnow())
    legs = []
    for line in pickup.lines:
        if line.status == LineStatus.CANCELLED or line.amount == 0:
            continue
        fee = fees.fee_on(line.amount, fees.rate_for(line.producer_id, day))
        legs += [Leg(ledger.account(K.DEPOSITS), line.amount, line.id),
                 Leg(ledger.account(K.PAYABLE, producer_id=line.producer_id), -(line.amount - fee),
                     line.id),
                 Leg(ledger.account(K.FEE_INCOME), -fee, line.id)]
    _post(event, "goods handed over" + (" (partly)" if pickup.partial else ""), legs)


def _refund_owed(event: MoneyEvent) -> None:
    source = K.OVERPAYMENTS if event.from_overpayments else K.DEPOSITS
    _post(event, f"refund owed by {event.channel}", [
        Leg(ledger.account(source), event.amount),
        Leg(ledger.account(K.REFUNDS_OWED), -event.amount),
    ])


def _refund_sent(event: MoneyEvent) -> None:
    _post(event, f"refund sent by {event.channel} {event.reference or ''}".strip(), [
        Leg(ledger.account(K.REFUNDS_OWED), event.amount),
        Leg(_money_in(event.channel, event), -event.amount),
    ])


def _refund_reversed(event: MoneyEvent) -> None:
    _post(event, f"refund failed after success {event.reference or ''}".strip(), [
        Leg(_money_in(event.channel, event), event.amount),
        Leg(ledger.account(K.REFUNDS_OWED), -event.amount),
    ])


def _bank_out(event: MoneyEvent) -> None:
    """Money that left the bank: a payout named by its code is paid (its entry is the payout's)."""
    payouts.paid_by_bank(event.amount, event.text, event.reference)


_HANDLERS = {
    MoneyKind.CARD_RECEIVED: _received, MoneyKind.TRANSFER_RECEIVED: _received,
    MoneyKind.COUNTER_CASH: _received, MoneyKind.COUNTER_TRANSFER: _received,
    MoneyKind.UNALLOCATED: _unallocated, MoneyKind.ALLOCATED: _allocated,
    MoneyKind.HANDED_OVER: _handed_over, MoneyKind.REFUND_OWED: _refund_owed,
    MoneyKind.REFUND_SENT: _refund_sent, MoneyKind.REFUND_REVERSED: _refund_reversed,
    MoneyKind.BANK_OUT: _bank_out,
}
