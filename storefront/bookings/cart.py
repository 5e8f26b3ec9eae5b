"""Bookings in the cart: tickets per person type in a session, beside the goods, until checkout.

A guest's live in a plain dict the web layer keeps in the session
(``{"<session id>:<person type id>": {"q": tickets, "p": price seen}}``); a signed-in shopper's
are ``BookingCartItem`` rows. Nothing is held until the order is placed: the seats are taken by
``orders.placement`` (``seats.take``), which checks everything here again. The one exception is
a waitlist offer's hold (``seats.claimable``): the shopper who came through its link may put up
to its seats (and any free ones) in the cart, and the lines carry its token to placement.
"""
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from ..experiences.models import Experience, ExperienceSession, PersonType, SessionStatus
from ..experiences.sessions import booking_closes_at, is_bookable
from ..extensions import db
from ..i18n import format_vnd
from ..timeutil import utcnow
from ..unit_of_work import transaction
from .models import BookingCartItem

MAX_TICKETS = 20  # per person type and session in one order


class BookingCartError(Exception):
    """A booking the cart cannot take; the message is for the shopper."""


class GuestBookings:
    """A guest's bookings over a plain dict owned by the caller (the session)."""

    def __init__(self, data: dict | None = None):
        self.data = {}
        for key, value in (data or {}).items():
            try:
                sid, ptid = (int(part) for part in key.split(":"))
                qty, seen = int(value["q"]), int(value["p"])
            except (TypeError, ValueError, KeyError, AttributeError):
                continue  # a malformed entry is dropped, never trusted
            if qty > 0:
                self.data[f"{sid}:{ptid}"] = {"q": qty, "p": seen}

    def entries(self) -> dict[tuple[int, int], tuple[int, int]]:
        return {tuple(int(p) for p in key.split(":")): (v["q"], v["p"]) for key, v in self.data.items()}

    def put(self, session_id: int, person_type_id: int, quantity: int, price_seen: int) -> None:
        self.data[f"{session_id}:{person_type_id}"] = {"q": quantity, "p": price_seen}

    def drop_session(self, session_id: int) -> None:
        self.data = {k: v for k, v in self.data.items() if not k.startswith(f"{session_id}:")}

    def clear(self) -> None:
        self.data.clear()


class AccountBookings:
    """A signed-in shopper's bookings, kept in ``BookingCartItem`` rows."""

    def __init__(self, user):
        self.user = user

    def _rows(self):
        return db.session.scalars(select(BookingCartItem).where(BookingCartItem.user_id == self.user.id))

    def entries(self) -> dict[tuple[int, int], tuple[int, int]]:
        return {(r.session_id, r.person_type_id): (r.quantity, r.price_seen) for r in self._rows()}

    def put(self, session_id: int, person_type_id: int, quantity: int, price_seen: int) -> None:
        row = next((r for r in self._rows() if (r.session_id, r.person_type_id)
                    == (session_id, person_type_id)), None)
        if row is None:
            db.session.add(BookingCartItem(user_id=self.user.id, session_id=session_id,
                                           person_type_id=person_type_id, quantity=quantity,
                                           price_seen=price_seen))
        else:
            row.quantity, row.price_seen = quantity, price_seen

    def drop_session(self, session_id: int) -> None:
        db.session.execute(delete(BookingCartItem).where(BookingCartItem.user_id == self.user.id,
                                                         BookingCartItem.session_id == session_id))

    def clear(self) -> None:
        db.session.execute(delete(BookingCartItem).where(BookingCartItem.user_id == self.user.id))


@dataclass
class TicketLine:
    """Tickets of one person type wanted in one session (what placement is given)."""

    session_id: int
    person_type_id: int
    quantity: int
    price_seen: int
    person_type: PersonType | None = None
    hold_token: str | None = None  # the waitlist offer's token, when its seats are held for this shopper


