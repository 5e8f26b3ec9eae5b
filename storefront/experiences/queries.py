"""What shoppers see: upcoming sessions of listed experiences, filtered by date, village and stars.

The listing rule is asked through the listing table (``catalog/listing_table.py``): a session is
offered when its experience's product is listed today AND still listed on the session's day (a
certificate expiring before then takes the session off sale), its status is open, and booking has
not closed (``sessions.is_bookable``). Stars and village come from the same listing row.
"""
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..catalog.listing_table import ListingRow, listed_on
from ..catalog.models import Producer, Product, Village
from ..catalog.services import Dated
from ..extensions import db
from ..timeutil import local_today, utcnow
from .errors import NotAnExperience
from .models import Experience, ExperienceSession, SessionStatus
from .sessions import booking_closes_at

PER_PAGE = 30
MAX_PAGE = 100


class BadExperienceFilter(ValueError):
    """A filter value that cannot be understood; the message names it."""

    def __init__(self, name: str, message: str):
        super().__init__(message)
        self.name = name


@dataclass(frozen=True)
class ExperienceFilters:
    """What a shopper asked ``/experiences`` for: from a day on, villages, stars, page."""

    day: date | None = None
    villages: tuple[str, ...] = ()
    stars: tuple[int, ...] = ()
    page: int = 1

    @classmethod
    def from_args(cls, args) -> "ExperienceFilters":
        """Read the filters from a query string.

        :raises BadExperienceFilter: on a value that cannot be understood.
        """
        raw_day = (args.get("date") or "").strip()
        try:
            day = date.fromisoformat(raw_day) if raw_day else None
        except ValueError:
            raise BadExperienceFilter("date", _("Ngày “%(value)s” không hợp lệ.", value=raw_day[:20])) from None
        stars = []
        for raw in args.getlist("stars"):
            if raw not in ("3", "4", "5"):
                raise BadExperienceFilter("stars", _("Số sao phải là 3, 4 hoặc 5."))
            stars.append(int(raw))
        page = args.get("page", "1")
        if not page.isdigit() or not 1 <= int(page) <= MAX_PAGE:
            raise BadExperienceFilter("page", _("Trang không hợp lệ."))
        villages = tuple(dict.fromkeys(v.strip()[:100] for v in args.getlist("village") if v.strip()))
        return cls(day, villages, tuple(sorted(set(stars))), int(page))

    def to_args(self, **changes) -> dict:
        target = replace(self, **changes) if changes else self
        args = {"date": target.day.isoformat() if target.day else None, "village": list(target.villages),
                "stars": list(target.stars), "page": target.page if target.page != 1 else None}
        return {k: v for k, v in args.items() if v not in (None, [])}

    @property
    def active(self) -> bool:
        return bool(self.day or self.villages or self.stars)


@dataclass
class Offered:
    """A session on sale, with its experience and the stars and village that list it."""

    session: ExperienceSession
    experience: Experience
    stars: int
    village: Village


@dataclass
class Page:
    items: list[Offered]
    page: int
    has_next: bool
    filters: ExperienceFilters = field(default_factory=ExperienceFilters)


def _offered_query(today: date, now: datetime):
    return (select(ExperienceSession, Experience, ListingRow.stars, Village)
            .join(Experience, Experience.id == ExperienceSession.experience_id)
            .join(ListingRow, ListingRow.product_id == Experience.product_id)
            .join(Village, Village.id == ListingRow.village_id)
            .where(*listed_on(today), ListingRow.listed_until > ExperienceSession.day,
                   ExperienceSession.status == SessionStatus.OPEN, ExperienceSession.starts_at > now)
            .options(selectinload(Experience.product).selectinload(Product.photos),
                     selectinload(Experience.product).selectinload(Product.producer),
                     selectinload(Experience.person_types), selectinload(Experience.outlet))
            .order_by(ExperienceSession.starts_at, ExperienceSession.id))


def _offered(rows, now: datetime) -> list[Offered]:
    found = [Offered(session, experience, stars, village) for session, experience, stars, village in rows]
    return [item for item in found if now < booking_closes_at(item.session)]  # full ones show as full


