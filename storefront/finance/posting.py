"""What each movement of an order's money does to the books (``orders.money_events``).

``post_money_event`` is connected to ``money_moved`` at start-up (``storefront/wiring.py``) and
runs in the transaction of the change that announced it.
"""
from sqlalchemy import func

from ..extensions import db
from ..orders.models import LineStatus
from ..orders.money_events import MoneyEvent, MoneyKind
from ..timeutil import local_date_of, utcnow
from . import fees, ledger, payouts
from .ledger import Leg
from .models import Account, AccountKind, JournalEntry, Posting

K = AccountKind


def post_money_event(event: MoneyEvent, **_ignored) -> None:
    """Post the entry for one announced movement (once per ``event.key``)."""
    handler = _HANDLERS[event.kind]
    handler(event)


def _cause(event: MoneyEvent) -> str:
    order = event.order
    number = getattr(order, "number", None)
    if number and event.kind == MoneyKind.GOODS_RETURNED and event.reference:
        return f"{number} {event.reference}"  # the order and which of its returns
    return number or event.reference or event.key


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


def _goods_returned(event: MoneyEvent) -> None:
    """Units of a handed-over line given back: what the hand-over made the producer's (their share
    and the operator's fee on it) goes back to the shopper's deposit, for the refund owed in the
    same transaction to move on (``payments.refunds.give_back``), as for any refund.

    The fee goes back in proportion to the units, from the fee the hand-over really charged,
    rounded half up to the đồng as at hand-over; counted over all of the line's returns so far,
    so a line given back whole, in any number of returns, takes back exactly the fee it paid.
    A line the books never saw handed over (before they existed) posts nothing.
    """
    line, amount = event.line, event.amount
    handed, fee_charged = _handed_over_of(line, event.pickup)
    if handed <= 0 or amount <= 0:
        return
    returned_before, fee_before = _returned_of(line)
    returned = min(returned_before + amount, handed)
    fee = (2 * fee_charged * returned + handed) // (2 * handed) - fee_before
    narration = (f"goods returned ({event.reference or event.key}): "
                 f"{event.quantity} × {line.product_name}")
    _post(event, narration, [
        Leg(ledger.account(K.PAYABLE, producer_id=line.producer_id), amount - fee, line.id),
        Leg(ledger.account(K.FEE_INCOME), fee, line.id),
        Leg(ledger.account(K.DEPOSITS), -amount, line.id),
    ])


def _line_postings(line_id: int, *where) -> dict[str, int]:
    """Return {account kind: sum} of one order line's postings in entries matching ``where``."""
    rows = db.session.execute(
        db.select(Account.kind, func.sum(Posting.amount))
        .join(Posting, Posting.account_id == Account.id)
        .join(JournalEntry, JournalEntry.id == Posting.entry_id)
        .where(Posting.order_line_id == line_id, *where).group_by(Account.kind)).all()
    return {kind: int(total or 0) for kind, total in rows}


def _handed_over_of(line, pickup) -> tuple[int, int]:
    """Return what the hand-over entry took from the deposit for the line, and the fee it charged."""
    sums = _line_postings(line.id, JournalEntry.key == f"handover-{pickup.id}")
    return sums.get(K.DEPOSITS, 0), -sums.get(K.FEE_INCOME, 0)


def _returned_of(line) -> tuple[int, int]:
    """Return what the line's earlier returns put back in the deposit, and the fee they took back."""
    sums = _line_postings(line.id, JournalEntry.kind == str(MoneyKind.GOODS_RETURNED))
    return -sums.get(K.DEPOSITS, 0), sums.get(K.FEE_INCOME, 0)