@dataclass
class BookingLine:
    """One session in the cart with its tickets per person type, and what changed since."""

    session: ExperienceSession
    tickets: list[TicketLine]
    held: int = 0  # seats of the session held for this shopper (a waitlist offer)

    @property
    def experience(self) -> Experience:
        return self.session.experience

    @property
    def seats(self) -> int:
        return sum(t.quantity * t.person_type.seats for t in self.tickets)

    @property
    def amount(self) -> int:
        return sum(t.quantity * t.person_type.price for t in self.tickets)

    @property
    def issues(self) -> list[str]:
        """Return what the shopper must resolve before checkout, in their language."""
        found, room = [], self.session.seats_left + self.held
        if not self.experience.product.is_listed() or not bookable(self.session, self.held > 0):
            found.append(_("Buổi này không còn nhận đặt chỗ. Vui lòng xoá khỏi giỏ hàng."))
        elif self.seats > room:
            found.append(_("Chỉ còn %(n)d chỗ, ít hơn số người bạn chọn.", n=room))
        for ticket in self.tickets:
            if not ticket.person_type.active:
                found.append(_("Loại vé “%(label)s” không còn bán.", label=ticket.person_type.label))
            elif ticket.person_type.price != ticket.price_seen:
                found.append(_("Giá vé “%(label)s” đã thay đổi từ %(old)s thành %(new)s.",
                               label=ticket.person_type.label, old=format_vnd(ticket.price_seen),
                               new=format_vnd(ticket.person_type.price)))
        return found


def bookable(session: ExperienceSession, holding: bool = False, now=None) -> bool:
    """Tell whether the shopper may book the session: as ``is_bookable``, or full but for their hold."""
    return is_bookable(session, now) or (holding and session.status == SessionStatus.OPEN
                                         and (now or utcnow()) < booking_closes_at(session))


def lines(cart, claims=None) -> list[BookingLine]:
    """Return the cart's bookings by session start, dropping sessions and types that are gone.

    ``claims`` ({session id: ``seats.Claim``}): the holds this shopper may book (their lines say so).
    """
    claims = claims or {}
    entries = cart.entries()
    if not entries:
        return []
    sessions = {s.id: s for s in db.session.scalars(
        select(ExperienceSession).where(ExperienceSession.id.in_({sid for sid, _pt in entries}))
        .options(selectinload(ExperienceSession.experience).selectinload(Experience.person_types)))}
    found: dict[int, BookingLine] = {}
    for (sid, ptid), (qty, seen) in sorted(entries.items()):
        session = sessions.get(sid)
        person_type = next((p for p in session.experience.person_types if p.id == ptid), None) \
            if session is not None else None
        if person_type is None:
            continue
        claim = claims.get(sid)
        line = found.setdefault(sid, BookingLine(session, [], claim.hold.seats if claim else 0))
        line.tickets.append(TicketLine(sid, ptid, qty, seen, person_type,
                                       claim.token if claim else None))
    return sorted(found.values(), key=lambda l: (l.session.starts_at, l.session.id))


def tickets(booking_lines: list[BookingLine]) -> list[TicketLine]:
    """Return every ticket line of the cart's bookings (what ``place_order`` takes)."""
    return [ticket for line in booking_lines for ticket in line.tickets]


def total(booking_lines: list[BookingLine]) -> int:
    return sum(line.amount for line in booking_lines)


def add(cart, session_id: int, quantities: dict[int, int], *, held: int = 0) -> BookingLine:
    """Put the tickets wanted in one session in the cart (replacing what it held for that session).

    ``held``: seats of the session held for this shopper (a waitlist offer), theirs besides those left.
    :raises BookingCartError: the session is not bookable, no ticket is chosen, too many tickets
        or more seats than are left.
    """
    session = db.session.get(ExperienceSession, session_id)
    if session is None or not session.experience.product.is_listed() or not bookable(session, held > 0):
        raise BookingCartError(_("Buổi này không còn nhận đặt chỗ. Vui lòng chọn buổi khác."))
    types = {p.id: p for p in session.experience.person_types if p.active}
    wanted = {int(pt): int(q) for pt, q in quantities.items() if int(q or 0) > 0}
    if not wanted or any(pt not in types for pt in wanted):
        raise BookingCartError(_("Vui lòng chọn số người cho ít nhất một loại vé."))
    if any(q > MAX_TICKETS for q in wanted.values()):
        raise BookingCartError(_("Mỗi loại vé tối đa %(n)d người.", n=MAX_TICKETS))
    if sum(types[pt].seats * q for pt, q in wanted.items()) > session.seats_left + held:
        raise BookingCartError(_("Buổi này chỉ còn %(n)d chỗ.", n=session.seats_left + held))
    with transaction():
        cart.drop_session(session_id)
        for pt, qty in wanted.items():
            cart.put(session_id, pt, qty, types[pt].price)
    return next(line for line in lines(cart) if line.session.id == session_id)


def remove(cart, session_id: int) -> None:
    with transaction():
        cart.drop_session(session_id)


def clear(cart) -> None:
    with transaction():
        cart.clear()
