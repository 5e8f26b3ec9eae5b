"""Read outlets, producers and bookings from the database into the values ``schedule`` works on."""
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import func, select

from ..catalog.models import _in_locale
from ..extensions import db
from ..orders.models import Pickup, PickupStatus
from ..timeutil import utcnow
from . import schedule
from .display import weekly_hours
from .models import OutletClosure

P = PickupStatus
# Pickups that hold a place on their day: every one not ended without the shopper.
BOOKED_STATUSES = (P.AWAITING_PAYMENT, P.CONFIRMED, P.READY, P.COLLECTED)


def cutoff() -> time:
    """Return the daily order cut-off (``PICKUP_ORDER_CUTOFF``, Hanoi time, ``HH:MM``)."""
    hours, _sep, minutes = current_app.config["PICKUP_ORDER_CUTOFF"].partition(":")
    return time(int(hours), int(minutes or 0))


def days_ahead() -> int:
    return current_app.config["PICKUP_DAYS_AHEAD"]


def booked_counts(outlet_id: int, first: date, last: date,
                  exclude_pickup_id: int | None = None) -> dict[date, int]:
    """Return how many pickups are booked at the outlet per day between two days."""
    query = (select(Pickup.pickup_day, func.count())
             .where(Pickup.outlet_id == outlet_id, Pickup.pickup_day >= first,
                    Pickup.pickup_day <= last, Pickup.status.in_(BOOKED_STATUSES))
             .group_by(Pickup.pickup_day))
    if exclude_pickup_id is not None:
        query = query.where(Pickup.id != exclude_pickup_id)
    return dict(db.session.execute(query).all())


def closures_of(outlet, since: date) -> tuple[schedule.Closure, ...]:
    rows = db.session.scalars(
        select(OutletClosure).where(OutletClosure.outlet_id == outlet.id,
                                    OutletClosure.last_day >= since)
        .order_by(OutletClosure.first_day))
    return tuple(schedule.Closure(r.first_day, r.last_day, _reason(r)) for r in rows)


def _reason(closure: OutletClosure) -> str:
    return _in_locale(closure.reason, closure.reason_en)


def calendar_of(outlet, now: datetime | None = None, *, with_bookings: bool = True,
                exclude_pickup_id: int | None = None) -> schedule.OutletCalendar:
    """Return the outlet's calendar from today (Hanoi) on, with its bookings when it has a limit."""
    today = schedule.local(now or utcnow()).date()
    booked = {}
    if with_bookings and outlet.pickups_per_day:
        booked = booked_counts(outlet.id, today, today + timedelta(days=schedule.SEARCH_DAYS),
                               exclude_pickup_id)
    return schedule.OutletCalendar(weekly_hours(outlet), closures_of(outlet, today),
                                   outlet.pickups_per_day, booked)


def supply_of(product) -> schedule.Supply:
    """Return what a product needs to reach an outlet: its (or its producer's) lead time and days."""
    producer = product.producer
    lead = product.lead_days if product.lead_days is not None else producer.lead_days
    weekdays = frozenset(int(c) for c in (producer.delivery_weekdays or "") if c.isdigit())
    return schedule.Supply(lead if lead is not None else 2, weekdays or schedule.ALL_WEEKDAYS)


def ready_day(outlet, products: Iterable, now: datetime | None = None) -> date | None:
    """Return the earliest day ``products`` can be collected at ``outlet``."""
    now = now or utcnow()
    return schedule.ready_day(now, [supply_of(p) for p in products], calendar_of(outlet, now),
                              cutoff())


def day_choices(outlet, products: Iterable, now: datetime | None = None,
                exclude_pickup_id: int | None = None) -> list[date]:
    """Return the pickup days the shopper may choose for ``products`` at ``outlet``."""
    now = now or utcnow()
    calendar = calendar_of(outlet, now, exclude_pickup_id=exclude_pickup_id)
    return schedule.pickup_days(now, [supply_of(p) for p in products], calendar, cutoff(),
                                days_ahead())


def open_status(outlet, now: datetime | None = None) -> schedule.OpenStatus:
    return schedule.open_status(calendar_of(outlet, now, with_bookings=False), now or utcnow())


def window_last_day(pickup, days: int | None = None) -> date | None:
    """Return the last day a ready pickup waits, counted in open days from its pickup day.

    A pickup ready after its chosen day counts from the day it became ready; ``days`` overrides
    ``PICKUP_WINDOW_DAYS``.
    """
    start = pickup.pickup_day
    if pickup.ready_at is not None:
        ready_on = schedule.local(pickup.ready_at).date()
        start = max(start, ready_on) if start else ready_on
    if start is None:
        return None
    calendar = schedule.OutletCalendar(weekly_hours(pickup.outlet), closures_of(pickup.outlet, start))
    days = current_app.config["PICKUP_WINDOW_DAYS"] if days is None else days
    return schedule.window_last_day(calendar, start, days)


def window_passed(pickup, today: date, days: int | None = None) -> bool:
    """Tell whether a ready pickup's window ended before ``today``."""
    last = window_last_day(pickup, days)
    return last is not None and last < today
