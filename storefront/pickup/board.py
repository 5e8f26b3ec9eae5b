"""What the outlet's board and the producer's list show: pickups and drop-offs by day."""
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..orders.models import LineStatus, OrderLine, Pickup, PickupStatus

P = PickupStatus
EXPECTED = (P.CONFIRMED, P.READY)  # pickups the outlet expects a shopper for


@dataclass
class Board:
    today: date
    due_today: list[Pickup]
    due_tomorrow: list[Pickup]
    overdue_lines: list[OrderLine]


def pickups_on(outlet, day: date) -> list[Pickup]:
    """Return the outlet's expected pickups chosen for ``day``, by order number."""
    return list(db.session.scalars(
        select(Pickup).where(Pickup.outlet_id == outlet.id, Pickup.pickup_day == day,
                             Pickup.status.in_(EXPECTED))
        .options(selectinload(Pickup.order), selectinload(Pickup.lines))
        .order_by(Pickup.status, Pickup.id)))


def overdue_lines(outlet, today: date) -> list[OrderLine]:
    """Return the outlet's lines not yet brought although their pickup day has passed."""
    return list(db.session.scalars(
        select(OrderLine).join(OrderLine.pickup)
        .where(Pickup.outlet_id == outlet.id, Pickup.status == P.CONFIRMED,
               Pickup.pickup_day < today, OrderLine.status == LineStatus.AWAITING_DROPOFF)
        .options(selectinload(OrderLine.producer), selectinload(OrderLine.pickup)
                 .selectinload(Pickup.order))
        .order_by(Pickup.pickup_day, OrderLine.id)))


def board(outlet, today: date) -> Board:
    return Board(today, pickups_on(outlet, today), pickups_on(outlet, today + timedelta(days=1)),
                 overdue_lines(outlet, today))


def is_late(line: OrderLine, today: date) -> bool:
    """Tell whether a line still awaited at the outlet missed its pickup day."""
    day = line.pickup.pickup_day
    return line.status == LineStatus.AWAITING_DROPOFF and day is not None and day < today


def due_lines(producer) -> list[OrderLine]:
    """Return the producer's lines still to bring, soonest pickup day first."""
    return list(db.session.scalars(
        select(OrderLine).join(OrderLine.pickup)
        .where(OrderLine.producer_id == producer.id, Pickup.status == P.CONFIRMED,
               OrderLine.status == LineStatus.AWAITING_DROPOFF)
        .options(selectinload(OrderLine.pickup).selectinload(Pickup.outlet),
                 selectinload(OrderLine.pickup).selectinload(Pickup.order))
        .order_by(Pickup.pickup_day.is_(None), Pickup.pickup_day, Pickup.outlet_id, OrderLine.id)))
