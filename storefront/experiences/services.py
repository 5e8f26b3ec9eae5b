"""A producer's experiences: find them (scoped to the owner), create and edit, the schedule and prices.

Each verb is one unit of work, and every change to the schedule makes the sessions again
(``sessions.materialise``) in the same transaction. Publishing, photos and certificates are the
product's (``producers/services.py``): an experience is listed by the one listing rule.
"""
from dataclasses import dataclass, field
from datetime import date, time

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import slugs
from ..catalog.models import Outlet, Producer, Product, ProductGroup, ProductStatus
from ..catalog.search import search_text_for
from ..extensions import db
from ..timeutil import utcnow
from ..unit_of_work import transaction
from .errors import InvalidSchedule
from .models import (
    Experience, ExceptionKind, ExperienceSession, PersonType, PlaceKind, ScheduleException, WeeklySlot,
)
from .sessions import materialise

SLUG_LENGTH = 80
DEFAULT_PERSON_TYPES = (("adult", "Người lớn", "Adult", 1), ("child", "Trẻ em", "Child", 1),
                        ("group", "Nhóm (5 người)", "Group (5 people)", 5))


@dataclass
class ExperienceDetails:
    """What a producer writes about an experience (title and description are its product's)."""

    title_vi: str
    description_vi: str = ""
    title_en: str | None = None
    description_en: str | None = None
    group: str = ProductGroup.TOURISM
    place_kind: str = PlaceKind.OUTLET
    outlet_id: int | None = None
    address: str | None = None
    map_url: str | None = None
    duration_minutes: int = 120
    languages: list[str] = field(default_factory=lambda: ["vi"])
    bring_vi: str | None = None
    bring_en: str | None = None
    accessibility_vi: str | None = None
    accessibility_en: str | None = None
    min_age: int | None = None
    cutoff_minutes: int = 120
    cancel_free_hours: int = 24
    weeks_ahead: int = 8


# --- finding, always through the owner -------------------------------------------------------

def experiences_of(producer: Producer):
    """Return a query for the producer's experiences, newest first."""
    return (select(Experience).join(Product, Product.id == Experience.product_id)
            .where(Product.producer_id == producer.id)
            .options(selectinload(Experience.product).selectinload(Product.certificates),
                     selectinload(Experience.person_types))
            .order_by(Experience.id.desc()))


def experience_of(producer: Producer, experience_id: int) -> Experience:
    """Return the producer's experience ``experience_id``; another producer's is not found (404)."""
    return db.first_or_404(experiences_of(producer).where(Experience.id == experience_id))


def session_of(producer: Producer, session_id: int) -> ExperienceSession:
    """Return a session of one of the producer's experiences; another producer's is not found (404)."""
    return db.first_or_404(
        select(ExperienceSession).join(Experience).join(Product, Product.id == Experience.product_id)
        .where(ExperienceSession.id == session_id, Product.producer_id == producer.id))


def upcoming_sessions(experience: Experience, *, now=None, limit: int = 60) -> list[ExperienceSession]:
    """Return the experience's sessions from now on (every status), by start, for its producer."""
    return list(db.session.scalars(
        select(ExperienceSession).where(ExperienceSession.experience_id == experience.id,
                                        ExperienceSession.ends_at > (now or utcnow()))
        .order_by(ExperienceSession.starts_at).limit(limit)))


def active_outlets() -> list[Outlet]:
    return list(db.session.scalars(select(Outlet).where(Outlet.active.is_(True)).order_by(Outlet.name)))


# --- writing ---------------------------------------------------------------------------------

def create_experience(producer: Producer, details: ExperienceDetails) -> Experience:
    """Create a draft experience (its product too) with the usual person types, priced 0 until set.

    :raises InvalidSchedule: when the place is not given.
    """
    with transaction():
        product = Product(producer=producer, status=ProductStatus.DRAFT, stock=0, price=0,
                          unit_vi="lượt", unit_en="ticket",
                          slug=slugs.unique_slug(Product, details.title_vi, max_length=SLUG_LENGTH))
        experience = Experience(product=product)
        _apply(experience, details)
        for position, (code, label_vi, label_en, seats) in enumerate(DEFAULT_PERSON_TYPES):
            experience.person_types.append(PersonType(code=code, label_vi=label_vi, label_en=label_en,
                                                      seats=seats, price=0, position=position,
                                                      active=code != "group"))
        db.session.add(experience)
    return experience


