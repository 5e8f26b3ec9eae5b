"""The producer's check-in for sessions at their own workshop: who is expected, and check-in by code.

Also the seat counts the producer's experience pages show (``experiences/producer_*.html``):
booked and held for the waitlist, apart (``seat_counts``; experiences cannot import bookings).
"""
from flask import request, url_for
from flask_login import current_user

from ..timeutil import as_day, local_today
from ..web.producer import bp
from . import checkin, checkin_page, seat_counts

bp.add_app_template_global(seat_counts.of_sessions, "session_seats")
bp.add_app_template_global(seat_counts.of_experiences, "experience_seats")


def _page(day) -> dict:
    producer = current_user.producer
    return dict(layout="producers/layout.html", day=day, place=producer.name,
                sheets=checkin.at_workshop(producer, day),
                action=url_for("producer.check_in_code", day=day.isoformat()))


@bp.get("/experiences/check-in", endpoint="check_in")
def check_in_page():
    return checkin_page.render(**_page(as_day(request.args.get("day")) or local_today()))


@bp.post("/experiences/check-in", endpoint="check_in_code")
def check_in_code():
    day = as_day(request.args.get("day")) or local_today()
    return checkin_page.post(**_page(day), back=url_for("producer.check_in", day=day.isoformat()))
