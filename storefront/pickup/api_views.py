"""``/api/outlets``: every active outlet as JSON for partner sites and maps.

Hours are data (weekday → list of ``{"opens": "08:00", "closes": "17:30"}``, weekday names in
English, Monday first), closures from today on, instructions in both languages, whether it is
open now, and how many listed products it carries.
"""
from flask import jsonify
from sqlalchemy import distinct, func, select

from ..catalog import services as catalog
from ..catalog.links import absolute_url
from ..catalog.listing import listed_on_sql
from ..catalog.models import product_outlets
from ..extensions import db
from ..timeutil import local_today, utcnow
from ..web.api import bp
from . import calendars, schedule
from .display import weekly_hours

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@bp.get("/outlets")
def outlets():
    counts = listed_counts()
    found = catalog.active_outlets()
    return jsonify(items=[outlet_json(o, counts.get(o.id, 0)) for o in found], total=len(found))


@bp.get("/outlets/<slug>")
def outlet(slug: str):
    found = catalog.outlet(slug)
    return jsonify(outlet_json(found, listed_counts().get(found.id, 0)))


def listed_counts() -> dict[int, int]:
    """Count the listed products each outlet carries today."""
    listed = listed_on_sql(local_today()).subquery()
    rows = db.session.execute(
        select(product_outlets.c.outlet_id, func.count(distinct(listed.c.product_id)))
        .join(listed, listed.c.product_id == product_outlets.c.product_id)
        .group_by(product_outlets.c.outlet_id))
    return dict(rows.all())


def outlet_json(outlet, product_count: int) -> dict:
    now = utcnow()
    week = weekly_hours(outlet)
    status = calendars.open_status(outlet, now)
    closures = calendars.closures_of(outlet, schedule.local(now).date())
    return {
        "name": outlet.name, "name_en": outlet.name_en, "slug": outlet.slug,
        "place_type": outlet.place_type, "address": outlet.address,
        "district": outlet.village.district if outlet.village else None,
        "latitude": outlet.latitude, "longitude": outlet.longitude, "phone": outlet.phone,
        "opening_hours": {
            name: [{"opens": f"{i.opens:%H:%M}", "closes": f"{i.closes:%H:%M}"}
                   for i in week.get(n, ())]
            for n, name in enumerate(WEEKDAYS)
        } if week else None,
        "closures": [{"date": c.first.isoformat(), "until": c.last.isoformat(), "reason": c.reason}
                     for c in closures],
        "instructions": {"vi": outlet.instructions_vi, "en": outlet.instructions_en},
        "open_now": status.open_now if status.hours_known else None,
        "pickups_per_day": outlet.pickups_per_day,
        "listed_products": product_count,
        "url": absolute_url("shop.outlet", slug=outlet.slug),
    }


def add_ready_days(product, found: dict) -> None:
    """Give each outlet of a product's API JSON its earliest ready day (``catalog.api_views`` asks)."""
    ready = ready_days_json(product)
    for outlet in found["outlets"]:
        outlet["earliest_ready_day"] = ready.get(outlet["slug"])


def ready_days_json(product) -> dict[str, str | None]:
    """Return each active outlet carrying ``product`` with its earliest ready day (ISO)."""
    found = {}
    for outlet in product.outlets:
        if outlet.active:
            day = calendars.ready_day(outlet, [product])
            found[outlet.slug] = day.isoformat() if day else None
    return found
