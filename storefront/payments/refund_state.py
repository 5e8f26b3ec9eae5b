"""What an order's refunds add up to, card and transfer alike, for the one status rule.

The rule itself is ``orders.payment.refunds_changed``; this module only knows where refunds are
kept. Money sent back that was never part of the price (paid above it, or that no order could
take) is a refund of a transfer, not of the order, and is left out.
"""
from sqlalchemy import func

from ..extensions import db
from ..orders import payment
from ..orders.transitions import Actor
from .models import Refund, RefundStatus
from .transfer_models import RefundOwedStatus, TransferRefund


def price_refunds(order) -> tuple[int, int]:
    """Return (still to send back, sent back) of the order's price, by card and by bank."""
    card = dict(db.session.execute(
        db.select(Refund.status, func.sum(Refund.amount)).where(Refund.order_id == order.id)
        .group_by(Refund.status)).all())
    bank = dict(db.session.execute(
        db.select(TransferRefund.status, func.sum(TransferRefund.amount))
        .where(TransferRefund.order_id == order.id, TransferRefund.transfer_id.is_(None))
        .group_by(TransferRefund.status)).all())
    # Keys by their text: an enum member hashes by its name, not its value.
    card, bank = ({str(k): v or 0 for k, v in sums.items()} for sums in (card, bank))
    pending = card.get(RefundStatus.PENDING.value, 0) + bank.get(RefundOwedStatus.OWED.value, 0)
    sent = card.get(RefundStatus.SUCCEEDED.value, 0) + bank.get(RefundOwedStatus.REFUNDED.value, 0)
    return int(pending), int(sent)


def settle_status(order, by: Actor = "system") -> None:
    """Bring the order's payment status in line with its refunds (in the caller's transaction)."""
    db.session.flush()
    pending, sent = price_refunds(order)
    payment.refunds_changed(order, pending, sent, by)
