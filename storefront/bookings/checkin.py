"""Check-in at the place: who is expected per session, and letting a ticket in by its code.

A place is an outlet (its staff check in) or a producer's workshop (the producer does). Staff scan
or type the ticket's code; it is matched against the bookings of that day's sessions at the
place (a code is bound to its booking, so it opens nothing elsewhere), then ``tickets.check_in``
applies the one-use and lockout rules to the booking it belongs to.
"""
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..catalog.models import Product
from ..experiences.models import Experience, ExperienceSession, PlaceKind
from ..extensions import db
from . import tickets
from .money import MoneyNotCollected
from .models import Booking, BookingStatus

EXPECTED = (BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN, BookingStatus.NO_SHOW,
            BookingStatus.AWAITING_PAYMENT)


@dataclass
class SessionSheet:
    """One session at the place and everyone booked in it."""

    session: ExperienceSession
    bookings: list[Booking]

    @property
    def seats_expected(self) -> int:
        return sum(b.seats for b in self.bookings if b.status != BookingStatus.AWAITING_PAYMENT)

    @property
    def seats_in(self) -> int:
        return sum(b.seats for b in self.bookings if b.status == BookingStatus.CHECKED_IN)


def _sheets(where, day: date) -> list[SessionSheet]:
    sessions = db.session.scalars(
        select(ExperienceSession).join(Experience).where(where, ExperienceSession.day == day)
        .order_by(ExperienceSession.starts_at, ExperienceSession.id)).all()
    if not sessions:
        return []
    bookings = db.session.scalars(
        select(Booking).where(Booking.session_id.in_([s.id for s in sessions]),
                              Booking.status.in_(EXPECTED))
        .options(selectinload(Booking.lines), selectinload(Booking.order)).order_by(Booking.id)).all()
    return [SessionSheet(s, [b for b in bookings if b.session_id == s.id]) for s in sessions]


def at_outlet(outlet, day: date) -> list[SessionSheet]:
    """Return the day's sessions held at ``outlet``, each with who is booked."""
    return _sheets((Experience.place_kind == PlaceKind.OUTLET) & (Experience.outlet_id == outlet.id), day)


def at_workshop(producer, day: date) -> list[SessionSheet]:
    """Return the day's sessions at ``producer``'s own workshop, each with who is booked."""
    return _sheets((Experience.place_kind == PlaceKind.WORKSHOP)
                   & Experience.product_id.in_(select(Product.id).where(Product.producer_id == producer.id)),
                   day)


def check_in_by_code(sheets: list[SessionSheet], code: str, by, **money) -> Booking:
    """Check in the booking among ``sheets`` that ``code`` opens.

    :raises tickets.WrongTicketCode: no booking here has this code.
    :raises tickets.TicketLocked, tickets.NotCheckable: see ``tickets.check_in``; and
        ``money.MoneyNotCollected`` (with ``booking`` set) when it is paid at the venue and
        ``money`` (``collected``, ``amount``) does not say it was taken.
    """
    for sheet in sheets:
        for booking in sheet.bookings:
            if tickets.code_matches(booking, code):
                try:
                    return tickets.check_in(booking, code, by, **money)
                except MoneyNotCollected as error:
                    error.booking = booking
                    raise
    raise tickets.WrongTicketCode(_("Mã vé không đúng hoặc không thuộc buổi nào ở đây hôm nay."))
