"""What the orders and payments domains announce when an order's money moves.

The ledger (``storefront.finance``) sits above orders and payments and posts a journal entry for
each announcement, in the same transaction as the change that caused it; nothing here knows the
ledger exists. Every event names its cause and carries a ``key`` that is unique per cause, so a
replayed cause can never post twice.
"""
import enum
from dataclasses import dataclass

from .signals import money_moved


class MoneyKind(enum.StrEnum):
    CARD_RECEIVED = "card_received"            # Stripe says the Checkout was paid
    TRANSFER_RECEIVED = "transfer_received"    # into the shop's bank account, counted to an order
    UNALLOCATED = "unallocated"                # into the bank account, no order can take it (yet)
    ALLOCATED = "allocated"                    # an admin counted an unallocated transfer to an order
    COUNTER_CASH = "counter_cash"              # taken in cash at an outlet's counter
    COUNTER_TRANSFER = "counter_transfer"      # paid by transfer at the counter, seen in the bank app
    HANDED_OVER = "handed_over"                # a pickup (or its received part) went to the shopper
    GOODS_RETURNED = "goods_returned"          # units of a handed-over line given back at the outlet
    REFUND_OWED = "refund_owed"                # money the shopper is owed back
    REFUND_SENT = "refund_sent"                # the money went back (Stripe succeeded, or the bank)
    REFUND_REVERSED = "refund_reversed"        # Stripe failed a refund after it had succeeded
    BANK_OUT = "bank_out"                      # the bank says money left the shop's account
    BOOKING_COLLECTED = "booking_collected"    # a booking paid at the venue: taken at its check-in
    BOOKING_ATTENDED = "booking_attended"      # a booking's experience was given (check-in, or a
                                               # paid no-show): its seats become the producer's sale
    STRIPE_PAYOUT = "stripe_payout"            # Stripe paid card money out to the shop's bank account
    STRIPE_PAYOUT_FAILED = "stripe_payout_failed"  # ...and that payout failed after it was paid
    STRIPE_FEE = "stripe_fee"                  # what Stripe kept of a card payment (its balance
                                               # transaction's fee)


@dataclass(frozen=True)
class MoneyEvent:
    """One movement of an order's money; ``key`` is unique per cause."""

    kind: MoneyKind
    key: str
    amount: int = 0
    order: object | None = None
    pickup: object | None = None
    booking: object | None = None  # of a booking's money: the booking (``bookings.models.Booking``)
    channel: str | None = None   # "stripe", "bank" or "cash": where the money went or came from
    over: int = 0                # of a transfer received: the part above what the order was due
    from_overpayments: bool = False  # a refund owed of money no order took (late, unmatched, over)
    reference: str | None = None
    text: str | None = None      # what the bank shows as the transfer's content
    line: object | None = None   # of goods given back: the order line they came from
    quantity: int = 0            # of goods given back: how many units


__all__ = ["MoneyKind", "MoneyEvent", "money_moved", "announce"]


def announce(kind: MoneyKind, key: str, **fields) -> MoneyEvent:
    """Tell whoever keeps the books that money moved (in the caller's transaction)."""
    event = MoneyEvent(kind, key, **fields)
    money_moved.send(event)
    return event
