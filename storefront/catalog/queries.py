"""The catalogue's queries: every one reads the listing table, never the rule's joins.

``listing_table.ListingRow`` holds what the listing rule (``listing.py``) says, kept in step
with every write; a row lists its product on ``day`` when ``listed_from <= day < listed_until``,
so a certificate still drops out on its expiry day with nothing to run. Each sort walks its
index on that table and stops after one page; counts read only that narrow table.

Search words are folded like the stored text; each must occur in it: through the ``pg_trgm``
GIN index on PostgreSQL, the FTS5 trigram table on SQLite (words under three letters, which a
trigram index cannot look up, are matched by LIKE). When no product has every word,
PostgreSQL looks again with trigram word similarity (``bat trag`` finds Bát Tràng).
"""
import functools
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Integer, bindparam, column, func, or_, select, text
from sqlalchemy.orm import aliased, joinedload, selectinload

from ..extensions import db
from ..timeutil import local_today
from .filters import CatalogFilters, Sort
from .listing_counts import ALL_VILLAGES, ANY_GROUP, ListingCount, star_set
from .listing_table import SEARCH_TABLE, TRGM_SCHEMA, ListingRow, counts_ready, listed_on
from .models import Certificate, Outlet, Photo, Producer, Product, Village, product_outlets

TRIGRAM = 3  # a trigram index can look up words of this many letters or more

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

    words: tuple[bool, ...] = ()  # one per search word: long enough for the trigram index
    fuzzy: bool = False  # match words by trigram similarity (PostgreSQL), not as substrings
    backend: str = "sqlite"  # the search index differs
    producer: bool = False
    outlet: bool = False
    villages: bool = False
    stars: bool = False
    group: bool = False
    sort: Sort = Sort.NEWEST

    @classmethod
    def of(cls, filters: CatalogFilters, scope: Scope = EVERYTHING, fuzzy: bool = False) -> "Shape":
        return cls(tuple(len(word) >= TRIGRAM for word in filters.words), fuzzy,
                   db.engine.dialect.name, scope.producer_id is not None, scope.outlet_id is not None,
                   bool(filters.villages), bool(filters.stars), bool(filters.group), filters.sort)


def parameters(filters: CatalogFilters, scope: Scope, today: date) -> dict:
    """Return the values bound to a statement of ``Shape.of(filters, scope)``."""
    values = {"today": today, "limit": filters.per_page,
              "offset": (filters.page - 1) * filters.per_page,
              "villages": list(filters.villages), "stars": list(filters.stars),
              "group": filters.group, "producer_id": scope.producer_id, "outlet_id": scope.outlet_id}
    values.update({f"word_{n}": word for n, word in enumerate(filters.words)})
    # FTS5 query syntax: a quoted string is a phrase; folded words hold only [a-z0-9 ].
    values.update({f"match_{n}": f'"{word}"' for n, word in enumerate(filters.words)})
    return values


def narrowing(shape: Shape) -> list:
    """Return the conditions every count shares: listed today, the scope and the search words."""
    found = listed_on(bindparam("today"))
    if shape.producer:
        found.append(ListingRow.producer_id == bindparam("producer_id"))
    if shape.outlet:
        carried = select(product_outlets.c.product_id).where(
            product_outlets.c.outlet_id == bindparam("outlet_id"))
        found.append(ListingRow.product_id.in_(carried))
    if shape.fuzzy:
        return found + [_word_resembles(n) for n in range(len(shape.words))]
    return found + [_word_matches(n, long, shape.backend) for n, long in enumerate(shape.words)]


def _word_matches(n: int, long: bool, backend: str):
    """Return "word n occurs in the search text", through the backend's trigram index when it can."""
    if long and backend == "sqlite":
        found = text(f"SELECT rowid FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH :match_{n}") \
            .bindparams(bindparam(f"match_{n}")).columns(column("rowid", Integer))
        return ListingRow.certificate_id.in_(found)
    # PostgreSQL's GIN (gin_trgm_ops) index serves LIKE; fold() leaves only [a-z0-9 ]: no escaping.
    return ListingRow.search_text.contains(bindparam(f"word_{n}"))


