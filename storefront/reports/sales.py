"""Sales through the shop in a date range, by month, outlet, village, star level and group.

Definitions (the page states them too):
- a line is *sold* when it is not cancelled and its pickup is confirmed, ready or collected;
- orders: orders with at least one sold line; units and revenue (đồng): of sold lines;
- no-show rate: of the pickups whose outcome is known (collected or no-show), the share not collected.
Dates are Hanoi dates (UTC+7 all year: Vietnam has no daylight saving time).
"""
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import case, distinct, func, literal, select, text

from ..catalog.models import Outlet, Producer, Product, Village
from ..extensions import db
from ..orders.models import LineStatus, Order, OrderLine, Pickup, PickupStatus
from ..timeutil import utc_start_of
from .table import Table

SOLD_PICKUP = (PickupStatus.CONFIRMED, PickupStatus.READY, PickupStatus.COLLECTED)
DECIDED_PICKUP = (PickupStatus.COLLECTED, PickupStatus.NO_SHOW)
MEASURES = [("orders", "count"), ("units", "count"), ("revenue", "money"),
            ("pickups_decided", "count"), ("no_show_rate", "percent")]


@dataclass(frozen=True)
class Period:
    start: date  # first day, inclusive
    end: date    # last day, inclusive


def _month():
    """The Hanoi calendar month of an order, as ``YYYY-MM``, in the database's own dialect."""
    if db.engine.dialect.name == "postgresql":
        return func.to_char(Order.created_at + text("interval '7 hours'"), "YYYY-MM")
    return func.strftime("%Y-%m", Order.created_at, "+7 hours")


def _measures() -> list:
    sold = (OrderLine.status != LineStatus.CANCELLED) & Pickup.status.in_([str(s) for s in SOLD_PICKUP])
    decided = Pickup.status.in_([str(s) for s in DECIDED_PICKUP])
    decided_count = func.count(distinct(case((decided, Pickup.id))))
    return [
        func.count(distinct(case((sold, Order.id)))),
        func.coalesce(func.sum(case((sold, OrderLine.quantity), else_=0)), 0),
        func.coalesce(func.sum(case((sold, OrderLine.quantity * OrderLine.unit_price), else_=0)), 0),
        decided_count,
        func.count(distinct(case((Pickup.status == PickupStatus.NO_SHOW, Pickup.id)))) * 1.0
        / func.nullif(decided_count, 0),
    ]


def _base(period: Period, *dimensions):
    return (
        select(*dimensions, *_measures())
        .select_from(OrderLine)
        .join(Pickup, Pickup.id == OrderLine.pickup_id)
        .join(Order, Order.id == Pickup.order_id)
        .where(Order.created_at >= utc_start_of(period.start),
               Order.created_at < utc_start_of(period.end + timedelta(days=1)))
    )


def by_month(period: Period) -> Table:
    month = _month().label("month")
    rows = db.session.execute(_base(period, month).group_by(month).order_by(month)).all()
    return Table("sales_by_month", [("month", "month")] + MEASURES, rows)


def by_outlet(period: Period) -> Table:
    rows = db.session.execute(
        _base(period, Outlet.name).join(Outlet, Outlet.id == Pickup.outlet_id)
        .group_by(Outlet.id, Outlet.name).order_by(Outlet.name)).all()
    return Table("sales_by_outlet", [("outlet", "text")] + MEASURES, rows)


def by_village(period: Period) -> Table:
    rows = db.session.execute(
        _base(period, Village.name).join(Producer, Producer.id == OrderLine.producer_id)
        .join(Village, Village.id == Producer.village_id)
        .group_by(Village.id, Village.name).order_by(Village.name)).all()
    return Table("sales_by_village", [("village", "text")] + MEASURES, rows)


def by_stars(period: Period) -> Table:
    stars = func.coalesce(OrderLine.stars, literal(0)).label("stars")
    rows = db.session.execute(_base(period, stars).group_by(stars).order_by(stars.desc())).all()
    return Table("sales_by_stars", [("stars", "stars")] + MEASURES, rows)


def by_group(period: Period) -> Table:
    rows = db.session.execute(
        _base(period, Product.group).join(Product, Product.id == OrderLine.product_id)
        .group_by(Product.group).order_by(Product.group)).all()
    return Table("sales_by_group", [("group", "group")] + MEASURES, rows)


SALES_TABLES = {
    "sales_by_month": by_month,
    "sales_by_outlet": by_outlet,
    "sales_by_village": by_village,
    "sales_by_stars": by_stars,
    "sales_by_group": by_group,
}
