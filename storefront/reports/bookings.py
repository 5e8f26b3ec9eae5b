"""Experience bookings in a date range, by month, village and star level (issue 24).

Definitions (the page states them too):
- a booking is *sold* when it is confirmed, checked in or a no-show (held for a payment that never
  came, or cancelled, it is not);
- bookings: sold bookings; seats: the seats they hold (a group ticket may hold several);
- check-ins: bookings whose ticket was used at the place.
A booking counts in the month and period of its session's day (Hanoi), when the visit happens.
"""
from sqlalchemy import case, func, literal, select

from ..bookings.models import Booking, BookingStatus
from ..catalog.models import Producer, Village
from ..experiences.models import ExperienceSession
from ..extensions import db
from .sales import Period
from .table import Table

SOLD = (BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN, BookingStatus.NO_SHOW)
MEASURES = [("bookings", "count"), ("seats", "count"), ("check_ins", "count")]


def _month():
    """The month of the session's (Hanoi) day, as ``YYYY-MM``, in the database's own dialect."""
    if db.engine.dialect.name == "postgresql":
        return func.to_char(ExperienceSession.day, "YYYY-MM")
    return func.strftime("%Y-%m", ExperienceSession.day)


def _measures() -> list:
    checked_in = Booking.status == BookingStatus.CHECKED_IN
    return [func.count(Booking.id),
            func.coalesce(func.sum(Booking.seats), 0),
            func.coalesce(func.sum(case((checked_in, 1), else_=0)), 0)]


def _base(period: Period, *dimensions):
    return (
        select(*dimensions, *_measures())
        .select_from(Booking)
        .join(ExperienceSession, ExperienceSession.id == Booking.session_id)
        .where(Booking.status.in_([str(s) for s in SOLD]),
               ExperienceSession.day >= period.start, ExperienceSession.day <= period.end)
    )


def by_month(period: Period) -> Table:
    month = _month().label("month")
    rows = db.session.execute(_base(period, month).group_by(month).order_by(month)).all()
    return Table("bookings_by_month", [("month", "month")] + MEASURES, rows)


def by_village(period: Period) -> Table:
    rows = db.session.execute(
        _base(period, Village.name).join(Producer, Producer.id == Booking.producer_id)
        .join(Village, Village.id == Producer.village_id)
        .group_by(Village.id, Village.name).order_by(Village.name)).all()
    return Table("bookings_by_village", [("village", "text")] + MEASURES, rows)


def by_stars(period: Period) -> Table:
    stars = func.coalesce(Booking.stars, literal(0)).label("stars")
    rows = db.session.execute(_base(period, stars).group_by(stars).order_by(stars.desc())).all()
    return Table("bookings_by_stars", [("stars", "stars")] + MEASURES, rows)


BOOKING_TABLES = {
    "bookings_by_month": by_month,
    "bookings_by_village": by_village,
    "bookings_by_stars": by_stars,
}
