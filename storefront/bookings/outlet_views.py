"""Outlet staff: the day's experience sessions at the outlet, who is expected, and check-in by code."""
from flask import request, url_for

from ..outlets.pages import staff_outlet
from ..timeutil import as_day, local_today
from ..web.outlet import bp
from . import checkin, checkin_page


def _page(day) -> dict:
    outlet = staff_outlet()
    return dict(layout="outlets/layout.html", day=day, place=outlet.display_name,
                sheets=checkin.at_outlet(outlet, day), action=url_for("outlet.check_in_code", day=day.isoformat()))


@bp.get("/check-in", endpoint="check_in")
def check_in_page():
    return checkin_page.render(**_page(as_day(request.args.get("day")) or local_today()))


@bp.post("/check-in", endpoint="check_in_code")
def check_in_code():
    day = as_day(request.args.get("day")) or local_today()
    return checkin_page.post(**_page(day), back=url_for("outlet.check_in", day=day.isoformat()))
