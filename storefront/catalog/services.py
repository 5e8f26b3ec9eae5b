"""What the public catalogue shows: read-only use cases over the listing rule."""
import math
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import func, select

from ..extensions import db
from ..i18n import current_language
from ..text import fold
from ..timeutil import local_today
from . import counting, faceting, queries, spelling, stock, takedown
from .filters import CatalogFilters, Sort
from .models import (
    Certificate, Outlet, Photo, PlaceType, Producer, Product, ReviewStatus, Village,
)
from .queries import EVERYTHING, Scope

FEATURED = 8


class NotInCatalog(LookupError):
    """The page asked for is not public: unknown, unlisted, unverified or inactive."""


class TakenDown(NotInCatalog):
    """An admin took the product down; ``product.takedown_reason`` is public."""

    def __init__(self, product: Product):
        super().__init__(product.slug)
        self.product = product


_UNSET = object()


@dataclass(frozen=True)
class Dated:
    """What a dated listing (an experience) offers instead of stock: its next session on sale
    with a seat left (``first_day``, None when there is none) and the seats left in it."""

    first_day: date | None
    seats_left: int


def _no_dates(product_ids: list[int]) -> dict[int, Dated]:
    return {}


# Experiences build on the catalogue (so it does not import them): ``storefront/wiring.py`` hands
# in ``experiences.queries.dated_listings`` at start-up, {product id: Dated} for the experiences.
_dated_of = _no_dates


def describe_dated_with(dated_of) -> None:
    """Use ``dated_of(product ids) -> {product id: Dated}`` (experiences only) for ``Listed.dated``."""
    global _dated_of
    _dated_of = dated_of


@dataclass
class Listed:
    """A listed product with the star level of the certificate that lists it."""

    product: Product
    stars: int
    certificate: Certificate | None = None
    # The first photo when the page loaded only that one (cards show no other).
    cover: Photo | None | object = _UNSET
    # An experience's sessions (``Dated``); None for goods, which sell from stock.
    dated: Dated | None = None

    @property
    def sold_out(self) -> bool:
        seats = self.dated.seats_left if self.dated is not None else None
        return stock.is_sold_out(self.product, seats_left=seats)

    @property
    def first_photo(self) -> Photo | None:
        if self.cover is not _UNSET:
            return self.cover
        return self.product.photos[0] if self.product.photos else None

    @property
    def valid_until(self) -> date | None:
        """Return the last day the certificate counts (the day before it expires)."""
        return self.certificate.expires_on - timedelta(days=1) if self.certificate else None

    @property
    def max_quantity(self) -> int:
        return stock.orderable_quantity(self.product)


@dataclass
class CataloguePage:
    items: list[Listed]
    total: int
    filters: CatalogFilters
    facets: faceting.Facets | None = None
    total_over: bool = False  # a search matching more than ``total`` (the count limit)
    searched_for: str | None = None  # the corrected search, when nothing had every word as typed

    @property
    def approximate(self) -> bool:
        return self.searched_for is not None

    @property
    def page(self) -> int:
        return self.filters.page

    @property
    def per_page(self) -> int:
        return self.filters.per_page

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def browse(filters: CatalogFilters, *, scope: Scope = EVERYTHING, today: date | None = None,
           facets: bool = False, detail: bool = False) -> CataloguePage:
    """Return one page of listed products matching ``filters``, with facet counts when asked.

    ``detail`` loads every photo and the active outlets of each product (the JSON API). When no
    product has every search word, words the catalogue does not have are replaced by the closest
    ones it has (``spelling.corrected``); the page then says what it ``searched_for``.
    """
    today = today or local_today()
    counts, searched = _counts(filters, scope, today), filters
    if not counts.total and filters.words:
        words = spelling.corrected(filters.words)
        if words != filters.words:
            instead = filters.replace(q=" ".join(words))
            similar = _counts(instead, scope, today)
            if similar.total:
                counts, searched = similar, instead
    rows = queries.page_rows(searched, scope, today, detail=detail)
    page = CataloguePage(_listed(rows), counts.total, filters, total_over=counts.total_over,
                         searched_for=searched.q if searched is not filters else None)
    if facets:
        page.facets = faceting.build(counts, filters)
    return page


def _counts(filters: CatalogFilters, scope: Scope, today: date):
    limit = current_app.config["CATALOG_SEARCH_COUNT_LIMIT"]
    key = ("browse", today, scope.producer_id, scope.outlet_id, tuple(filters.words),
           tuple(sorted(filters.villages)), filters.stars, filters.group, limit)
    return counting.remembered(key, lambda: faceting.summarise(queries.tally(
        filters, scope, today, choices=faceting.VILLAGE_CHOICES, limit=limit), filters))


def _listed(rows) -> list[Listed]:
    return _with_dates([Listed(product, stars, cover=cover) for product, stars, cover in rows])


def _with_dates(items: list[Listed]) -> list[Listed]:
    """Give each experience among ``items`` its sessions on sale (one query for the page)."""
    dated = _dated_of([item.product.id for item in items]) if items else {}
    for item in items:
        item.dated = dated.get(item.product.id)
    return items


