"""What an outlet's staff may see: every staff view loads pickups through these functions."""
from datetime import date, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..orders import codes
from ..orders.models import OrderLine, Pickup, PickupStatus
from ..timeutil import local_today, utc_start_of, utcnow

P = PickupStatus
# Dashboard tabs: which pickup statuses each one lists ("open" is the default).
TABS: dict[str, tuple[PickupStatus, ...]] = {
    "open": (P.CONFIRMED, P.READY),
    "confirmed": (P.CONFIRMED,),
    "ready": (P.READY,),
    "collected": (P.COLLECTED,),
    "ended": (P.CANCELLED, P.NO_SHOW),
    "unpaid": (P.AWAITING_PAYMENT,),
}


def pickups_at(outlet):
    """Return a query of the pickups routed to ``outlet``, and only those."""
    return select(Pickup).where(Pickup.outlet_id == outlet.id)


def pickup_at(outlet, pickup_id: int) -> Pickup | None:
    """Return one pickup of ``outlet`` (``None`` when it is another outlet's or unknown).

    The use cases that change it lock it in their own transaction (``orders.locks``).
    """
    return db.session.scalar(pickups_at(outlet).where(Pickup.id == pickup_id))


def pickup_at_or_404(outlet, pickup_id: int) -> Pickup:
    """Return one pickup of ``outlet``; another outlet's, or an unknown id, is simply not found (404)."""
    return db.first_or_404(pickups_at(outlet).where(Pickup.id == pickup_id))


def listed_pickups(outlet, tab: str = "open", day: date | None = None, today: date | None = None):
    """Return the pickups of one dashboard tab, optionally created on one Hanoi day.

    The counter works down the list: pickups the shopper comes for ``today`` first, then those
    ready to hand over, then by the day chosen (soonest first), then newest first.
    """
    query = pickups_at(outlet).where(Pickup.status.in_(TABS.get(tab, TABS["open"])))
    if day is not None:
        start = utc_start_of(day)
        query = query.where(Pickup.created_at >= start,
                            Pickup.created_at < utc_start_of(day + timedelta(days=1)))
    return query.options(selectinload(Pickup.order), selectinload(Pickup.lines)) \
        .order_by(*counter_order(today or local_today()))


def counter_order(today: date) -> tuple:
    """Return the ORDER BY of the counter: today's, then ready, then by pickup day, then newest."""
    return (case((Pickup.pickup_day == today, 0), else_=1),
            case((Pickup.status == P.READY, 0), else_=1),
            case((Pickup.pickup_day.is_(None), 1), else_=0), Pickup.pickup_day,
            Pickup.created_at.desc(), Pickup.id.desc())


def tab_counts(outlet) -> dict[str, int]:
    """Return how many pickups each tab holds."""
    rows = db.session.execute(
        select(Pickup.status, func.count()).where(Pickup.outlet_id == outlet.id)
        .group_by(Pickup.status)
    ).all()
    by_status = dict(rows)
    return {tab: sum(by_status.get(s, 0) for s in statuses) for tab, statuses in TABS.items()}


def ready_pickup_with_code(outlet, code: str) -> Pickup | None:
    """Return the ready pickup of ``outlet`` that ``code`` opens, if any.

    Codes are hashed per pickup, so each ready pickup is tried in turn: fine for one
    outlet's shelf. Pickups locked after wrong codes are skipped, so a look-up cannot
    get round the lock.
    """
    now = utcnow()
    candidates = db.session.scalars(
        pickups_at(outlet).where(Pickup.status == P.READY, Pickup.code_used_at.is_(None))
        .where((Pickup.code_locked_until.is_(None)) | (Pickup.code_locked_until <= now))
        .order_by(Pickup.id)
    )
    return next((pickup for pickup in candidates if codes.code_matches(pickup, code)), None)


def line_of(pickup: Pickup, line_id: int) -> OrderLine | None:
    """Return the line ``line_id`` when it belongs to ``pickup``."""
    return next((line for line in pickup.lines if line.id == line_id), None)
