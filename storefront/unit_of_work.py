"""Units of work, and side effects that wait for their commit (saleor's ``on_commit``)."""
import logging
import random
import time
from contextlib import contextmanager
from typing import Callable, TypeVar

from sqlalchemy.exc import DBAPIError

from .extensions import db

log = logging.getLogger(__name__)
_KEY = "after_commit"
T = TypeVar("T")

# SQLSTATEs of a transaction PostgreSQL aborted to let a concurrent one through; run again, it
# normally succeeds (PostgreSQL manual, "Serialization Failure Handling").
CONFLICT_STATES = {"40001": "serialization failure", "40P01": "deadlock"}
ATTEMPTS = 4  # in all: the first run and three retries
BACKOFF_SECONDS = 0.02  # the first retry waits up to this long, each further one twice as long


class TransactionConflict(Exception):
    """The database aborted every attempt of a unit of work in favour of concurrent ones."""


def conflict_kind(error: BaseException) -> str | None:
    """Return "deadlock" or "serialization failure" when ``error`` is one, else ``None``."""
    if isinstance(error, TransactionConflict):
        return conflict_kind(error.__cause__) if error.__cause__ is not None else "conflict"
    if not isinstance(error, DBAPIError):
        return None
    state = getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None)
    return CONFLICT_STATES.get(state)


def on_commit(callback: Callable[[], None], *, once: bool = False) -> None:
    """Run ``callback`` once the current unit of work has committed; drop it on rollback.

    With ``once``, a callback already waiting for this commit is not added again.
    """
    waiting = db.session.info.setdefault(_KEY, [])
    if once and callback in waiting:
        return
    waiting.append(callback)


@contextmanager
def transaction():
    """Commit the block as one unit of work, then run its after-commit callbacks.

    A failure in a callback is logged, never raised: what it does (mail, refunds) is
    recorded in the database first and retried by its own command.
    """
    try:
        yield db.session
        db.session.commit()
    except BaseException:
        db.session.rollback()
        db.session.info.pop(_KEY, None)
        raise
    for callback in db.session.info.pop(_KEY, []):
        try:
            callback()
        except Exception:  # noqa: BLE001 — see docstring
            log.exception("after-commit callback %r failed", callback)


def retrying(work: Callable[[], T], *, attempts: int = ATTEMPTS) -> T:
    """Run ``work`` as one unit of work, from the start again when the database aborts it as a
    deadlock or serialization failure, up to ``attempts`` times in all.

    PostgreSQL aborts one of two transactions that wait for each other; the other goes on, so
    the aborted one usually succeeds on a second run. ``work`` must be the whole transaction
    and read what it decides on afresh (a rollback expires every loaded row). Each retry waits
    a short random while, so that the same two do not collide again in step.

    :raises TransactionConflict: the last attempt was aborted too (from the database's error).
    """
    if attempts < 1:
        raise ValueError("attempts must be at least 1")
    for attempt in range(1, attempts + 1):
        try:
            with transaction():
                return work()
        except DBAPIError as error:
            kind = conflict_kind(error)
            if kind is None:
                raise
            if attempt == attempts:
                raise TransactionConflict(f"{kind} on each of {attempts} attempts") from error
            log.info("Transaction aborted by a %s; running it again (attempt %d of %d)",
                     kind, attempt + 1, attempts)
            time.sleep(random.uniform(0, BACKOFF_SECONDS * 2 ** (attempt - 1)))
    raise AssertionError("unreachable: the last attempt returns or raises")
