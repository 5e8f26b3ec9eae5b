"""The listing table: the listing rule's answer kept in step with every write, for the catalogue to read.

Filtering, sorting and counting 300,000 products through the rule's joins and anti-join costs
time in proportion to the catalogue; reading one narrow indexed table does not. ``catalog_listing``
holds one row per (product, certificate) that lists the product on some day (see
``listing.windows``): the columns every filter and sort reads, and the window
``listed_from <= day < listed_until``. The day is not stored, it is asked for: a certificate
still drops out on its expiry day with no job to run, and an older certificate that outlives a
newer one takes over on the right day.

Kept in step inside the transaction that changes anything the rule reads: after each flush, the
rows of every product touched (a product, its certificates, its producer) are deleted and
computed again from the source tables with ``listing.windows``. Stock and ``updated_at`` do
not count (orders change them all day). Writes that bypass the ORM session (Core
``update(Product)``, bulk loads) must call ``refresh`` themselves, or ``rebuild()`` afterwards.

Facet counts are kept beside it, exact, in ``listing_counts.py``: ``refresh`` adjusts them in
the same transaction, and ``counts_ready`` moves them to a new day on its first request.

Search: the folded ``search_text`` is indexed for substring search — a ``pg_trgm`` GIN index on
PostgreSQL, an FTS5 trigram table kept by triggers on SQLite (both made by ``create_all``
through the DDL events below, and by the migration).
"""
from datetime import date
from itertools import chain

from sqlalchemy import DDL, and_, delete, event, func, insert, inspect, or_, select
from sqlalchemy.exc import OperationalError

from ..extensions import db
from ..timeutil import local_today
from . import listing, listing_counts, spelling
from .models import Certificate, Producer, Product, Village

TABLE = "catalog_listing"
SEARCH_TABLE = "catalog_listing_search"  # SQLite FTS5 over catalog_listing.search_text
TRGM_SCHEMA = "public"  # where CREATE EXTENSION pg_trgm puts its operator classes
_PRODUCT_FIELDS = frozenset({"status", "taken_down_at", "price", "group", "search_text", "producer_id",
                             "created_at"})
_PRODUCER_FIELDS = frozenset({"status", "village_id"})
_WROTE = "catalog_listing_written"  # session.info: this transaction changed the listing table


class ListingRow(db.Model):
    """One window in which a certificate lists its product (``listing.windows``)."""

    __tablename__ = TABLE

    certificate_id = db.Column(db.Integer, db.ForeignKey("certificate.id", ondelete="CASCADE"),
                               primary_key=True, autoincrement=False)
    product_id = db.Column(db.Integer, db.ForeignKey("product.id", ondelete="CASCADE"), nullable=False)
    producer_id = db.Column(db.Integer, db.ForeignKey("producer.id", ondelete="CASCADE"), nullable=False)
    village_id = db.Column(db.Integer, db.ForeignKey("village.id", ondelete="CASCADE"), nullable=False)
    group = db.Column(db.String(20), nullable=False)
    stars = db.Column(db.Integer, nullable=False)
    price = db.Column(db.Integer, nullable=False)
    created_at = db.Column(db.DateTime, nullable=False)
    search_text = db.Column(db.Text, nullable=False)
    listed_from = db.Column(db.Date, nullable=False)  # first day listed (SINCE_EVER: from the start)
    listed_until = db.Column(db.Date, nullable=False)  # first day no longer listed (expires_on)

    __table_args__ = (
        # Each sort walks its index and stops after a page, checking the window in the index:
        # every column a page reads is in it, so deep pages skip index entries, not rows.
        db.Index("ix_catalog_listing_newest", "created_at", "product_id", "listed_until",
                 "listed_from", "stars", "price"),
        db.Index("ix_catalog_listing_price", "price", "product_id", "listed_until", "listed_from",
                 "stars", "created_at"),
        db.Index("ix_catalog_listing_stars", "stars", "created_at", "product_id", "listed_until",
                 "listed_from", "price"),
        # The counts read only this index (every column they need), grouped in its order.
        db.Index("ix_catalog_listing_facets", "stars", "group", "village_id", "listed_until",
                 "listed_from"),
        db.Index("ix_catalog_listing_village", "village_id", "stars", "group", "listed_until",
                 "listed_from"),
        db.Index("ix_catalog_listing_group", "group", "created_at", "product_id"),
        db.Index("ix_catalog_listing_product", "product_id"),
        # Moving the kept counts to a new day reads the windows that ended or began.
        db.Index("ix_catalog_listing_until", "listed_until"),
        db.Index("ix_catalog_listing_from", "listed_from"),
        db.Index("ix_catalog_listing_producer", "producer_id", "created_at"),
        db.Index("ix_catalog_listing_search", "search_text", postgresql_using="gin",
                 postgresql_ops={"search_text": f"{TRGM_SCHEMA}.gin_trgm_ops"}).ddl_if(dialect="postgresql"),
    )


