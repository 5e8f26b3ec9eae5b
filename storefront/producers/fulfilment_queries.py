"""What a producer may see of orders: its own lines, and nothing of anyone else's."""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from ..extensions import db
from ..orders.models import LineStatus, OrderLine, Pickup, PickupStatus
from ..timeutil import local_date_of, utc_start_of

P = PickupStatus


def lines_of(producer):
    """Return a query of ``producer``'s order lines, with their pickup and order joined."""
    return (select(OrderLine).join(OrderLine.pickup).join(Pickup.order)
            .where(OrderLine.producer_id == producer.id)
            .options(contains_eager(OrderLine.pickup).contains_eager(Pickup.order),
                     contains_eager(OrderLine.pickup).selectinload(Pickup.outlet)))


def lines_to_bring(producer) -> list[OrderLine]:
    """Return the lines still to drop off at outlets, for confirmed pickups, soonest pickup day first."""
    return db.session.scalars(
        lines_of(producer).where(OrderLine.status == LineStatus.AWAITING_DROPOFF,
                                 Pickup.status == P.CONFIRMED)
        .order_by(Pickup.pickup_day.is_(None), Pickup.pickup_day, Pickup.created_at, OrderLine.id)
    ).all()


def line_history(producer, first: date, last: date) -> list[OrderLine]:
    """Return every line of paid-or-confirmed orders created between two Hanoi days, newest first."""
    return db.session.scalars(
        lines_of(producer).where(Pickup.status != P.AWAITING_PAYMENT,
                                 Pickup.created_at >= utc_start_of(first),
                                 Pickup.created_at < utc_start_of(last + timedelta(days=1)))
        .order_by(Pickup.created_at.desc(), OrderLine.id)
    ).all()


def group_by_outlet(lines: list[OrderLine]) -> list[tuple]:
    """Return ``(outlet, lines)`` pairs, outlets by name, lines in their given order."""
    groups: dict = defaultdict(list)
    for line in lines:
        groups[line.pickup.outlet].append(line)
    return sorted(groups.items(), key=lambda pair: (pair[0].display_name, pair[0].id))


@dataclass
class Total:
    quantity: int = 0
    revenue: int = 0

    def add(self, line: OrderLine) -> None:
        self.quantity += line.quantity
        self.revenue += line.amount


@dataclass
class SalesReport:
    """What a producer sold (collected by shoppers) in a period, in whole đồng."""

    first: date
    last: date
    by_product: list[tuple[str, str, Total]] = field(default_factory=list)  # name, unit, total
    by_month: list[tuple[date, Total]] = field(default_factory=list)  # first day of month
    total: Total = field(default_factory=Total)


def sales_report(producer, first: date, last: date) -> SalesReport:
    """Sum the producer's collected lines by product and by Hanoi month, between two days."""
    lines = db.session.scalars(
        lines_of(producer).where(Pickup.status == P.COLLECTED,
                                 OrderLine.status == LineStatus.RECEIVED,
                                 Pickup.collected_at >= utc_start_of(first),
                                 Pickup.collected_at < utc_start_of(last + timedelta(days=1)))
        .order_by(Pickup.collected_at, OrderLine.id)
    ).all()
    report = SalesReport(first, last)
    products: dict[int, tuple[str, str, Total]] = {}
    months: dict[date, Total] = defaultdict(Total)
    for line in lines:
        total = products[line.product_id][2] if line.product_id in products else Total()
        # The latest name a product was sold under labels its row.
        products[line.product_id] = (line.product_name, line.unit, total)
        total.add(line)
        months[local_date_of(line.pickup.collected_at).replace(day=1)].add(line)
        report.total.add(line)
    report.by_product = sorted(products.values(), key=lambda row: (-row[2].revenue, row[0]))
    report.by_month = sorted(months.items())
    return report

