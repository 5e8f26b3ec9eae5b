"""What a shopper may read of orders: their own list, one order by owner or token, its history."""
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from . import codes
from .models import PICKUP_STATUS_LABELS, Order, Pickup, PickupStatus

# Codes show once the pickup is certain to happen, until it ends.
CODE_VISIBLE = {PickupStatus.CONFIRMED, PickupStatus.READY}


def orders_of(user) -> list[Order]:
    """Return the signed-in shopper's orders, newest first (nothing for anyone else)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    return db.session.scalars(
        select(Order).where(Order.user_id == user.id).order_by(Order.created_at.desc(), Order.id.desc())
        .options(selectinload(Order.pickups))
    ).all()


def order_for_viewer(number: str, user, token: str | None) -> Order | None:
    """Return the order if ``user`` owns it or ``token`` opens it; otherwise None (a 404)."""
    order = db.session.scalar(
        select(Order).where(Order.number == number)
        .options(selectinload(Order.pickups).selectinload(Pickup.lines),
                 selectinload(Order.pickups).selectinload(Pickup.outlet),
                 selectinload(Order.events))
    )
    if order is None:
        return None
    owner = getattr(user, "is_authenticated", False) and order.user_id == user.id
    return order if owner or codes.token_matches(order, token) else None


def pickup_of(order: Order, pickup_id: int) -> Pickup | None:
    return next((p for p in order.pickups if p.id == pickup_id), None)


def visible_codes(order: Order, token: str | None) -> dict[int, str]:
    """Return each live pickup's code, for a visitor ``order_for_viewer`` let see the order.

    The owner sees them on any device, and so does whoever opened a link from a mail; a code that
    would not work is never shown (``codes.code_to_show``).
    """
    found = {}
    for pickup in order.pickups:
        if pickup.status in CODE_VISIBLE:
            code = codes.code_to_show(pickup, token)
            if code:
                found[pickup.id] = code
    return found


def status_summary(order: Order) -> str:
    """Return the pickups' statuses in words, each once, in pickup order."""
    labels = []
    for pickup in order.pickups:
        label = str(PICKUP_STATUS_LABELS[PickupStatus(pickup.status)])
        if label not in labels:
            labels.append(label)
    return ", ".join(labels)


@dataclass
class Moment:
    """One line of the order's history as the shopper reads it."""

    at: datetime
    text: str


def timeline(order: Order) -> list[Moment]:
    """Return the order's history for the shopper, leaving out staff-only events."""
    pickups = {p.id: p for p in order.pickups}
    lines = {line.id: line for p in order.pickups for line in p.lines}
    moments = []
    for event in order.events:
        text = _describe(event, pickups.get(event.pickup_id), lines.get(event.line_id))
        if text:
            moments.append(Moment(event.created_at, text))
    return moments


def _describe(event, pickup, line) -> str | None:
    where = pickup.outlet.display_name if pickup is not None else ""
    if event.kind == "placed":
        return _("Đã đặt hàng")
    if event.kind == "pickup_status" and event.to_status in PICKUP_STATUS_LABELS:
        return _("%(outlet)s: %(status)s", outlet=where,
                 status=PICKUP_STATUS_LABELS[PickupStatus(event.to_status)])
    if event.kind == "line_status" and event.to_status == "received" and line is not None:
        return _("%(outlet)s đã nhận “%(product)s” từ nhà sản xuất", outlet=where,
                 product=line.product_name)
    return {
        "payment_confirmed": _("Đã thanh toán"),
        "payment_expired": _("Thanh toán không hoàn tất, đơn đã huỷ"),
        "refund_planned": _("Đang hoàn tiền"),
        "partial_hand_over": _("%(outlet)s: giao một phần, các sản phẩm chưa về đã huỷ",
                               outlet=where),
        "pickup_day_moved": _("%(outlet)s: đã đổi ngày nhận hàng", outlet=where),
    }.get(event.kind)