def listed_on(day) -> list:
    """Return the conditions for a listing row listing its product on ``day`` (may be a bindparam)."""
    return [ListingRow.listed_from <= day, ListingRow.listed_until > day]


# --- keeping the table in step ----------------------------------------------------------------

def refresh(conn, products=(), producers=(), villages=()) -> None:
    """Compute again the rows of these products, and of every product of these producers and villages.

    Runs on ``conn``, in its transaction (no commit), and adjusts the kept counts to match.
    """
    products, producers, villages = ({i for i in ids if i is not None}
                                     for ids in (products, producers, villages))
    if not (products or producers or villages):
        return
    db.session.info[_WROTE] = True
    day = listing_counts.locked_day(conn)
    if day is None:  # never counted: count from today on, so reads need not start it
        recount(conn, day := local_today())
    mine = or_(ListingRow.product_id.in_(products), ListingRow.producer_id.in_(producers),
               ListingRow.village_id.in_(villages))
    before = grouped(conn, mine, day) if day else []
    conn.execute(delete(ListingRow).where(mine))
    fresh = listing.windows(or_(Product.id.in_(products), Product.producer_id.in_(producers),
                                Producer.village_id.in_(villages)))
    conn.execute(insert(ListingRow).from_select(list(fresh.selected_columns.keys()), fresh))
    spelling.add_words(conn, conn.execute(select(ListingRow.search_text).where(mine)).scalars())
    if day:
        # ``mine`` now matches exactly the rows just inserted (a moved producer's by its id).
        delta = listing_counts.expand(grouped(conn, mine, day))
        delta.update(listing_counts.expand(before, -1))
        listing_counts.apply(conn, delta)


def grouped(conn, where, day) -> list:
    """Return (village, stars, group, n) of the rows matching ``where`` that list on ``day``."""
    stmt = (select(ListingRow.village_id, ListingRow.stars, ListingRow.group, func.count())
            .where(where, *listed_on(day))
            .group_by(ListingRow.village_id, ListingRow.stars, ListingRow.group))
    return conn.execute(stmt).all()


def rebuild(today: date | None = None) -> int:
    """Compute every row, count and search word again from the source tables (after a bulk load)."""
    conn = db.session.connection()
    conn.execute(delete(ListingRow))
    fresh = listing.windows()
    conn.execute(insert(ListingRow).from_select(list(fresh.selected_columns.keys()), fresh))
    spelling.rebuild(conn, conn.execute(select(ListingRow.search_text)).scalars())
    listing_counts.locked_day(conn)
    recount(conn, today or local_today())
    db.session.commit()
    return db.session.scalar(select(func.count()).select_from(ListingRow))


def recount(conn, day: date) -> None:
    """Count every product listed on ``day`` afresh (holding the day lock)."""
    conn.execute(delete(listing_counts.ListingCount))
    rows = grouped(conn, ListingRow.product_id.isnot(None), day)
    listing_counts.apply(conn, listing_counts.expand(rows), empty=True)
    listing_counts.set_day(conn, day)


def _advance(conn, counted: date, today: date) -> None:
    """Move the counts from ``counted`` to ``today``: the windows that ended or began in between."""
    ended = and_(ListingRow.listed_until > counted, ListingRow.listed_until <= today,
                 ListingRow.listed_from <= counted)
    began = and_(ListingRow.listed_from > counted, ListingRow.listed_from <= today,
                 ListingRow.listed_until > today)
    delta = listing_counts.expand(grouped(conn, ended, counted), -1)
    delta.update(listing_counts.expand(grouped(conn, began, today)))
    listing_counts.apply(conn, delta)
    listing_counts.set_day(conn, today)