def upcoming(filters: ExperienceFilters, *, today: date | None = None, now: datetime | None = None) -> Page:
    """Return a page of sessions on sale, by start (full ones shown as full; past the cut-off left out)."""
    today, now = today or local_today(), now or utcnow()
    query = _offered_query(today, now)
    if filters.day:
        query = query.where(ExperienceSession.day >= filters.day)
    if filters.villages:
        query = query.where(Village.slug.in_(filters.villages))
    if filters.stars:
        query = query.where(ListingRow.stars.in_(filters.stars))
    start = (filters.page - 1) * PER_PAGE
    rows = db.session.execute(query.offset(start).limit(PER_PAGE + 1)).all()
    items = _offered(rows[:PER_PAGE], now)
    return Page(items, filters.page, len(rows) > PER_PAGE, filters)


def of_village(village: Village, *, limit: int = 6, today=None, now=None) -> list[Offered]:
    """Return the next sessions on sale of experiences whose producer is in ``village``."""
    today, now = today or local_today(), now or utcnow()
    rows = db.session.execute(_offered_query(today, now).where(Village.id == village.id).limit(limit)).all()
    return _offered(rows, now)


def of_producer(producer: Producer, *, limit: int = 6, today=None, now=None) -> list[Offered]:
    """Return the next sessions on sale of the producer's experiences."""
    today, now = today or local_today(), now or utcnow()
    rows = db.session.execute(_offered_query(today, now).where(ListingRow.producer_id == producer.id)
                              .limit(limit)).all()
    return _offered(rows, now)


def villages_with_sessions(today: date | None = None, now: datetime | None = None) -> list[Village]:
    """Return the villages that have a session on sale, by name (the village filter's choices)."""
    today, now = today or local_today(), now or utcnow()
    sub = _offered_query(today, now).with_only_columns(Village.id).order_by(None).distinct().subquery()
    return list(db.session.scalars(select(Village).where(Village.id.in_(select(sub.c.id)))
                                   .order_by(Village.sort_name_vi)))


@dataclass
class ExperiencePage:
    experience: Experience
    stars: int
    village: Village
    sessions: list[ExperienceSession]


def detail(slug: str, *, today: date | None = None, now: datetime | None = None) -> ExperiencePage:
    """Return a listed experience and its sessions on sale.

    :raises NotAnExperience: when no listed experience has this slug (an expired certificate, a
        draft, a taken-down product all end here).
    """
    today, now = today or local_today(), now or utcnow()
    row = db.session.execute(
        select(Experience, ListingRow.stars, Village)
        .join(Product, Product.id == Experience.product_id)
        .join(ListingRow, ListingRow.product_id == Product.id)
        .join(Village, Village.id == ListingRow.village_id)
        .where(Product.slug == slug, *listed_on(today))).first()
    if row is None:
        raise NotAnExperience(slug)
    experience, stars, village = row
    rows = db.session.execute(_offered_query(today, now).where(Experience.id == experience.id)).all()
    return ExperiencePage(experience, stars, village, [item.session for item in _offered(rows, now)])


def dated_listings(product_ids: list[int], *, today: date | None = None,
                   now: datetime | None = None) -> dict[int, Dated]:
    """Return {product id: Dated} for the experiences among ``product_ids``: the day of the next
    session on sale with a seat left and its seats left (no day, 0 seats: none is on sale).

    The catalogue's cards and product page show this instead of the product's stock
    (``catalog.services.describe_dated_with``, wired in ``storefront/wiring.py``).
    """
    if not product_ids:
        return {}
    today, now = today or local_today(), now or utcnow()
    experiences = db.session.scalars(select(Experience.product_id)
                                     .where(Experience.product_id.in_(product_ids))).all()
    if not experiences:
        return {}
    found = {product_id: Dated(None, 0) for product_id in experiences}
    rows = db.session.execute(
        select(ExperienceSession, Experience.product_id)
        .join(Experience, Experience.id == ExperienceSession.experience_id)
        .join(ListingRow, ListingRow.product_id == Experience.product_id)
        .where(Experience.product_id.in_(experiences), *listed_on(today),
               ListingRow.listed_until > ExperienceSession.day,
               ExperienceSession.status == SessionStatus.OPEN, ExperienceSession.starts_at > now,
               ExperienceSession.seats_taken < ExperienceSession.capacity)
        .options(selectinload(ExperienceSession.experience))
        .order_by(ExperienceSession.starts_at, ExperienceSession.id)).all()
    for session, product_id in rows:
        if found[product_id].first_day is None and now < booking_closes_at(session):
            found[product_id] = Dated(session.day, session.seats_left)
    return found
