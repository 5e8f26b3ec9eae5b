"""Bookings: the seats an order holds in one experience session, per person type, and its ticket.

An order may hold goods (``Pickup`` rows) and bookings side by side: one ``Booking`` per session,
with one ``BookingSeat`` row per person type at the price frozen at checkout. A booking's seats
count in ``ExperienceSession.seats_taken`` from placement (``awaiting_payment``: held while the
shopper pays) until it is cancelled (``seats.release``); ``seats.take`` and ``seats.release`` are
the only code that moves that counter for a booking.

A waitlist offer holds seats for the person it is made to (``SeatHold``): held seats count in
``seats_taken`` too, so every other shopper sees them as taken, until the hold becomes that
person's booking (the seats move from the hold to the booking in one guarded UPDATE, never
counted twice) or is released (lapsed, declined, passed on). ``seats.hold``, ``seats.take``
with a ``hold`` and ``seats.end_hold`` are the only code that moves the counter for a hold.

The ticket is the booking's code: derived from the shop's key (``tickets.code_of``), stored only
as a keyed hash, used once at check-in, locked for a while after repeated wrong codes, like a
pickup's code.
"""
import enum

from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..i18n import current_locale
from ..model_checks import one_of
from ..timeutil import utcnow


class BookingStatus(enum.StrEnum):
    AWAITING_PAYMENT = "awaiting_payment"  # seats held until the order's payment deadline
    CONFIRMED = "confirmed"  # paid, or to be paid at the venue: the ticket is valid
    CHECKED_IN = "checked_in"  # the ticket was used at the place
    CANCELLED = "cancelled"  # seats given back (payment expired, shopper or producer cancelled)
    NO_SHOW = "no_show"  # the session passed without a check-in


BOOKING_STATUS_LABELS = {
    BookingStatus.AWAITING_PAYMENT: _l("Giữ chỗ, chờ thanh toán"),
    BookingStatus.CONFIRMED: _l("Đã xác nhận"),
    BookingStatus.CHECKED_IN: _l("Đã check-in"),
    BookingStatus.CANCELLED: _l("Đã huỷ"),
    BookingStatus.NO_SHOW: _l("Không đến"),
}

# Statuses whose seats count in the session's ``seats_taken``.
HOLDING = (BookingStatus.AWAITING_PAYMENT, BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN,
           BookingStatus.NO_SHOW)


class Booking(db.Model):
    """The seats one order holds in one session, with its single-use ticket code."""

    __tablename__ = "booking"
    id = db.Column(db.Integer, primary_key=True)
    order_id = db.Column(db.Integer, db.ForeignKey("order.id"), nullable=False, index=True)
    session_id = db.Column(db.Integer, db.ForeignKey("experience_session.id"), nullable=False, index=True)
    experience_id = db.Column(db.Integer, db.ForeignKey("experience.id"), nullable=False, index=True)
    producer_id = db.Column(db.Integer, db.ForeignKey("producer.id"), nullable=False, index=True)
    experience_name = db.Column(db.String(200), nullable=False)  # frozen at checkout (Vietnamese)
    stars = db.Column(db.SmallInteger)  # the OCOP stars it was sold under, for the reports
    seats = db.Column(db.Integer, nullable=False)  # seats it holds in the session (sum of its lines)
    subtotal = db.Column(db.BigInteger, nullable=False)  # whole đồng, frozen at checkout
    status = db.Column(db.String(20), nullable=False, index=True)
    code_hash = db.Column(db.String(64), nullable=False)
    failed_code_attempts = db.Column(db.Integer, nullable=False, default=0, server_default="0")
    code_locked_until = db.Column(db.DateTime)
    checked_in_at = db.Column(db.DateTime)  # the code was used: it opens nothing again
    checked_in_by_id = db.Column(db.Integer, db.ForeignKey("user.id"))
    confirmed_at = db.Column(db.DateTime)
    cancelled_at = db.Column(db.DateTime)
    cancel_reason = db.Column(db.Text)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    order = db.relationship("Order", backref=db.backref("bookings", order_by="Booking.id"))
    session = db.relationship("ExperienceSession")
    experience = db.relationship("Experience")
    producer = db.relationship("Producer")
    checked_in_by = db.relationship("User")
    lines = db.relationship("BookingSeat", back_populates="booking", order_by="BookingSeat.id",
                            cascade="all, delete-orphan")

    __table_args__ = (
        db.UniqueConstraint("order_id", "session_id", name="uq_booking_order_session"),
        one_of("status", BookingStatus, name="status_known"),
        db.CheckConstraint("seats > 0", name="seats_positive"),
        db.CheckConstraint("subtotal >= 0", name="subtotal_not_negative"),
    )

    @property
    def holds_seats(self) -> bool:
        return self.status in HOLDING


