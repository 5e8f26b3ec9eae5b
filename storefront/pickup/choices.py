"""The shopper's pickup-day choice at checkout: offered days per outlet, read from the form."""
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from ..timeutil import as_day
from . import calendars

FIELD = "pickup_day-{}"


class PickupDayError(Exception):
    """A posted pickup day is not offered; the message is for the shopper."""


@dataclass(frozen=True)
class DayOffer:
    """The days offered at one outlet for some products, the first being the earliest ready day."""

    outlet_id: int
    days: tuple[date, ...]

    @property
    def field(self) -> str:
        return FIELD.format(self.outlet_id)

    @property
    def earliest(self) -> date | None:
        return self.days[0] if self.days else None


def offer(outlet, products, now=None) -> DayOffer:
    return DayOffer(outlet.id, tuple(calendars.day_choices(outlet, products, now)))


def offer_in(plan, outlet) -> DayOffer:
    """Return the day offer of one outlet of a checkout plan (all the cart when it takes everything)."""
    if not plan.split:
        return offer(outlet, [line.product for pickup in plan.pickups for line in pickup.lines])
    lines = next((p.lines for p in plan.pickups if p.outlet.id == outlet.id), [])
    return offer(outlet, [line.product for line in lines])


def default_day(current: DayOffer, preferred: Mapping[int, date] | None = None) -> date | None:
    """Return the day a pickup starts on: the one ``preferred`` names for its outlet, if offered.

    ``preferred`` maps an outlet id to a day the shopper is coming anyway (a session of an
    experience held there, in the same order: ``checkout.services.visit_days``); else the
    earliest ready day.
    """
    wanted = (preferred or {}).get(current.outlet_id)
    return wanted if wanted in current.days else current.earliest


def read(formdata: Mapping, plan, stored: Mapping | None = None,
         preferred: Mapping[int, date] | None = None) -> dict[str, str]:
    """Return ``{outlet id: ISO day}`` for the plan's pickups from the form (else what was stored).

    A pickup with no day chosen yet takes ``default_day``.
    :raises PickupDayError: a posted day is not offered at its outlet.
    """
    stored = stored or {}
    chosen = {}
    for pickup in plan.pickups:
        current = offer_in(plan, pickup.outlet)
        raw = formdata.get(current.field) or stored.get(str(pickup.outlet.id))
        day = as_day(raw)
        if day is None or day not in current.days:
            if formdata.get(current.field):
                raise PickupDayError(_("Ngày nhận tại %(outlet)s không hợp lệ hoặc đã hết chỗ. "
                                       "Vui lòng chọn ngày khác.",
                                       outlet=pickup.outlet.display_name))
            day = default_day(current, preferred)
        if day is not None:
            chosen[str(pickup.outlet.id)] = day.isoformat()
    return chosen


def stale(plan, stored: Mapping | None) -> str | None:
    """Return why the stored days no longer fit, if a stored day is no longer offered."""
    for pickup in plan.pickups:
        day = as_day((stored or {}).get(str(pickup.outlet.id)))
        if day is None or day not in offer_in(plan, pickup.outlet).days:
            return _("Ngày nhận hàng tại %(outlet)s không còn chọn được. Vui lòng chọn lại.",
                     outlet=pickup.outlet.display_name)
    return None
