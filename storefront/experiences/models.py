"""Experiences, their person types, their weekly pattern and exceptions, and the sessions made from them.

An experience *is* a product (``Product``) with one ``Experience`` row beside it: the product carries
the title, description, photos, price shown in lists (the lowest person-type price), status and
certificates, so the one listing rule (``catalog/listing_rule.py``) and the listing table decide
whether it is on sale and with which stars. This table adds only what a dated visit needs.

Sessions are rows (``ExperienceSession``), made from the pattern for the next weeks by
``sessions.materialise``; ``seats_taken`` is the counter a booking raises with one conditional
UPDATE (``seats_taken + n <= capacity``), so racing checkouts never overbook.
"""
import enum

from flask_babel import lazy_gettext as _l

from ..catalog.models import Outlet, Product
from ..extensions import db
from ..i18n import current_locale
from ..model_checks import one_of
from ..timeutil import local_date_of, utcnow


def _in_locale(vi: str | None, en: str | None) -> str:
    """Return the English text for English readers when there is one, else the Vietnamese."""
    locale = current_locale() if en else None
    return en if locale is not None and locale.language == "en" else (vi or "")


class PlaceKind(enum.StrEnum):
    OUTLET = "outlet"  # an OCOP sales point or craft-village centre
    WORKSHOP = "workshop"  # the producer's own workshop, with an address and a map link


class SessionStatus(enum.StrEnum):
    OPEN = "open"
    CANCELLED = "cancelled"  # cancelled by the producer (``sessions.cancel_session``)
    CLOSED = "closed"  # the place is closed that day (closure, public holiday): never offered


class ExceptionKind(enum.StrEnum):
    SKIP = "skip"  # no session that day (at that time, or all day when ``starts_at`` is empty)
    ADD = "add"  # one extra session (also how single dates are given, without a pattern)


SESSION_STATUS_LABELS = {
    SessionStatus.OPEN: _l("Mở đặt chỗ"),
    SessionStatus.CANCELLED: _l("Đã huỷ"),
    SessionStatus.CLOSED: _l("Không tổ chức (ngày nghỉ)"),
}

LANGUAGE_LABELS = {"vi": _l("Tiếng Việt"), "en": _l("Tiếng Anh"), "fr": _l("Tiếng Pháp"),
                   "zh": _l("Tiếng Trung"), "ko": _l("Tiếng Hàn"), "ja": _l("Tiếng Nhật")}


