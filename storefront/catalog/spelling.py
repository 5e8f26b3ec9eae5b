"""Typo tolerance: a search word the catalogue does not have is replaced by the closest one it has.

Matching every row by trigram similarity costs time in proportion to the catalogue (a second
and more at 300,000 products). So, as PostgreSQL's pg_trgm documentation suggests, the words
are kept apart: ``catalog_search_word`` holds every folded word of ``MIN_LETTERS`` or more of the
listing table's search text (numbers left out) (a few thousand words, not one row per product). When a search
finds nothing, each word not in that list is replaced by the most similar word in it
(``bat trag`` → ``bat trang``), and the page shows what it searched for instead.

- PostgreSQL: pg_trgm ``similarity`` through a GIN trigram index on the word.
- SQLite: ``difflib`` over the words of about the same length (read through an index).

Kept in step by ``listing_table.refresh`` in the writing transaction: words are added, never
removed one by one (a word of a product no longer listed at worst suggests a search that finds
nothing); ``rebuild`` (``flask catalog rebuild-listing``) starts the list afresh.
"""
import difflib

from sqlalchemy import DDL, bindparam, delete, event, func, select
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db

MIN_LETTERS = 3  # shorter words are left as typed
MAX_LETTERS = 64
LENGTH_SLACK = 2  # SQLite: candidates differ in length by at most this
SQLITE_CUTOFF = 0.75  # difflib ratio a candidate needs ("trag"/"trang": 0.89)
TRGM_SCHEMA = "public"  # where CREATE EXTENSION pg_trgm puts its operators (as listing_table)

# Creating the extension from several connections at once (test workers, two instances starting) makes all
# but one fail on pg_extension's unique index even with IF NOT EXISTS: an advisory lock held until the
# creating transaction ends makes the others wait, then find it there.
CREATE_PG_TRGM = DDL(
    "DO $$ BEGIN PERFORM pg_advisory_xact_lock(hashtext('ocop:create extension pg_trgm')); "
    f"CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA {TRGM_SCHEMA}; END $$")


class SearchWord(db.Model):
    """A folded word some listed product's search text contains (or contained)."""

    __tablename__ = "catalog_search_word"

    word = db.Column(db.String(MAX_LETTERS), primary_key=True)
    letters = db.Column(db.Integer, nullable=False)

    __table_args__ = (
        db.Index("ix_catalog_search_word_letters", "letters", "word"),
        db.Index("ix_catalog_search_word_trgm", "word", postgresql_using="gin",
                 postgresql_ops={"word": f"{TRGM_SCHEMA}.gin_trgm_ops"}).ddl_if(dialect="postgresql"),
    )


def words_of(texts) -> set[str]:
    """Return the words a vocabulary keeps from these folded search texts."""
    return {word for text in texts for word in text.split()
            if MIN_LETTERS <= len(word) <= MAX_LETTERS and not word.isdigit()}


def add_words(conn, texts) -> None:
    """Add the words of these folded texts that the list does not have yet (no commit)."""
    rows = [{"word": word, "letters": len(word)} for word in sorted(words_of(texts))]
    insert = (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(SearchWord)
    for start in range(0, len(rows), 5000):
        conn.execute(insert.on_conflict_do_nothing(), rows[start:start + 5000])


def rebuild(conn, texts) -> None:
    """Make the list the words of these texts only."""
    conn.execute(delete(SearchWord))
    add_words(conn, texts)


def corrected(words: list[str]) -> list[str]:
    """Return ``words`` with each one the catalogue does not have replaced by its closest word.

    A word stays as typed when it is short, a number, known, or nothing is close enough.
    """
    conn = db.session.connection()
    known = set(conn.execute(select(SearchWord.word).where(
        SearchWord.word.in_([w for w in words if len(w) >= MIN_LETTERS]))).scalars())
    return [word if len(word) < MIN_LETTERS or word.isdigit() or word in known
            else (_closest(conn, word) or word) for word in words]


def _closest(conn, word: str) -> str | None:
    if conn.dialect.name == "postgresql":
        resembles = SearchWord.word.op(f"OPERATOR({TRGM_SCHEMA}.%)", is_comparison=True)(bindparam("w"))
        similarity = getattr(func, TRGM_SCHEMA).similarity(SearchWord.word, bindparam("w"))
        stmt = (select(SearchWord.word).where(resembles)
                .order_by(similarity.desc(), SearchWord.word).limit(1))
        return conn.execute(stmt, {"w": word}).scalar()
    candidates = conn.execute(select(SearchWord.word).where(
        SearchWord.letters.between(len(word) - LENGTH_SLACK, len(word) + LENGTH_SLACK))).scalars().all()
    found = difflib.get_close_matches(word, candidates, n=1, cutoff=SQLITE_CUTOFF)
    return found[0] if found else None


# The trigram operator class must exist before the index (also made with the listing table's).
event.listen(SearchWord.__table__, "before_create", CREATE_PG_TRGM.execute_if(dialect="postgresql"))
