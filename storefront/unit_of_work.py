"""Units of work, and side effects that wait for their commit (saleor's ``on_commit``)."""
import logging
from contextlib import contextmanager
from typing import Callable

from .extensions import db

log = logging.getLogger(__name__)
_KEY = "after_commit"


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