class Experience(db.Model):
    """What a dated visit needs beyond its product: the place, duration, rules and the booking window."""

    __tablename__ = "experience"
    id = db.Column(db.Integer, primary_key=True)
    product_id = db.Column(db.Integer, db.ForeignKey("product.id", ondelete="CASCADE"), nullable=False,
                           unique=True)
    place_kind = db.Column(db.String(20), nullable=False, default=PlaceKind.OUTLET)
    outlet_id = db.Column(db.Integer, db.ForeignKey("outlet.id"), index=True)
    address = db.Column(db.String(300))  # the workshop's address (place_kind workshop)
    map_url = db.Column(db.String(500))  # a link to the workshop on a map (https)
    duration_minutes = db.Column(db.Integer, nullable=False, default=120)
    languages = db.Column(db.String(40), nullable=False, default="vi")  # codes, comma-separated
    bring_vi = db.Column(db.Text)  # what to bring
    bring_en = db.Column(db.Text)
    accessibility_vi = db.Column(db.Text)
    accessibility_en = db.Column(db.Text)
    min_age = db.Column(db.Integer)
    # Booking closes this many minutes before a session starts.
    cutoff_minutes = db.Column(db.Integer, nullable=False, default=120, server_default="120")
    # A shopper may cancel or move for free until this many hours before the start.
    cancel_free_hours = db.Column(db.Integer, nullable=False, default=24, server_default="24")
    # Sessions are made from the pattern this many weeks ahead.
    weeks_ahead = db.Column(db.Integer, nullable=False, default=8, server_default="8")
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow)

    product = db.relationship(Product, backref=db.backref("experience", uselist=False,
                                                          cascade="all, delete-orphan"))
    outlet = db.relationship(Outlet)
    person_types = db.relationship("PersonType", back_populates="experience",
                                   order_by="(PersonType.position, PersonType.id)",
                                   cascade="all, delete-orphan")
    slots = db.relationship("WeeklySlot", back_populates="experience",
                            order_by="(WeeklySlot.weekday, WeeklySlot.starts_at)",
                            cascade="all, delete-orphan")
    exceptions = db.relationship("ScheduleException", back_populates="experience",
                                 order_by="(ScheduleException.day, ScheduleException.starts_at)",
                                 cascade="all, delete-orphan")
    sessions = db.relationship("ExperienceSession", back_populates="experience",
                               order_by="ExperienceSession.starts_at", cascade="all, delete-orphan",
                               lazy="dynamic")

    __table_args__ = (
        one_of("place_kind", PlaceKind, name="place_kind_known"),
        db.CheckConstraint("(place_kind = 'outlet' AND outlet_id IS NOT NULL) OR "
                           "(place_kind = 'workshop' AND address IS NOT NULL)", name="place_given"),
        db.CheckConstraint("duration_minutes between 15 and 1440", name="duration_range"),
        db.CheckConstraint("cutoff_minutes >= 0", name="cutoff_not_negative"),
        db.CheckConstraint("cancel_free_hours >= 0", name="cancel_hours_not_negative"),
        db.CheckConstraint("weeks_ahead between 1 and 52", name="weeks_ahead_range"),
        db.CheckConstraint("min_age IS NULL OR min_age between 0 and 99", name="min_age_range"),
    )

    @property
    def slug(self) -> str:
        return self.product.slug

    @property
    def title(self) -> str:
        return self.product.name

    @property
    def producer(self):
        return self.product.producer

    @property
    def bring(self) -> str:
        return _in_locale(self.bring_vi, self.bring_en)

    @property
    def accessibility(self) -> str:
        return _in_locale(self.accessibility_vi, self.accessibility_en)

    @property
    def language_codes(self) -> list[str]:
        return [code for code in (self.languages or "").split(",") if code]

    @property
    def place_name(self) -> str:
        """Return where it happens: the outlet's name, or the producer's workshop."""
        if self.place_kind == PlaceKind.OUTLET and self.outlet is not None:
            return self.outlet.display_name
        return self.product.producer.name

    @property
    def place_address(self) -> str:
        if self.place_kind == PlaceKind.OUTLET and self.outlet is not None:
            return self.outlet.address
        return self.address or ""

    @property
    def place_map_url(self) -> str | None:
        if self.place_kind == PlaceKind.OUTLET and self.outlet is not None:
            return self.outlet.map_url
        return self.map_url

    @property
    def lowest_price(self) -> int | None:
        prices = [p.price for p in self.person_types if p.active]
        return min(prices) if prices else None


class PersonType(db.Model):
    """Who a ticket is for and its price (adult, child, a group ticket of several seats)."""

    __tablename__ = "experience_person_type"
    id = db.Column(db.Integer, primary_key=True)
    experience_id = db.Column(db.Integer, db.ForeignKey("experience.id", ondelete="CASCADE"),
                              nullable=False, index=True)
    code = db.Column(db.String(20), nullable=False)  # adult, child, group, ... (unique per experience)
    label_vi = db.Column(db.String(80), nullable=False)
    label_en = db.Column(db.String(80))
    price = db.Column(db.Integer, nullable=False)  # whole đồng per ticket
    seats = db.Column(db.Integer, nullable=False, default=1, server_default="1")  # seats one ticket takes
    position = db.Column(db.Integer, nullable=False, default=0, server_default="0")
    active = db.Column(db.Boolean, nullable=False, default=True, server_default=db.true())

    experience = db.relationship("Experience", back_populates="person_types")

    __table_args__ = (
        db.UniqueConstraint("experience_id", "code", name="uq_experience_person_type_code"),
        db.CheckConstraint("price >= 0", name="price_not_negative"),
        db.CheckConstraint("seats between 1 and 100", name="seats_range"),
    )

    @property
    def label(self) -> str:
        return _in_locale(self.label_vi, self.label_en)


