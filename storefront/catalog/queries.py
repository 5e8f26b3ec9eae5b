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
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import aliased, joinedload, selectinload

from ..extensions import db
from ..timeutil import local_today
from .filters import CatalogFilters, Sort
from .models import (
    Certificate, Outlet, Producer, Product, ProductStatus, ReviewStatus, Village, product_outlets,
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
    product or producer columns (search words, scope).
    """
    today = today or local_today()
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


def narrowing(filters: CatalogFilters, scope: Scope = EVERYTHING) -> list:
    """Return the product-level conditions every count shares: the scope and the search words."""
    found = []
    if scope.producer_id is not None:
        found.append(Product.producer_id == scope.producer_id)
    if scope.outlet_id is not None:
        carried = select(product_outlets.c.product_id).where(
            product_outlets.c.outlet_id == scope.outlet_id)
        found.append(Product.id.in_(carried))
    # fold() leaves only [a-z0-9 ], so the words need no LIKE escaping.
    return found + [Product.search_text.contains(word) for word in filters.words]


def conditions(listed, filters: CatalogFilters) -> list:
    """Return the WHERE clauses on ``listed`` for the village, star and group filters."""
    found = []
    if filters.villages:
        chosen = select(Village.id).where(Village.slug.in_(filters.villages))
        found.append(listed.c.village_id.in_(chosen))
    if filters.stars:
        found.append(listed.c.stars.in_(filters.stars))
    if filters.group:
        found.append(listed.c.group == filters.group)
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


def page_rows(listed, filters: CatalogFilters, *, with_outlets: bool = False) -> list:
    """Return one page of (Product, stars) rows, with producer, village and photos loaded."""
    page = (
        select(listed.c.product_id, listed.c.stars, listed.c.created_at, listed.c.price)
        .where(*conditions(listed, filters))
        .order_by(*_order(listed.c, filters.sort))
        .limit(filters.per_page).offset((filters.page - 1) * filters.per_page)
        .subquery("page")
    )
    options = [_with_producer_and_village(), selectinload(Product.photos)]
    if with_outlets:
        options.append(selectinload(Product.outlets.and_(Outlet.active.is_(True))))
    stmt = (select(Product, page.c.stars).join(page, page.c.product_id == Product.id)
            .order_by(*_order(page.c, filters.sort)).options(*options))
    return db.session.execute(stmt).all()


def tally(listed) -> list:
    """Count ``listed`` products per (village slug, stars, group).

    Every total and facet count follows from these rows, so one statement serves them all.
    """
    grouped = (select(listed.c.village_id, listed.c.stars, listed.c.group, func.count().label("n"))
               .group_by(listed.c.village_id, listed.c.stars, listed.c.group).subquery("grouped"))
    stmt = (select(Village.slug, grouped.c.stars, grouped.c.group, grouped.c.n)
            .join(Village, Village.id == grouped.c.village_id))
    return db.session.connection().execute(stmt).all()  # plain rows: there may be thousands


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


def listed_product(slug: str, today: date | None = None):
    """Return (Product, Certificate) for a listed product's slug, or None."""
    listed = listing(today, Product.slug == slug)
    stmt = (
        select(Product, Certificate)
        .join(listed, listed.c.product_id == Product.id)
        .join(Certificate, Certificate.id == listed.c.certificate_id)
        .options(_with_producer_and_village(), selectinload(Product.photos),
                 selectinload(Product.outlets.and_(Outlet.active.is_(True))))
    )
    return db.session.execute(stmt).first()


def listed_slugs(listed) -> list[str]:
    """Return the slug of every listed product, newest first (plain rows: there may be 30,000)."""
    stmt = select(listed.c.slug).order_by(listed.c.product_id.desc())
    return db.session.connection().execute(stmt).scalars().all()
