"""Catalogue counts kept for a short while: totals, facet counts and products per village.

A page of 24 products costs a few milliseconds; counting every listed product behind it costs
~100 ms at 30,000. So counts are kept for ``CATALOG_COUNT_CACHE_SECONDS`` (0: never kept) under
their normalised filter set, in the app's cache: a SimpleCache per process, or Redis shared by
every process when ``REDIS_URL`` is set. Only a request that needs a count ever fills an entry.

Every commit that adds, removes or changes a product (other than its stock), certificate,
producer, village or outlet starts a new generation of keys, so the process that wrote (and
every process sharing Redis) counts afresh at once. Other processes with their own SimpleCache
may show counts up to ``CATALOG_COUNT_CACHE_SECONDS`` old; the products listed are always fresh.
"""
import hashlib
import logging
import secrets
import time
from itertools import chain

from flask import current_app, has_app_context
from redis.exceptions import RedisError
from sqlalchemy import event, inspect

from ..extensions import cache
from ..outages import warn_now_and_then
from .models import Certificate, Outlet, Producer, Product, Village

_PREFIX = "catalog-counts"
_GENERATION = f"{_PREFIX}:generation"
_GENERATION_SECONDS = 24 * 3600  # a lost generation only means counting afresh once
_STALE = "catalog_counts_stale"  # session.info flag: a flush changed what is counted
_COUNTED = (Product, Certificate, Producer, Village, Outlet)
_UNCOUNTED_PRODUCT_FIELDS = frozenset({"stock", "updated_at"})  # orders change these all day
_CACHE_DOWN = (RedisError, OSError)  # the counts are only an optimisation: never fail a page for them
# After the cache failed (down, or too slow to answer), count afresh without asking it for this
# long: a Redis that hangs then costs one request its timeout, not every count on every page.
_RETRY_SECONDS = 10
_DOWN_UNTIL = "catalog_counts_cache_down_until"  # in app.extensions: one app's cache, one clock
log = logging.getLogger(__name__)


def remembered(key: tuple, compute):
    """Return ``compute()``, kept under ``key`` (plain values) for the configured time."""
    seconds = current_app.config.get("CATALOG_COUNT_CACHE_SECONDS", 0)
    if not seconds or _cache_resting():
        return compute()
    digest = hashlib.blake2b(repr(key).encode(), digest_size=16).hexdigest()
    try:
        full_key = f"{_PREFIX}:{_generation()}:{digest}"
        found = cache.get(full_key)
    except _CACHE_DOWN as error:
        _rest_cache()
        warn_now_and_then(log, "cache", "Cache unreachable (%s): counting the catalogue afresh", error)
        return compute()
    if found is None:
        found = compute()
        try:
            cache.set(full_key, found, timeout=seconds)
        except _CACHE_DOWN:
            _rest_cache()
    return found


def _cache_resting() -> bool:
    return time.monotonic() < current_app.extensions.get(_DOWN_UNTIL, 0.0)


def _rest_cache() -> None:
    current_app.extensions[_DOWN_UNTIL] = time.monotonic() + _RETRY_SECONDS


def forget() -> None:
    """Make every kept count stale: the next request for each counts afresh."""
    cache.set(_GENERATION, secrets.token_hex(8), timeout=_GENERATION_SECONDS)


def _generation() -> str:
    current = cache.get(_GENERATION)
    if current is None:
        # add, not set: two processes sharing Redis must agree on one generation.
        cache.add(_GENERATION, secrets.token_hex(8), timeout=_GENERATION_SECONDS)
        current = cache.get(_GENERATION)
    return current or "none"


# --- forgetting on writes ----------------------------------------------------------------------

def watch(session) -> None:
    """Forget the counts after each commit of ``session`` that changed something counted."""
    if not event.contains(session, "after_flush", _note_changes):
        event.listen(session, "after_flush", _note_changes)
        event.listen(session, "after_commit", _forget_if_changed)


def _changes_counts(session, obj, *, dirty: bool) -> bool:
    if not isinstance(obj, _COUNTED):
        return False
    if not dirty:
        return True
    if not isinstance(obj, Product):
        return session.is_modified(obj)
    state = inspect(obj)
    return any(attr.history.has_changes() for attr in state.attrs
               if attr.key not in _UNCOUNTED_PRODUCT_FIELDS)


def _note_changes(session, _flush_context) -> None:
    # after_flush still shows the flushed objects and their attribute history. A rollback
    # keeps the note: the next commit then forgets once too often, never once too few.
    if (any(_changes_counts(session, obj, dirty=False) for obj in chain(session.new, session.deleted))
            or any(_changes_counts(session, obj, dirty=True) for obj in session.dirty)):
        session.info[_STALE] = True


def _forget_if_changed(session) -> None:
    if session.info.pop(_STALE, False) and has_app_context() \
            and cache in current_app.extensions.get("cache", {}) and not _cache_resting():
        try:
            forget()
        except _CACHE_DOWN as error:  # the commit has happened: it must not look failed
            _rest_cache()
            warn_now_and_then(log, "cache", "Cache unreachable (%s): counts may lag until they expire", error)