def update_experience(experience: Experience, details: ExperienceDetails) -> None:
    """Save a producer's edits, and make the sessions again (the duration or place may have changed).

    :raises InvalidSchedule: when the place is not given.
    """
    with transaction():
        _apply(experience, details)
        db.session.flush()
        materialise(experience)


def _apply(experience: Experience, details: ExperienceDetails) -> None:
    product = experience.product
    with db.session.no_autoflush:
        product.name_vi = details.title_vi.strip()
        product.name_en = (details.title_en or "").strip() or None
        product.description_vi = (details.description_vi or "").strip()
        product.description_en = (details.description_en or "").strip() or None
        product.group = details.group
        product.search_text = search_text_for(product)
        _apply_place(experience, details)
        for name in ("duration_minutes", "min_age", "cutoff_minutes", "cancel_free_hours", "weeks_ahead"):
            setattr(experience, name, getattr(details, name))
        for name in ("bring_vi", "bring_en", "accessibility_vi", "accessibility_en"):
            setattr(experience, name, (getattr(details, name) or "").strip() or None)
        experience.languages = ",".join(details.languages) or "vi"


def _apply_place(experience: Experience, details: ExperienceDetails) -> None:
    if details.place_kind == PlaceKind.OUTLET:
        outlet = db.session.get(Outlet, details.outlet_id) if details.outlet_id else None
        if outlet is None or not outlet.active:
            raise InvalidSchedule(_("Hãy chọn một điểm bán đang hoạt động."))
        experience.place_kind, experience.outlet, experience.address = PlaceKind.OUTLET, outlet, None
        experience.map_url = None
    else:
        if not (details.address or "").strip():
            raise InvalidSchedule(_("Hãy nhập địa chỉ xưởng."))
        experience.place_kind, experience.outlet = PlaceKind.WORKSHOP, None
        experience.address = details.address.strip()
        experience.map_url = (details.map_url or "").strip() or None


def set_prices(experience: Experience, prices: dict[str, tuple[int, bool]]) -> None:
    """Set each person type's price and whether it is sold: ``{code: (price, active)}``.

    The product's price becomes the lowest price sold, so lists and sorts show "from ...".
    :raises InvalidSchedule: when no person type is left on sale.
    """
    with transaction():
        for person_type in experience.person_types:
            if person_type.code in prices:
                person_type.price, person_type.active = prices[person_type.code]
        if experience.lowest_price is None:
            raise InvalidSchedule(_("Cần ít nhất một loại vé đang bán."))
        experience.product.price = experience.lowest_price


def add_slot(experience: Experience, weekday: int, starts_at: time, capacity: int,
             valid_from: date | None = None, valid_until: date | None = None) -> WeeklySlot:
    """Add a weekly session and make the sessions again."""
    if valid_from and valid_until and valid_until < valid_from:
        raise InvalidSchedule(_("Ngày kết thúc phải sau ngày bắt đầu."))
    with transaction():
        slot = WeeklySlot(weekday=weekday, starts_at=starts_at, capacity=capacity,
                          valid_from=valid_from, valid_until=valid_until)
        experience.slots.append(slot)
        db.session.flush()
        materialise(experience)
    return slot


def remove_slot(experience: Experience, slot_id: int) -> None:
    """Remove a weekly session; sessions already booked stay until the producer cancels them."""
    with transaction():
        slot = next((s for s in experience.slots if s.id == slot_id), None)
        if slot is not None:
            experience.slots.remove(slot)
            db.session.flush()
            materialise(experience)


def add_exception(experience: Experience, kind: str, day: date, starts_at: time | None = None,
                  capacity: int | None = None, note: str | None = None) -> ScheduleException:
    """Skip a day (or one time), or add a single-date session; make the sessions again.

    :raises InvalidSchedule: an added session without a time or capacity.
    """
    if kind == ExceptionKind.ADD and (starts_at is None or not capacity):
        raise InvalidSchedule(_("Buổi thêm cần giờ bắt đầu và số chỗ."))
    with transaction():
        exception = ScheduleException(kind=kind, day=day, starts_at=starts_at,
                                      capacity=capacity if kind == ExceptionKind.ADD else None,
                                      note=(note or "").strip() or None)
        experience.exceptions.append(exception)
        db.session.flush()
        materialise(experience)
    return exception


def remove_exception(experience: Experience, exception_id: int) -> None:
    """Remove an exception and make the sessions again."""
    with transaction():
        exception = next((e for e in experience.exceptions if e.id == exception_id), None)
        if exception is not None:
            experience.exceptions.remove(exception)
            db.session.flush()
            materialise(experience)
