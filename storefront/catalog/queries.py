"""The listing rule as one query construct, and the catalogue queries built on it.

A product is listed when it is published, its producer is verified and it has a verified
certificate with ``today < expires_on`` (Hanoi date). Its public stars come from the valid
certificate with the latest decision date (then the highest id). The rule is applied at query
time, so a certificate drops out on its expiry day with no job to run.

Why "no later valid certificate" (NOT EXISTS) rather than ``ROW_NUMBER() ... rn = 1``: both pick
the same row, but a window must rank every certificate before anything else happens, so even
the first page of 24 paid for all 30,000 products. The anti-join lets the database walk products
by the sort index and stop after one page, and its row estimate keeps PostgreSQL on hash joins
when it does have to count everything.
"""
import functools
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, bindparam, exists, func, or_, select
from sqlalchemy.orm import aliased, joinedload, selectinload

from ..extensions import db
from ..timeutil import local_today
from .filters import CatalogFilters, Sort
from .models import (
    Certificate, Outlet, Photo, Producer, Product, ProductStatus, ReviewStatus, Village,
    product_outlets,
)


def _valid(certificate, today: date) -> list:
    """Return the conditions for a certificate that counts on ``today`` (it drops out ON expires_on)."""
    return [certificate.status == ReviewStatus.VERIFIED, certificate.expires_on > today]


def listing(today: date | None = None, *narrow, stars: bool = True):
    """Return the listed products as a subquery, one row each, with the columns filters read.

    Columns: product_id, slug, producer_id, village_id, group, price, created_at, and with
    ``stars`` (the default) stars and certificate_id of the certificate that lists the product.
    Counts that need no stars pass ``stars=False``: a product is listed when *any* valid
    certificate exists, so picking the latest one can be skipped. ``narrow`` adds conditions on
    product or producer columns (search words, scope). ``today`` may be a bound parameter.
    """
    if today is None:
        today = local_today()
    products = (
        select(Product.id.label("product_id"), Product.slug, Product.producer_id,
               Producer.village_id, Product.group, Product.price, Product.created_at)
        .select_from(Product)
        .join(Producer, Producer.id == Product.producer_id)
        .where(Product.status == ProductStatus.PUBLISHED, Producer.status == ReviewStatus.VERIFIED,
               *narrow)
    )
    if not stars:
        certified = exists().where(Certificate.product_id == Product.id, *_valid(Certificate, today))
        return products.where(certified).subquery("listed")
    later = aliased(Certificate)
    superseded = exists().where(
        later.product_id == Certificate.product_id, *_valid(later, today),
        or_(later.decision_date > Certificate.decision_date,
            and_(later.decision_date == Certificate.decision_date, later.id > Certificate.id)),
    )
    return (
        products.add_columns(Certificate.stars, Certificate.id.label("certificate_id"))
        .join(Certificate, Certificate.product_id == Product.id)
        .where(*_valid(Certificate, today), ~superseded)
        .subquery("listed")
    )


@dataclass(frozen=True)
class Scope:
    """Narrows the catalogue to one producer's or one outlet's products (pages, not the query string)."""

    producer_id: int | None = None
    outlet_id: int | None = None


EVERYTHING = Scope()


# --- statements built once per shape ------------------------------------------------------------
# Building the listing statement and its cache key costs more Python time than PostgreSQL spends
# running it, so each statement is built once per *shape* (which filters are present, how many
# search words, the sort) with named parameters, and every request only binds its values.

@dataclass(frozen=True)
class Shape:
    """What decides the SQL of a catalogue statement; the filter values are bound at execution."""

    words: int = 0
    producer: bool = False
    outlet: bool = False
    villages: bool = False
    stars: bool = False
    group: bool = False
    sort: Sort = Sort.NEWEST

    @classmethod
    def of(cls, filters: CatalogFilters, scope: Scope = EVERYTHING) -> "Shape":
        return cls(len(filters.words), scope.producer_id is not None, scope.outlet_id is not None,
                   bool(filters.villages), bool(filters.stars), bool(filters.group), filters.sort)

    @property
    def narrowing(self) -> "Shape":
        """Return the part of the shape that counts depend on (the facets apply the rest)."""
        return Shape(self.words, self.producer, self.outlet)


def parameters(filters: CatalogFilters, scope: Scope, today: date) -> dict:
    """Return the values bound to a statement of ``Shape.of(filters, scope)``."""
    values = {"today": today, "limit": filters.per_page,
              "offset": (filters.page - 1) * filters.per_page,
              "villages": list(filters.villages), "stars": list(filters.stars),
              "group": filters.group, "producer_id": scope.producer_id, "outlet_id": scope.outlet_id}
    values.update({f"word_{n}": word for n, word in enumerate(filters.words)})
    return values


def narrowing(shape: Shape) -> list:
    """Return the product-level conditions every count shares: the scope and the search words."""
    found = []
    if shape.producer:
        found.append(Product.producer_id == bindparam("producer_id"))
    if shape.outlet:
        carried = select(product_outlets.c.product_id).where(
            product_outlets.c.outlet_id == bindparam("outlet_id"))
        found.append(Product.id.in_(carried))
    # fold() leaves only [a-z0-9 ], so the words need no LIKE escaping.
    return found + [Product.search_text.contains(bindparam(f"word_{n}")) for n in range(shape.words)]