class BookingSeat(db.Model):
    """How many tickets of one person type a booking holds, at the price frozen at checkout."""

    __tablename__ = "booking_seat"
    id = db.Column(db.Integer, primary_key=True)
    booking_id = db.Column(db.Integer, db.ForeignKey("booking.id", ondelete="CASCADE"), nullable=False,
                           index=True)
    person_type_id = db.Column(db.Integer, db.ForeignKey("experience_person_type.id", ondelete="SET NULL"))
    code = db.Column(db.String(20), nullable=False)  # adult, child, group: frozen
    label_vi = db.Column(db.String(80), nullable=False)
    label_en = db.Column(db.String(80))
    quantity = db.Column(db.Integer, nullable=False)  # tickets
    seats_each = db.Column(db.Integer, nullable=False, default=1)  # seats one ticket takes
    unit_price = db.Column(db.Integer, nullable=False)  # whole đồng per ticket, frozen at checkout

    booking = db.relationship("Booking", back_populates="lines")
    person_type = db.relationship("PersonType")

    __table_args__ = (
        db.CheckConstraint("quantity > 0", name="quantity_positive"),
        db.CheckConstraint("seats_each between 1 and 100", name="seats_each_range"),
        db.CheckConstraint("unit_price >= 0", name="unit_price_not_negative"),
    )

    @property
    def amount(self) -> int:
        return self.quantity * self.unit_price

    @property
    def seats(self) -> int:
        return self.quantity * self.seats_each

    @property
    def label(self) -> str:
        locale = current_locale() if self.label_en else None
        return self.label_en if locale is not None and locale.language == "en" else self.label_vi


class BookingPayment(db.Model):
    """Money taken at the place for a booking paid at the venue, at its check-in: how much, how, by whom.

    ``method`` is cash or transfer (as at an outlet's counter); ``outlet_id`` is the outlet whose
    drawer took cash, or None at a producer's own workshop, where the producer kept the money
    (the books count it as paid to the producer outside the shop: ``finance.posting``).
    """

    __tablename__ = "booking_payment"
    id = db.Column(db.Integer, primary_key=True)
    order_id = db.Column(db.Integer, db.ForeignKey("order.id"), nullable=False, index=True)
    booking_id = db.Column(db.Integer, db.ForeignKey("booking.id"), nullable=False, unique=True)
    outlet_id = db.Column(db.Integer, db.ForeignKey("outlet.id"), index=True)
    amount = db.Column(db.BigInteger, nullable=False)  # whole đồng
    method = db.Column(db.String(20), nullable=False)
    collected_by_id = db.Column(db.Integer, db.ForeignKey("user.id"))
    collected_by = db.Column(db.String(254), nullable=False)
    collected_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    booking = db.relationship("Booking", backref=db.backref("payment", uselist=False))

    __table_args__ = (
        db.CheckConstraint("amount > 0", name="amount_positive"),
        db.CheckConstraint("method in ('cash', 'transfer')", name="method_known"),
    )


class HoldStatus(enum.StrEnum):
    HELD = "held"  # its seats are counted in the session and kept for one person
    USED = "used"  # it became that person's booking (``booking_id``): the booking holds the seats now
    RELEASED = "released"  # lapsed, declined or passed on: the seats went back to the session


class SeatHold(db.Model):
    """Seats kept in one session for one person until ``expires_at`` (a waitlist offer).

    Claimed at checkout by the offer link's token (only its hash is stored, the same one the
    waitlist entry keeps) and, when the offer was made to an account, only by an order of that
    account. Its seats are in ``ExperienceSession.seats_taken`` while it is ``held``.
    """

    __tablename__ = "seat_hold"
    id = db.Column(db.Integer, primary_key=True)
    session_id = db.Column(db.Integer, db.ForeignKey("experience_session.id", ondelete="CASCADE"),
                           nullable=False)
    seats = db.Column(db.Integer, nullable=False)
    token_hash = db.Column(db.String(64), nullable=False, unique=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id", ondelete="SET NULL"), index=True)
    status = db.Column(db.String(20), nullable=False, default=HoldStatus.HELD)
    expires_at = db.Column(db.DateTime, nullable=False)
    booking_id = db.Column(db.Integer, db.ForeignKey("booking.id", ondelete="SET NULL"), index=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    ended_at = db.Column(db.DateTime)

    session = db.relationship("ExperienceSession")
    booking = db.relationship("Booking")

    __table_args__ = (
        db.Index("ix_seat_hold_session_status", "session_id", "status"),
        one_of("status", HoldStatus, name="status_known"),
        db.CheckConstraint("seats between 1 and 100", name="seats_range"),
    )


class BookingCartItem(db.Model):
    """A signed-in shopper's wish to book: tickets of one person type in one session.

    A guest's lives in the session (``bookings.cart``); nothing is held until the order is placed.
    """

    __tablename__ = "booking_cart_item"
    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id", ondelete="CASCADE"), nullable=False)
    session_id = db.Column(db.Integer, db.ForeignKey("experience_session.id", ondelete="CASCADE"),
                           nullable=False)
    person_type_id = db.Column(db.Integer, db.ForeignKey("experience_person_type.id", ondelete="CASCADE"),
                               nullable=False)
    quantity = db.Column(db.Integer, nullable=False)
    price_seen = db.Column(db.Integer, nullable=False)
    added_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    __table_args__ = (
        db.UniqueConstraint("user_id", "session_id", "person_type_id", name="uq_booking_cart_item"),
        db.CheckConstraint("quantity > 0", name="quantity_positive"),
    )
