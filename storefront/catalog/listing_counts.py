"""Listed products counted per (star set, group, village): facet counts without scanning the catalogue.

Counting the listing table for every new filter set costs time in proportion to the catalogue.
So the counts of products listed on one day (``catalog_listing_count_day``) are kept, exact, for
every combination the facets ask for: each star *set* a shopper can tick (``"4"``, ``"45"``,
``"345"`` = any), each group or any (``""``), each village or all of them (``0``). A facet then
reads a handful of rows, and the busiest villages come off an index in order.

Exact at all times (the code that reads the listing table is in ``listing_table.py``):
- every write that changes the listing table adjusts the counts in its own transaction
  (``listing_table.refresh``), under a lock on the day row;
- the first read on a later day moves the counts to that day first (``listing_table.counts_ready``):
  only the rows whose window starts or ends in between are counted (an expiry day's worth), in a
  transaction of its own under the same lock; nothing needs to run at midnight;
- a day before the counted one (a test, a report of the past) is counted from the listing table.

Searches and producer or outlet pages count from the listing table (their rows are few, or
found through the trigram index).
"""
from collections import Counter
from datetime import date

from sqlalchemy import delete, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db

ANY_GROUP = ""
ALL_VILLAGES = 0
STAR_SETS = {3: ("3", "34", "35", "345"), 4: ("4", "34", "45", "345"), 5: ("5", "35", "45", "345")}
DAY_ROW = 1


class ListingCount(db.Model):
    """How many products are listed on the counted day in a (star set, group, village) cell."""

    __tablename__ = "catalog_listing_count"

    star_set = db.Column(db.String(3), primary_key=True)
    group_key = db.Column(db.String(20), primary_key=True)
    village_id = db.Column(db.Integer, primary_key=True, autoincrement=False)  # 0: every village
    n = db.Column(db.Integer, nullable=False)
    # On the every-village row (village 0): how many villages have a product in this cell, so the
    # facet's "and N more villages" is one row read, not a count of 13,500 index entries.
    villages = db.Column(db.Integer, nullable=False, default=0, server_default="0")

    __table_args__ = (
        # The busiest villages of a filter set, read in order, and how many villages match.
        db.Index("ix_catalog_listing_count_rank", "star_set", "group_key", "n", "village_id",
                 postgresql_where=db.text("village_id <> 0"), sqlite_where=db.text("village_id <> 0")),
        # Star and group counts of all villages (0) or of the chosen ones.
        db.Index("ix_catalog_listing_count_village", "village_id", "star_set", "group_key", "n"),
    )


class ListingCountDay(db.Model):
    """The day the counts are for (one row; ``day`` NULL until first counted)."""

    __tablename__ = "catalog_listing_count_day"

    id = db.Column(db.Integer, primary_key=True, autoincrement=False)
    day = db.Column(db.Date)


def star_set(stars) -> str:
    """Return the key of a star filter: ``(4, 5)`` → ``"45"``, none → ``"345"`` (any)."""
    return "".join(str(s) for s in sorted(stars)) or "345"


def expand(rows, sign: int = 1) -> Counter:
    """Return the count cells (star set, group key, village) that (village, stars, group, n) rows add to."""
    cells = Counter()
    for village_id, stars, group, n in rows:
        for stars_key in STAR_SETS[stars]:
            for group_key in (group, ANY_GROUP):
                for village in (village_id, ALL_VILLAGES):
                    cells[(stars_key, group_key, village)] += sign * n
    return cells


def _insert(conn):
    return (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(ListingCount)


def apply(conn, delta: Counter, *, empty: bool = False) -> None:
    """Add ``delta`` to the counts (cells reaching 0 are removed), and to the villages counted.

    ``empty``: the table was just emptied (a recount), so no cell has a value before.
    """
    if not any(delta.values()):
        return
    villages = Counter()  # (star set, group key) -> villages gained (+) or lost (-)
    before = {} if empty else _village_cells(conn, [cell for cell, n in delta.items()
                                                    if n and cell[2] != ALL_VILLAGES])
    for (stars_key, group_key, village), n in delta.items():
        if village == ALL_VILLAGES or not n:
            continue
        old = before.get((stars_key, group_key, village), 0)
        villages[(stars_key, group_key)] += (old + n > 0) - (old > 0)
    cells = set(delta) | {(s, g, ALL_VILLAGES) for s, g in villages}
    changes = [{"star_set": s, "group_key": g, "village_id": v, "n": delta.get((s, g, v), 0),
                "villages": villages.get((s, g), 0) if v == ALL_VILLAGES else 0}
               for s, g, v in sorted(cells)]
    changes = [change for change in changes if change["n"] or change["villages"]]
    stmt = _insert(conn)
    stmt = stmt.on_conflict_do_update(
        index_elements=["star_set", "group_key", "village_id"],
        set_={"n": ListingCount.n + stmt.excluded.n,
              "villages": ListingCount.villages + stmt.excluded.villages})
    conn.execute(stmt, changes)
    conn.execute(delete(ListingCount).where(ListingCount.n == 0))


def _village_cells(conn, cells) -> dict:
    """Return the current n of these (star set, group key, village) cells that exist."""
    found = {}
    for start in range(0, len(cells), 500):  # keep each statement's parameters few
        chunk = cells[start:start + 500]
        stmt = select(ListingCount.star_set, ListingCount.group_key, ListingCount.village_id,
                      ListingCount.n).where(tuple_(ListingCount.star_set, ListingCount.group_key,
                                                   ListingCount.village_id).in_(chunk))
        found.update({(s, g, v): n for s, g, v, n in conn.execute(stmt)})
    return found


LOCKED = object()  # locked_day(wait=False) found another transaction holding the day row


def locked_day(conn, wait: bool = True):
    """Lock the day row for this transaction (making it when missing); return the counted day.

    With ``wait=False``, return ``LOCKED`` at once when another transaction holds the row.
    """
    conn.execute(_day_insert(conn).values(id=DAY_ROW, day=None).on_conflict_do_nothing())
    stmt = select(ListingCountDay.day).where(ListingCountDay.id == DAY_ROW)
    if conn.dialect.name == "postgresql":  # SQLite serialises writers already
        stmt = stmt.with_for_update(skip_locked=not wait)
    row = conn.execute(stmt).first()
    return LOCKED if row is None else row.day


def _day_insert(conn):
    return (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(ListingCountDay)


def set_day(conn, day: date) -> None:
    conn.execute(update(ListingCountDay).where(ListingCountDay.id == DAY_ROW).values(day=day))


def counted_day() -> date | None:
    """Return the day the counts are for, read in the session's transaction."""
    return db.session.execute(select(ListingCountDay.day).where(ListingCountDay.id == DAY_ROW)).scalar()
