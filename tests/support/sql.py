"""Count what the database is asked: every SQL statement run while a block runs."""
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from storefront.extensions import db


@contextmanager
def recorded_statements() -> Iterator[list[str]]:
    """Record the SQL statements the block runs, starting from a fresh session as a request does."""
    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    db.session.remove()
    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