def conditions(listed, shape: Shape) -> list:
    """Return the WHERE clauses on ``listed`` for the village, star and group filters."""
    found = []
    if shape.villages:
        chosen = select(Village.id).where(Village.slug.in_(bindparam("villages", expanding=True)))
        found.append(listed.c.village_id.in_(chosen))
    if shape.stars:
        found.append(listed.c.stars.in_(bindparam("stars", expanding=True)))
    if shape.group:
        found.append(listed.c.group == bindparam("group"))
    return found


def _order(columns, sort: Sort) -> tuple:
    newest = (columns.created_at.desc(), columns.product_id.desc())
    return {
        Sort.NEWEST: newest,
        Sort.PRICE_ASC: (columns.price.asc(), columns.product_id.asc()),
        Sort.PRICE_DESC: (columns.price.desc(), columns.product_id.desc()),
        Sort.STARS: (columns.stars.desc(), *newest),
    }[sort]


def _with_producer_and_village():
    """Load each product's producer and village in the same statement (one row each, never null)."""
    return joinedload(Product.producer, innerjoin=True).joinedload(Producer.village, innerjoin=True)


@functools.lru_cache(maxsize=256)
def _page_statement(shape: Shape, detail: bool):
    listed = listing(bindparam("today"), *narrowing(shape))
    page = (
        select(listed.c.product_id, listed.c.stars, listed.c.created_at, listed.c.price)
        .where(*conditions(listed, shape))
        .order_by(*_order(listed.c, shape.sort))
        .limit(bindparam("limit")).offset(bindparam("offset"))
        .subquery("page")
    )
    cover = aliased(Photo, name="cover")
    first_photo = (select(Photo.id).where(Photo.product_id == Product.id)
                   .order_by(Photo.position, Photo.id).limit(1).scalar_subquery())
    options = [_with_producer_and_village()]
    if detail:
        options += [selectinload(Product.photos),
                    selectinload(Product.outlets.and_(Outlet.active.is_(True)))]
    return (select(Product, page.c.stars, cover)
            .join(page, page.c.product_id == Product.id)
            .outerjoin(cover, cover.id == first_photo)
            .order_by(*_order(page.c, shape.sort)).options(*options))


def page_rows(filters: CatalogFilters, scope: Scope, today: date, *, detail: bool = False) -> list:
    """Return one page of (Product, stars, first Photo or None) rows, producer and village loaded.

    ``detail`` loads every photo and the active outlets as well (the JSON API shows them).
    """
    stmt = _page_statement(Shape.of(filters, scope), detail)
    return db.session.execute(stmt, parameters(filters, scope, today)).all()


@functools.lru_cache(maxsize=64)
def _tally_statement(shape: Shape):
    listed = listing(bindparam("today"), *narrowing(shape))
    grouped = (select(listed.c.village_id, listed.c.stars, listed.c.group, func.count().label("n"))
               .group_by(listed.c.village_id, listed.c.stars, listed.c.group).subquery("grouped"))
    return (select(Village.slug, grouped.c.stars, grouped.c.group, grouped.c.n)
            .join(Village, Village.id == grouped.c.village_id))


def tally(filters: CatalogFilters, scope: Scope, today: date) -> list:
    """Count the listed products under the scope and search words per (village slug, stars, group).

    Every total and facet count follows from these rows, so one statement serves them all.
    """
    stmt = _tally_statement(Shape.of(filters, scope).narrowing)
    # plain rows: there may be thousands
    return db.session.connection().execute(stmt, parameters(filters, scope, today)).all()


def villages_named(slugs) -> list:
    """Return the villages with these slugs (facet labels)."""
    stmt = select(Village).where(Village.slug.in_(list(slugs)))
    return list(db.session.scalars(stmt))


def products_per_village(listed) -> dict[int, int]:
    """Count ``listed`` products per village id (villages without any are left out)."""
    stmt = select(listed.c.village_id, func.count()).group_by(listed.c.village_id)
    return dict(db.session.execute(stmt).all())


def all_villages() -> list:
    return list(db.session.scalars(select(Village)))


def villages_by_id(ids) -> list:
    return list(db.session.scalars(select(Village).where(Village.id.in_(list(ids)))))


@functools.lru_cache(maxsize=1)
def _product_statement():
    listed = listing(bindparam("today"), Product.slug == bindparam("slug"))
    return (
        select(Product, Certificate)
        .join(listed, listed.c.product_id == Product.id)
        .join(Certificate, Certificate.id == listed.c.certificate_id)
        .options(_with_producer_and_village(), selectinload(Product.photos),
                 selectinload(Product.outlets.and_(Outlet.active.is_(True))))
    )


def listed_product(slug: str, today: date | None = None):
    """Return (Product, Certificate) for a listed product's slug, or None."""
    params = {"slug": slug, "today": today or local_today()}
    return db.session.execute(_product_statement(), params).first()


def listed_slugs(listed) -> list[str]:
    """Return the slug of every listed product, newest first (plain rows: there may be 30,000)."""
    stmt = select(listed.c.slug).order_by(listed.c.product_id.desc())
    return db.session.connection().execute(stmt).scalars().all()
