"""Goods given back at the outlet after hand-over: one use case, one transaction.

The outlet records which line came back, how many units and why; in the same transaction the
units go back into stock when they can be sold again, the sale's e-invoice gets an adjustment
that refers to it (``invoices.services.record_return``, never an edit), the books take the line's
amount back from the producer's payable and the fee (``MoneyKind.GOODS_RETURNED``), and the money
goes back the way it came in (``payments.refunds.give_back``, the one refund path: a card through
Stripe, a transfer or counter money owed back from the bank by an admin). The adjustment is
recorded before the refund, so the refund's own event adjusts nothing a second time.
"""
from flask_babel import gettext as _
from sqlalchemy import func

from ..catalog import stock
from ..extensions import db
from ..invoices import services as invoices
from ..orders.locks import lock_order, lock_pickups
from ..orders.models import LineStatus, PickupStatus
from ..orders.money_events import MoneyKind, announce
from ..orders.transitions import Actor, OrderError, actor_label, record
from ..payments.refunds import give_back
from ..timeutil import utcnow
from ..unit_of_work import transaction
from .models import GoodsReturn


class ReturnRefused(OrderError):
    """The return cannot be recorded as asked; the message is for the staff member."""


def returned_quantity(line) -> int:
    """Return how many units of an order line have been given back so far."""
    return int(db.session.scalar(db.select(func.coalesce(func.sum(GoodsReturn.quantity), 0))
                                 .where(GoodsReturn.order_line_id == line.id)) or 0)


def returnable(pickup) -> list[tuple[object, int]]:
    """Return the handed-over lines of a collected pickup with how many units may still come back."""
    if pickup.status != PickupStatus.COLLECTED:
        return []
    lines = [line for line in pickup.lines if line.status != LineStatus.CANCELLED]
    return [(line, line.quantity - returned_quantity(line)) for line in lines]


def returns_of(pickup) -> list[GoodsReturn]:
    return db.session.scalars(db.select(GoodsReturn).where(GoodsReturn.pickup_id == pickup.id)
                              .order_by(GoodsReturn.id)).all()


def record_return(pickup, line_id: int, quantity: int, reason: str, *, resaleable: bool,
                  by: Actor) -> GoodsReturn:
    """Record ``quantity`` units of a handed-over line given back; adjust its invoice, refund them.

    :raises ReturnRefused: the pickup was not handed over, the line is not one it handed over,
        or more units than are left to give back.
    """
    reason = " ".join((reason or "").split())
    with transaction():
        lock_pickups([pickup])  # two staff at one counter take turns; then the order, as hand-over does
        order = lock_order(pickup.order_id)
        if pickup.status != PickupStatus.COLLECTED:
            raise ReturnRefused(_("Chỉ nhận lại hàng của đơn đã giao cho khách."))
        line = next((l for l in pickup.lines if l.id == line_id and l.status != LineStatus.CANCELLED),
                    None)
        if line is None:
            raise ReturnRefused(_("Sản phẩm này không có trong phần đã giao của đơn."))
        left = line.quantity - returned_quantity(line)
        if not reason:
            raise ReturnRefused(_("Vui lòng ghi lý do khách trả hàng."))
        if quantity < 1 or quantity > left:
            raise ReturnRefused(_("Chỉ có thể nhận lại từ 1 đến %(left)d %(unit)s “%(name)s”.",
                                  left=left, unit=line.unit, name=line.product_name)
                                if left else _("“%(name)s” đã được trả lại hết.", name=line.product_name))
        returned = GoodsReturn(order_id=order.id, pickup_id=pickup.id, order_line_id=line.id,
                               quantity=quantity, amount=quantity * line.unit_price,
                               reason=reason[:GoodsReturn.reason.type.length], resaleable=resaleable,
                               recorded_by_id=getattr(by, "id", None), recorded_by=actor_label(by),
                               created_at=utcnow())
        db.session.add(returned)
        db.session.flush()
        if resaleable:
            stock.release(line.product_id, quantity)
        record(order, "goods_returned", by, pickup=pickup, line=line,
               note=f"{quantity} × {line.product_name}: {reason}"
                    + ("" if resaleable else " (" + _("không bán lại") + ")"))
        key = f"return-{returned.id}"
        # The books first: the producer's share and the fee go back to what the shop owes the
        # shopper, which the refund below then moves to refunds owed (one transaction).
        announce(MoneyKind.GOODS_RETURNED, f"goods-returned-{returned.id}", amount=returned.amount,
                 order=order, pickup=pickup, line=line, quantity=quantity, reference=key)
        # The invoice is a legal document in Vietnamese, whatever language the staff page is in.
        invoices.record_return(pickup, {line.id: quantity}, f"Điều chỉnh giảm do người mua trả lại hàng: {reason}", key)
        give_back(order, returned.amount, _("Khách trả hàng: %(reason)s", reason=reason), key=key,
                  pickup=pickup, by=by, counter_money=True)
    return returned