def _refund_owed(event: MoneyEvent) -> None:
    source = K.OVERPAYMENTS if event.from_overpayments else K.DEPOSITS
    _post(event, f"refund owed by {event.channel} {event.reference or ''}".strip(), [
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
    MoneyKind.HANDED_OVER: _handed_over, MoneyKind.GOODS_RETURNED: _goods_returned,
    MoneyKind.REFUND_OWED: _refund_owed,
    MoneyKind.REFUND_SENT: _refund_sent, MoneyKind.REFUND_REVERSED: _refund_reversed,
    MoneyKind.BANK_OUT: _bank_out,
}


# --- bookings (issue 24): an experience is the producer's sale once it is given ------------------

def _booking_collected(event: MoneyEvent) -> None:
    """A booking paid at the venue, collected at its check-in: the shopper's deposit, as at a counter.

    Cash at an outlet goes into that outlet's drawer and a transfer into the shop's bank account.
    At a producer's own workshop the producer took the money themselves: the books count it as
    paid to the producer outside the shop (their payable is debited the whole amount), so with
    ``_booking_attended`` the producer ends up owing the operator's fee, taken off their next payout.
    """
    booking = event.booking
    if event.channel == "producer":
        source = ledger.account(K.PAYABLE, producer_id=booking.producer_id)
    elif event.channel == "cash":
        source = ledger.account(K.DRAWER, outlet_id=booking.experience.outlet_id)
    else:
        source = ledger.account(K.BANK)
    _post(event, f"booking {booking.id} paid at the venue ({event.channel})", [
        Leg(source, event.amount),
        Leg(ledger.account(K.DEPOSITS), -event.amount),
    ])


def _booking_attended(event: MoneyEvent) -> None:
    """A booking's experience was given (checked in, or a paid no-show past the free-cancellation
    deadline): its seats' amount leaves the deposit, less the operator's fee (the rate of the
    producer on this Hanoi day, rounded as for goods) to the producer's payable."""
    booking = event.booking
    fee = fees.fee_on(event.amount, fees.rate_for(booking.producer_id, local_date_of(utcnow())))
    _post(event, f"experience given ({event.reference}): booking {booking.id}, {booking.experience_name}", [
        Leg(ledger.account(K.DEPOSITS), event.amount),
        Leg(ledger.account(K.PAYABLE, producer_id=booking.producer_id), -(event.amount - fee)),
        Leg(ledger.account(K.FEE_INCOME), -fee),
    ])


_HANDLERS.update({MoneyKind.BOOKING_COLLECTED: _booking_collected,
                  MoneyKind.BOOKING_ATTENDED: _booking_attended})


# --- Stripe's payouts: card money from the Stripe balance to the shop's bank account ---------------

def _stripe_payout(event: MoneyEvent) -> None:
    """Stripe paid ``event.amount`` out to the bank: it leaves clearing for the bank account.

    Stripe pays out the card payments less its processing fees, each posted on its own once read
    from the charge (``_stripe_fee``): what stays in clearing is what Stripe has not paid out yet."""
    _post(event, f"Stripe payout {event.reference} to the bank {event.text or ''}".strip(), [
        Leg(ledger.account(K.BANK), event.amount),
        Leg(ledger.account(K.STRIPE), -event.amount),
    ])


def _stripe_payout_failed(event: MoneyEvent) -> None:
    """A payout Stripe said was paid failed (the bank returned it): the mirror of its entry, once.
    Nothing if its entry was already reversed (an admin did, on the journal page)."""
    paid = ledger.posted(f"stripe-payout-{event.reference}")
    if paid is None:
        return
    ledger.reverse(paid, event.key, f"Stripe payout {event.reference} failed after it was paid "
                                    f"{event.text or ''}".strip())


def _stripe_fee(event: MoneyEvent) -> None:
    """Stripe kept ``event.amount`` of a card payment as its fee: an expense, out of clearing, so
    clearing holds only what Stripe still owes the shop."""
    _post(event, f"Stripe fee on {event.reference}", [
        Leg(ledger.account(K.STRIPE_FEES), event.amount),
        Leg(ledger.account(K.STRIPE), -event.amount),
    ])


_HANDLERS.update({MoneyKind.STRIPE_PAYOUT: _stripe_payout,
                  MoneyKind.STRIPE_PAYOUT_FAILED: _stripe_payout_failed,
                  MoneyKind.STRIPE_FEE: _stripe_fee})