def featured(limit: int = FEATURED, today: date | None = None) -> list[Listed]:
    """Return the products for the home page: the newest 5★ ones, topped up by stars then newest."""
    # Newest-first walks the created_at index and stops early; sorting by stars would rank
    # every listed product, so the 5★ ones are asked for first.
    today = today or local_today()
    rows = queries.page_rows(CatalogFilters(stars=(5,), per_page=limit), EVERYTHING, today)
    if len(rows) < limit:
        rest = CatalogFilters(stars=(3, 4), sort=Sort.STARS, per_page=limit - len(rows))
        rows += queries.page_rows(rest, EVERYTHING, today)
    return _listed(rows)


def product_detail(slug: str, today: date | None = None) -> Listed:
    """Return a listed product with its certificate, photos and active outlets.

    :raises NotInCatalog: when no listed product has this slug.
    """
    row = queries.listed_product(slug, today)
    if row is None:
        if (gone := takedown.taken_down(slug)) is not None:
            raise TakenDown(gone)
        raise NotInCatalog(slug)
    product, certificate = row
    return _with_dates([Listed(product, certificate.stars, certificate)])[0]


VILLAGES_PER_PAGE = 60


@dataclass
class VillageDirectory:
    """One page of the village directory, in alphabetical order of the name shown."""

    villages: list[tuple[Village, int]]  # with their number of listed products
    total: int  # villages matching ``q``
    page: int
    pages: int
    q: str = ""


def village_directory(page: int = 1, q: str = "", today: date | None = None,
                      per_page: int = VILLAGES_PER_PAGE) -> VillageDirectory:
    """Return a page of every village (or of those whose names or district have every word of ``q``).

    A national catalogue has 13,500 villages: one page is read, through the sort name's index.
    """
    today = today or local_today()
    words = fold(q).split()
    total = queries.village_count(words)
    pages = max(1, math.ceil(total / per_page))
    page = min(max(page, 1), pages)  # past the end (an old link): the last page
    villages = queries.village_page(words, current_language() == "en", (page - 1) * per_page, per_page)
    counts = queries.products_per_village(today, [village.id for village in villages])
    return VillageDirectory([(village, counts.get(village.id, 0)) for village in villages],
                            total, page, pages, q)


def busiest_villages(limit: int, today: date | None = None) -> list[tuple[Village, int]]:
    """Return the villages with the most listed products (none without), ties by the name shown."""
    today = today or local_today()
    ranked = counting.remembered(("busiest", today, limit),
                                 lambda: queries.busiest_village_counts(limit, today))
    villages = {v.id: v for v in queries.villages_by_id(i for i, _ in ranked)}
    rows = [(villages[i], n) for i, n in ranked if i in villages]
    return sorted(rows, key=lambda row: (-row[1], fold(row[0].display_name)))[:limit]


def village(slug: str) -> Village:
    """:raises NotInCatalog: when no village has this slug."""
    found = db.session.scalar(select(Village).where(Village.slug == slug))
    if found is None:
        raise NotInCatalog(slug)
    return found


def producer(slug: str) -> Producer:
    """Return a verified producer with its village.

    :raises NotInCatalog: when no verified producer has this slug.
    """
    found = db.session.scalar(select(Producer).where(
        Producer.slug == slug, Producer.status == ReviewStatus.VERIFIED))
    if found is None:
        raise NotInCatalog(slug)
    return found


def outlet(slug: str) -> Outlet:
    """:raises NotInCatalog: when no active outlet has this slug."""
    found = db.session.scalar(select(Outlet).where(Outlet.slug == slug, Outlet.active.is_(True)))
    if found is None:
        raise NotInCatalog(slug)
    return found


def active_outlets(place_type: PlaceType | None = None, limit: int | None = None) -> list[Outlet]:
    """Return the active outlets, of one place type when given, by name."""
    stmt = select(Outlet).where(Outlet.active.is_(True)).order_by(Outlet.name, Outlet.id)
    if place_type:
        stmt = stmt.where(Outlet.place_type == place_type)
    return list(db.session.scalars(stmt.limit(limit)))


def outlet_type_counts() -> dict[str, int]:
    """Count active outlets per place type."""
    stmt = (select(Outlet.place_type, func.count()).where(Outlet.active.is_(True))
            .group_by(Outlet.place_type))
    return dict(db.session.execute(stmt).all())


def village_outlets(village_id: int) -> list[Outlet]:
    stmt = select(Outlet).where(Outlet.village_id == village_id, Outlet.active.is_(True)) \
        .order_by(Outlet.name)
    return list(db.session.scalars(stmt))


def sitemap(today: date | None = None) -> dict[str, list]:
    """Return the slugs of every public page, by kind."""
    today = today or local_today()
    producers = select(Producer.slug).where(Producer.status == ReviewStatus.VERIFIED) \
        .order_by(Producer.id)
    outlets = select(Outlet.slug).where(Outlet.active.is_(True)).order_by(Outlet.id)
    return {
        "products": queries.listed_slugs(today),
        "villages": list(db.session.scalars(select(Village.slug).order_by(Village.id))),
        "producers": list(db.session.scalars(producers)),
        "outlets": list(db.session.scalars(outlets)),
    }
