"""The catalogue's queries: every one reads the listing table, never the rule's joins.

``listing_table.ListingRow`` holds what the listing rule (``listing.py``) says, kept in step
with every write; a row lists its product on ``day`` when ``listed_from <= day < listed_until``,
so a certificate still drops out on its expiry day with nothing to run. Each sort walks its
index on that table and stops after one page; counts read only that narrow table.

Search words are folded like the stored text; each must occur in it: through the ``pg_trgm``
GIN index on PostgreSQL, the FTS5 trigram table on SQLite (words under three letters, which a
trigram index cannot look up, are matched by LIKE). Typos are corrected before searching
(``spelling.py``), never by matching every row by similarity.
"""
import functools
from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Integer, bindparam, case, column, func, select, text
from sqlalchemy.orm import aliased, defer, joinedload, selectinload

from ..extensions import db
from ..timeutil import local_today
from .filters import CatalogFilters, Sort
from .listing_counts import ALL_VILLAGES, ANY_GROUP, ListingCount, star_set
from .listing_table import SEARCH_TABLE, ListingRow, counts_ready, listed_on
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
    backend: str = "sqlite"  # the search index differs
    producer: bool = False
    outlet: bool = False
    villages: bool = False
    stars: bool = False
    group: bool = False
    sort: Sort = Sort.NEWEST

    @classmethod
    def of(cls, filters: CatalogFilters, scope: Scope = EVERYTHING) -> "Shape":
        return cls(tuple(len(word) >= TRIGRAM for word in filters.words), db.engine.dialect.name,
                   scope.producer_id is not None, scope.outlet_id is not None,
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
    return found + [_word_matches(n, long, shape.backend) for n, long in enumerate(shape.words)]


def _word_matches(n: int, long: bool, backend: str):
    """Return "word n occurs in the search text", through the backend's trigram index when it can."""
    if long and backend == "sqlite":
        found = text(f"SELECT rowid FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH :match_{n}") \
            .bindparams(bindparam(f"match_{n}")).columns(column("rowid", Integer))
        return ListingRow.certificate_id.in_(found)
    # PostgreSQL's GIN (gin_trgm_ops) index serves LIKE; fold() leaves only [a-z0-9 ]: no escaping.
    return ListingRow.search_text.contains(bindparam(f"word_{n}"))


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
    if not detail:  # cards show neither
        options += [defer(Product.description_vi), defer(Product.description_en),
                    defer(Product.search_text)]
    else:
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


@dataclass
class Tallied:
    """Plain rows every total and facet count follows from (see ``faceting.summarise``).

    A text search counts at most ``limit`` matching rows per statement: ``groups_over`` and
    ``villages_over`` say which counts stopped there, and ``total`` is then counted apart
    (``limit + 1``: more than ``limit``).
    """

    stars_groups: list  # (stars, group, n) under the village filter
    villages: list  # (slug, name, name_en, n, matched villages) busiest first, and the chosen ones
    limit: int | None = None
    groups_over: bool = False
    villages_over: bool = False
    total: int | None = None


def _grouped(shape: Shape, conds: list, capped: bool, *keys):
    """Return ``keys, n`` counted over the matching rows, or over the first ``:cap`` of them."""
    if not capped:
        return (select(*keys, func.count().label("n")).where(*narrowing(shape), *conds)
                .group_by(*keys))
    found = select(*keys).where(*narrowing(shape), *conds).limit(bindparam("cap")).subquery("found")
    columns = [found.c[key.key] for key in keys]
    return select(*columns, func.count().label("n")).group_by(*columns)


@functools.lru_cache(maxsize=128)
def _stars_groups_statement(shape: Shape, capped: bool = False):
    chosen = conditions(Shape(villages=shape.villages))
    return _grouped(shape, chosen, capped, ListingRow.stars, ListingRow.group)


@functools.lru_cache(maxsize=128)
def _villages_statement(shape: Shape, capped: bool = False):
    """The chosen villages and the ``:top`` busiest under the star and group filters, with how many
    villages match and how many rows were counted; only those are joined to their names."""
    others = conditions(Shape(stars=shape.stars, group=shape.group))
    counted = _grouped(shape, others, capped, ListingRow.village_id).subquery("counted")
    order = [counted.c.n.desc(), counted.c.village_id.desc()]
    if shape.villages:
        order.insert(0, case((counted.c.village_id.in_(_chosen_villages()), 0), else_=1))
    top = (select(counted.c.village_id, counted.c.n, func.count().over().label("matched"),
                  func.sum(counted.c.n).over().label("read"))
           .order_by(*order).limit(bindparam("top")).subquery("top"))
    return (select(Village.slug, Village.name, Village.name_en, top.c.n, top.c.matched, top.c.read)
            .join(Village, Village.id == top.c.village_id))


def _offered(rows, choices: int, chosen) -> list:
    """Return the ``choices`` busiest of ``rows`` (ties by slug), then the chosen ones left out."""
    busiest = sorted(rows, key=lambda row: (-row.n, row.slug))[:choices]
    shown = {row.slug for row in busiest}
    return busiest + [row for row in rows if row.slug in chosen and row.slug not in shown]


@functools.lru_cache(maxsize=128)
def _total_statement(shape: Shape):
    """Count the rows matching every filter, up to ``:cap``."""
    found = (select(ListingRow.certificate_id).where(*narrowing(shape), *conditions(shape))
             .limit(bindparam("cap")).subquery("found"))
    return select(func.count()).select_from(found)


def tally(filters: CatalogFilters, scope: Scope, today: date, *, choices: int,
          limit: int | None = None) -> Tallied:
    """Count the listed products under the scope and search words, for the total and every facet.

    Two aggregate statements over the listing table: (stars, group) counts under the village
    filter, and the ``choices`` busiest villages (plus the chosen ones) under the star and group
    filters, each with the number of villages that have any match. Without search words they
    come from the kept counts. With them, each statement reads at most ``limit`` matching rows
    (when given): a common word must not cost a count of a tenth of the catalogue.
    """
    shape = Shape.of(filters, scope)
    if not (shape.words or shape.producer or shape.outlet) and counts_ready(today):
        return _kept_tally(filters, choices)
    capped = bool(shape.words) and limit is not None
    values = parameters(filters, scope, today) | {
        "cap": (limit or 0) + 1, "top": choices + _TIES + len(filters.villages)}
    conn = db.session.connection()  # plain rows
    if capped and not (shape.villages or shape.stars or shape.group):
        return _search_tally(conn, shape, values, choices, limit)
    stars_groups = conn.execute(_stars_groups_statement(shape, capped), values).all()
    villages = conn.execute(_villages_statement(shape, capped), values).all()
    found = Tallied(stars_groups, [row[:5] for row in _offered(villages, choices, filters.villages)])
    if capped:
        found.limit = limit
        found.groups_over = sum(n for _s, _g, n in stars_groups) > limit
        found.villages_over = bool(villages) and villages[0].read > limit
        if found.groups_over:
            found.total = conn.execute(_total_statement(shape), values).scalar()
    return found


# Ties at the edge of the busiest villages are broken by name among this many extra rows.
_TIES = 200


@dataclass(frozen=True)
class _Offer:
    """A village with its matches, as the rows ``_offered`` ranks."""

    slug: str
    name: str
    name_en: str | None
    n: int


@functools.lru_cache(maxsize=64)
def _found_statement(shape: Shape):
    """The (stars, group, village) of the first ``:cap`` rows matching a search with no other filter."""
    return (select(ListingRow.stars, ListingRow.group, ListingRow.village_id)
            .where(*narrowing(shape)).limit(bindparam("cap")))


def _search_tally(conn, shape: Shape, values: dict, choices: int, limit: int) -> Tallied:
    """``tally`` for search words alone: every facet counts the same rows, so they are read once."""
    rows = conn.execute(_found_statement(shape), values).all()
    over = len(rows) > limit
    rows = rows[:limit] if over else rows
    per_village = Counter(village_id for _s, _g, village_id in rows)
    top = sorted(per_village.items(), key=lambda item: (-item[1], -item[0]))[:choices + _TIES]
    names = {village.id: village for village in conn.execute(
        select(Village.id, Village.slug, Village.name, Village.name_en)
        .where(Village.id.in_([village_id for village_id, _n in top])))}
    offers = [_Offer(names[i].slug, names[i].name, names[i].name_en, n) for i, n in top if i in names]
    groups = Counter((stars, group) for stars, group, _v in rows)
    offered = [(o.slug, o.name, o.name_en, o.n, len(per_village)) for o in _offered(offers, choices, ())]
    found = Tallied([(stars, group, n) for (stars, group), n in groups.items()], offered,
                    limit=limit, groups_over=over, villages_over=over)
    if over:
        found.total = limit + 1
    return found


def _kept_tally(filters: CatalogFilters, choices: int) -> Tallied:
    """Return the same rows as ``tally`` from the kept counts (``listing_counts``): a few index reads."""
    conn = db.session.connection()
    stars_groups, matched, busiest, chosen = _kept_statements(bool(filters.villages))
    values = {"villages": list(filters.villages), "star_set": star_set(filters.stars),
              "group_key": filters.group or ANY_GROUP, "top": choices + _TIES,
              "edge": max(choices - 1, 0)}
    groups = conn.execute(stars_groups, values).all()
    villages_matched = conn.execute(matched, values).scalar() or 0
    offered = _offered(conn.execute(busiest, values).all(), choices, ())
    if filters.villages:
        shown = {row.slug for row in offered}
        offered += [row for row in conn.execute(chosen, values) if row.slug not in shown]
    return Tallied([(int(s), g, int(n)) for s, g, n in groups],
                   [(row.slug, row.name, row.name_en, row.n, villages_matched) for row in offered])


@functools.lru_cache(maxsize=2)
def _kept_statements(villages_chosen: bool) -> tuple:
    """Return the statements of ``_kept_tally``, built once (the values are bound per request)."""
    counts = ListingCount.__table__.c
    in_chosen = counts.village_id.in_(_chosen_villages())
    stars_groups = (select(counts.star_set, counts.group_key, func.sum(counts.n))
                    .where(counts.star_set.in_(("3", "4", "5")), counts.group_key != ANY_GROUP,
                           in_chosen if villages_chosen else counts.village_id == ALL_VILLAGES)
                    .group_by(counts.star_set, counts.group_key))
    cell = (counts.star_set == bindparam("star_set"), counts.group_key == bindparam("group_key"))
    matched = select(counts.villages).where(*cell, counts.village_id == ALL_VILLAGES)
    cell += (counts.village_id != ALL_VILLAGES,)
    # Backwards along ix_catalog_listing_count_rank, no sort; only the villages at or above the
    # edge (the ``choices``-th count) are joined to their names, then put in order of name.
    top = (select(counts.village_id, counts.n).where(*cell)
           .order_by(counts.n.desc(), counts.village_id.desc()).limit(bindparam("top")).cte("top"))
    edge = (select(top.c.n).order_by(top.c.n.desc()).offset(bindparam("edge")).limit(1)
            .scalar_subquery())
    busiest = (select(Village.slug, Village.name, Village.name_en, top.c.n)
               .join(Village, Village.id == top.c.village_id).where(top.c.n >= func.coalesce(edge, 0)))
    chosen = (select(Village.slug, Village.name, Village.name_en, counts.n)
              .join(Village, Village.id == counts.village_id).where(*cell, in_chosen))
    return stars_groups, matched, busiest, chosen


def villages_named(slugs) -> list:
    """Return the villages with these slugs (facet labels)."""
    stmt = select(Village).where(Village.slug.in_(list(slugs)))
    return list(db.session.scalars(stmt))


def products_per_village(today: date, ids=None) -> dict[int, int]:
    """Count the products listed on ``today`` per village id (of these ids; none: left out)."""
    stmt = _per_village(today)
    if ids is not None:
        stmt = stmt.where(stmt.selected_columns[0].in_(list(ids)))
    return dict(db.session.connection().execute(stmt).all())


def busiest_village_counts(limit: int, today: date) -> list[tuple[int, int]]:
    """Return (village id, listed products) of the ``limit`` busiest villages and all tied with the last.

    Reads the kept counts in order (a few index entries); at most ``_TIES`` villages past ``limit``.
    """
    stmt = _per_village(today)
    n = stmt.selected_columns[1]
    top = db.session.connection().execute(
        stmt.order_by(n.desc(), stmt.selected_columns[0].desc()).limit(limit + _TIES)).all()
    edge = top[limit - 1][1] if 0 < limit <= len(top) else 0
    return [(village_id, count) for village_id, count in top if count >= edge]


def _per_village(today: date):
    if counts_ready(today):
        counts = ListingCount.__table__.c
        return select(counts.village_id, counts.n).where(
            counts.star_set == star_set(()), counts.group_key == ANY_GROUP,
            counts.village_id != ALL_VILLAGES)
    return (select(ListingRow.village_id, func.count()).where(*listed_on(today))
            .group_by(ListingRow.village_id))


def _villages_with(words: list[str]) -> list:
    """Every word occurs in the village's folded names, commune or district."""
    return [Village.search_text.contains(word, autoescape=True) for word in words]


def village_count(words: list[str]) -> int:
    return db.session.scalar(select(func.count()).select_from(Village).where(*_villages_with(words)))


def village_page(words: list[str], english: bool, offset: int, limit: int) -> list:
    """Return one directory page of the villages with every word, in order of the folded name shown."""
    order = Village.sort_name_en if english else Village.sort_name_vi
    return db.session.scalars(select(Village).where(*_villages_with(words)).order_by(order, Village.id)
                              .limit(limit).offset(offset)).all()


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