class WeeklySlot(db.Model):
    """One session a week: a weekday (Monday 0 … Sunday 6), a start time (Hanoi) and its capacity."""

    __tablename__ = "experience_slot"
    id = db.Column(db.Integer, primary_key=True)
    experience_id = db.Column(db.Integer, db.ForeignKey("experience.id", ondelete="CASCADE"),
                              nullable=False, index=True)
    weekday = db.Column(db.SmallInteger, nullable=False)
    starts_at = db.Column(db.Time, nullable=False)
    capacity = db.Column(db.Integer, nullable=False)
    valid_from = db.Column(db.Date)  # first day the pattern applies (none: from now)
    valid_until = db.Column(db.Date)  # last day it applies (none: open-ended)

    experience = db.relationship("Experience", back_populates="slots")

    __table_args__ = (
        db.CheckConstraint("weekday between 0 and 6", name="weekday_range"),
        db.CheckConstraint("capacity between 1 and 1000", name="capacity_range"),
    )


class ScheduleException(db.Model):
    """A day off the pattern (skip), or one extra session (add: also every single-date session)."""

    __tablename__ = "experience_exception"
    id = db.Column(db.Integer, primary_key=True)
    experience_id = db.Column(db.Integer, db.ForeignKey("experience.id", ondelete="CASCADE"),
                              nullable=False, index=True)
    kind = db.Column(db.String(10), nullable=False)
    day = db.Column(db.Date, nullable=False)
    starts_at = db.Column(db.Time)  # skip: none means the whole day; add: required
    capacity = db.Column(db.Integer)  # add only
    note = db.Column(db.String(200))

    experience = db.relationship("Experience", back_populates="exceptions")

    __table_args__ = (
        one_of("kind", ExceptionKind, name="kind_known"),
        db.CheckConstraint("kind = 'skip' OR (starts_at IS NOT NULL AND capacity between 1 and 1000)",
                           name="add_has_time_and_capacity"),
    )


class ExperienceSession(db.Model):
    """One dated session, made from the pattern or an added date: what shoppers book.

    ``seats_taken`` counts the seats held and booked; raise it only with a conditional UPDATE
    (``seats_taken + n <= capacity``) so two checkouts can never both take the last seat.
    """

    __tablename__ = "experience_session"
    id = db.Column(db.Integer, primary_key=True)
    experience_id = db.Column(db.Integer, db.ForeignKey("experience.id", ondelete="CASCADE"),
                              nullable=False)
    starts_at = db.Column(db.DateTime, nullable=False)  # naive UTC
    ends_at = db.Column(db.DateTime, nullable=False)
    day = db.Column(db.Date, nullable=False)  # Hanoi calendar day of the start (lists by date)
    capacity = db.Column(db.Integer, nullable=False)
    seats_taken = db.Column(db.Integer, nullable=False, default=0, server_default="0")
    status = db.Column(db.String(20), nullable=False, default=SessionStatus.OPEN,
                       server_default=SessionStatus.OPEN)
    closed_reason = db.Column(db.String(200))  # status closed: the closure or holiday
    closed_reason_en = db.Column(db.String(200))
    from_pattern = db.Column(db.Boolean, nullable=False, default=True, server_default=db.true())
    cancelled_at = db.Column(db.DateTime)
    cancelled_by_id = db.Column(db.Integer, db.ForeignKey("user.id"))
    cancel_reason = db.Column(db.Text)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    experience = db.relationship("Experience", back_populates="sessions")

    __table_args__ = (
        db.UniqueConstraint("experience_id", "starts_at", name="uq_experience_session_start"),
        db.Index("ix_experience_session_upcoming", "status", "day", "starts_at"),
        one_of("status", SessionStatus, name="status_known"),
        db.CheckConstraint("capacity between 1 and 1000", name="capacity_range"),
        db.CheckConstraint("seats_taken >= 0 AND seats_taken <= capacity", name="seats_within_capacity"),
        db.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.seats_taken, 0)

    @property
    def local_day(self):
        return local_date_of(self.starts_at)

    @property
    def closed_reason_text(self) -> str:
        return _in_locale(self.closed_reason, self.closed_reason_en)