def counts_ready(today: date) -> bool:
    """Bring the kept counts to ``today`` when they are behind; tell whether they are for ``today``.

    Moving them on is done once, by the first request of the day, in a transaction of its own
    (the counts then serve every later request); a past ``today`` is left to the caller.
    """
    found = listing_counts.counted_day()
    if found == today:
        return True
    if (found is not None and found > today) or db.session.info.get(_WROTE):
        return False  # a past day; or this transaction holds the day row: never wait for oneself
    try:
        with db.engine.begin() as conn:
            counted = listing_counts.locked_day(conn, wait=False)
            if counted is listing_counts.LOCKED or (counted is not None and counted > today):
                return False  # another process is moving them on right now
            if counted is None:
                recount(conn, today)
            elif counted < today:
                _advance(conn, counted, today)
    except OperationalError:  # SQLite: another connection is writing; count the table this time
        return False
    return True


def watch(session) -> None:
    """Keep the listing table in step with every flush of ``session``."""
    if not event.contains(session, "after_flush", _refresh_touched):
        event.listen(session, "after_flush", _refresh_touched)
        event.listen(session, "after_commit", _forget_written)
        event.listen(session, "after_rollback", _forget_written)


def _forget_written(session) -> None:
    session.info.pop(_WROTE, None)


def _changed(obj, fields) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in fields)


def _touched(session) -> tuple[set, set, set]:
    """Return the ids of the products, producers and villages whose listing a flush may change."""
    products, producers, villages = set(), set(), set()
    for obj in chain(session.new, session.deleted):
        if isinstance(obj, Product):
            products.add(obj.id)
        elif isinstance(obj, Certificate):
            products.add(obj.product_id)
        elif isinstance(obj, Producer):
            producers.add(obj.id)
    for obj in session.dirty:
        if isinstance(obj, Product) and _changed(obj, _PRODUCT_FIELDS):
            products.add(obj.id)
        elif isinstance(obj, Certificate) and session.is_modified(obj):
            products.add(obj.product_id)
            products.update(inspect(obj).attrs.product_id.history.deleted or ())
        elif isinstance(obj, Producer) and _changed(obj, _PRODUCER_FIELDS):
            producers.add(obj.id)
        elif isinstance(obj, Village) and session.is_modified(obj):
            # A rename changes what the village's products are found by: their search_text,
            # which the renaming service refreshes; the village's rows are cheap to redo.
            villages.add(obj.id)
    return products, producers, villages


def _refresh_touched(session, _flush_context) -> None:
    touched = _touched(session)
    if any(touched):
        refresh(session.connection(), *touched)


# --- search indexes create_all cannot describe ------------------------------------------------

_SQLITE_SEARCH = [
    DDL(f"CREATE VIRTUAL TABLE IF NOT EXISTS {SEARCH_TABLE} USING fts5("
        f"search_text, content='{TABLE}', content_rowid='certificate_id', tokenize='trigram')"),
    DDL(f"CREATE TRIGGER IF NOT EXISTS {TABLE}_ai AFTER INSERT ON {TABLE} BEGIN "
        f"INSERT INTO {SEARCH_TABLE}(rowid, search_text) VALUES (new.certificate_id, new.search_text); END"),
    DDL(f"CREATE TRIGGER IF NOT EXISTS {TABLE}_ad AFTER DELETE ON {TABLE} BEGIN "
        f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}, rowid, search_text) "
        f"VALUES ('delete', old.certificate_id, old.search_text); END"),
    DDL(f"CREATE TRIGGER IF NOT EXISTS {TABLE}_au AFTER UPDATE ON {TABLE} BEGIN "
        f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}, rowid, search_text) "
        f"VALUES ('delete', old.certificate_id, old.search_text); "
        f"INSERT INTO {SEARCH_TABLE}(rowid, search_text) VALUES (new.certificate_id, new.search_text); END"),
]

event.listen(ListingRow.__table__, "before_create",
             spelling.CREATE_PG_TRGM.execute_if(dialect="postgresql"))
for _ddl in _SQLITE_SEARCH:
    event.listen(ListingRow.__table__, "after_create", _ddl.execute_if(dialect="sqlite"))
event.listen(ListingRow.__table__, "after_drop",
             DDL(f"DROP TABLE IF EXISTS {SEARCH_TABLE}").execute_if(dialect="sqlite"))