def _word_resembles(n: int):
    """Return "a word of the search text is like word n" (pg_trgm ``<%``, served by the GIN index)."""
    return bindparam(f"word_{n}").op(f"OPERATOR({TRGM_SCHEMA}.<%)", is_comparison=True)(
        ListingRow.search_text)


def fuzzy_search_available() -> bool:
    return db.engine.dialect.name == "postgresql"


def conditions(shape: Shape) -> list:
    """Return the WHERE clauses on the listing table for the village, star and group filters."""
    found = []
    if shape.villages:
        found.append(ListingRow.village_id.in_(_chosen_villages()))
    if shape.stars:
        found.append(ListingRow.stars.in_(bindparam("stars", expanding=True)))
    if shape.group:
        found.append(ListingRow.group == bindparam("group"))
    return found


def _chosen_villages():
    return select(Village.id).where(Village.slug.in_(bindparam("villages", expanding=True)))


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
    page = (
        select(ListingRow.product_id, ListingRow.stars, ListingRow.created_at, ListingRow.price)
        .where(*narrowing(shape), *conditions(shape))
        .order_by(*_order(ListingRow, shape.sort))
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


def page_rows(filters: CatalogFilters, scope: Scope, today: date, *, detail: bool = False,
              fuzzy: bool = False) -> list:
    """Return one page of (Product, stars, first Photo or None) rows, producer and village loaded.

    ``detail`` loads every photo and the active outlets as well (the JSON API shows them);
    ``fuzzy`` matches the search words by similarity (see ``fuzzy_search_available``).
    """
    stmt = _page_statement(Shape.of(filters, scope, fuzzy), detail)
    return db.session.execute(stmt, parameters(filters, scope, today)).all()


@dataclass
class Tallied:
    """Plain rows every total and facet count follows from (see ``faceting.summarise``)."""

    stars_groups: list  # (stars, group, n) under the village filter
    villages: list  # (slug, name, name_en, n, matched villages) busiest first, and the chosen ones


@functools.lru_cache(maxsize=128)
def _stars_groups_statement(shape: Shape):
    chosen = conditions(Shape(villages=shape.villages))
    return (select(ListingRow.stars, ListingRow.group, func.count())
            .where(*narrowing(shape), *chosen).group_by(ListingRow.stars, ListingRow.group))


@functools.lru_cache(maxsize=128)
def _villages_statement(shape: Shape):
    others = conditions(Shape(stars=shape.stars, group=shape.group))
    counted = (select(ListingRow.village_id, func.count().label("n"))
               .where(*narrowing(shape), *others).group_by(ListingRow.village_id).subquery("counted"))
    ranked = (select(Village.slug, Village.name, Village.name_en, counted.c.n,
                     func.count().over().label("matched"),
                     func.row_number().over(order_by=(counted.c.n.desc(), Village.slug)).label("rank"))
              .join(Village, Village.id == counted.c.village_id).subquery("ranked"))
    offered = ranked.c.rank <= bindparam("choices")
    if shape.villages:
        offered = or_(offered, ranked.c.slug.in_(bindparam("villages", expanding=True)))
    return (select(ranked.c.slug, ranked.c.name, ranked.c.name_en, ranked.c.n, ranked.c.matched)
            .where(offered).order_by(ranked.c.rank))


def tally(filters: CatalogFilters, scope: Scope, today: date, *, choices: int,
          fuzzy: bool = False) -> Tallied:
    """Count the listed products under the scope and search words, for the total and every facet.

    Two aggregate statements over the listing table: (stars, group) counts under the village
    filter, and the ``choices`` busiest villages (plus the chosen ones) under the star and group
    filters, each with the number of villages that have any match.
    """
    shape = Shape.of(filters, scope, fuzzy)
    if not (shape.words or shape.producer or shape.outlet) and counts_ready(today):
        return _kept_tally(filters, choices)
    values = parameters(filters, scope, today) | {"choices": choices}
    conn = db.session.connection()  # plain rows
    return Tallied(conn.execute(_stars_groups_statement(shape), values).all(),
                   conn.execute(_villages_statement(shape), values).all())


# Ties at the edge of the busiest villages are broken by name among this many extra rows.
_TIES = 200


def _kept_tally(filters: CatalogFilters, choices: int) -> Tallied:
    """Return the same rows as ``tally`` from the kept counts (``listing_counts``): a few index reads."""
    conn = db.session.connection()
    counts = ListingCount.__table__.c
    chosen = (counts.village_id.in_(_chosen_villages()) if filters.villages
              else counts.village_id == ALL_VILLAGES)
    stars_groups = conn.execute(
        select(counts.star_set, counts.group_key, func.sum(counts.n))
        .where(counts.star_set.in_(("3", "4", "5")), counts.group_key != ANY_GROUP, chosen)
        .group_by(counts.star_set, counts.group_key), {"villages": list(filters.villages)}).all()
    cell = (counts.star_set == star_set(filters.stars),
            counts.group_key == (filters.group or ANY_GROUP), counts.village_id != ALL_VILLAGES)
    matched = conn.execute(select(func.count()).where(*cell)).scalar()
    edge = conn.execute(select(counts.n).where(*cell).order_by(counts.n.desc())
                        .limit(1).offset(max(choices - 1, 0))).scalar() or 1
    named = select(Village.slug, Village.name, Village.name_en, counts.n) \
        .join(Village, Village.id == counts.village_id)
    busiest = conn.execute(named.where(*cell, counts.n >= edge).order_by(counts.n.desc(), counts.village_id)
                           .limit(choices + _TIES)).all()
    busiest = sorted(busiest, key=lambda row: (-row.n, row.slug))[:choices]
    if filters.villages:
        busiest += [row for row in conn.execute(
            named.where(*cell, counts.village_id.in_(_chosen_villages())),
            {"villages": list(filters.villages)}) if row.slug not in {b.slug for b in busiest}]
    return Tallied([(int(s), g, int(n)) for s, g, n in stars_groups],
                   [(row.slug, row.name, row.name_en, row.n, matched) for row in busiest])


def villages_named(slugs) -> list:
    """Return the villages with these slugs (facet labels)."""
    stmt = select(Village).where(Village.slug.in_(list(slugs)))
    return list(db.session.scalars(stmt))


def products_per_village(today: date) -> dict[int, int]:
    """Count the products listed on ``today`` per village id (villages without any are left out)."""
    if counts_ready(today):
        counts = ListingCount.__table__.c
        stmt = select(counts.village_id, counts.n).where(
            counts.star_set == star_set(()), counts.group_key == ANY_GROUP,
            counts.village_id != ALL_VILLAGES)
    else:
        stmt = (select(ListingRow.village_id, func.count()).where(*listed_on(today))
                .group_by(ListingRow.village_id))
    return dict(db.session.connection().execute(stmt).all())


def all_villages() -> list:
    return list(db.session.scalars(select(Village)))


def villages_by_id(ids) -> list:
    return list(db.session.scalars(select(Village).where(Village.id.in_(list(ids)))))


@functools.lru_cache(maxsize=1)
def _product_statement():
    return (
        select(Product, Certificate)
        .join(ListingRow, ListingRow.product_id == Product.id)
        .join(Certificate, Certificate.id == ListingRow.certificate_id)
        .where(Product.slug == bindparam("slug"), *listed_on(bindparam("today")))
        .options(_with_producer_and_village(), selectinload(Product.photos),
                 selectinload(Product.outlets.and_(Outlet.active.is_(True))))
    )


def listed_product(slug: str, today: date | None = None):
    """Return (Product, Certificate) for a listed product's slug, or None."""
    params = {"slug": slug, "today": today or local_today()}
    return db.session.execute(_product_statement(), params).first()


def listed_slugs(today: date) -> list[str]:
    """Return the slug of every listed product, newest first (plain rows: there may be 300,000)."""
    stmt = (select(Product.slug).join(ListingRow, ListingRow.product_id == Product.id)
            .where(*listed_on(today)).order_by(Product.id.desc()))
    return db.session.connection().execute(stmt).scalars().all()
