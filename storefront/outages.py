"""When a part the shop depends on is down, degrade: never a 500, never a log line per request.

* Database down: every page answers 503 with a friendly page and ``Retry-After`` (the JSON API a JSON 503).
  A connection that dies under a request after its page is made is dropped quietly when the session
  closes (``extensions.Session``), so the page still goes out.
* A deadlock or serialization failure is not an outage: the database is up and chose this transaction
  to abort. It is answered "busy, try again" (503, ``Retry-After: 1``), logged at info level, and
  neither takes the once-a-minute "database" warning nor shows the maintenance page. Services that
  expect such conflicts run again by themselves (``unit_of_work.retrying``).
* Redis down: the rate limiter falls back to per-process memory (``RATELIMIT_IN_MEMORY_FALLBACK_ENABLED``),
  and the catalogue-count cache counts afresh; both say so once a minute through ``warn_now_and_then``.
"""
import logging
import threading
import time

from flask import Flask, g, jsonify, render_template, request
from flask_login import AnonymousUserMixin
from sqlalchemy.exc import InterfaceError, OperationalError

from .extensions import db
from .unit_of_work import TransactionConflict, conflict_kind

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30
BUSY_RETRY_AFTER_SECONDS = 1
WARNING_INTERVAL_SECONDS = 60

_last_warned: dict[str, float] = {}
_lock = threading.Lock()


def warn_now_and_then(logger: logging.Logger, topic: str, message: str, *args,
                      interval: float = WARNING_INTERVAL_SECONDS) -> bool:
    """Log ``message`` as a warning at most once per ``interval`` seconds per ``topic``; tell if logged."""
    now = time.monotonic()
    with _lock:
        last = _last_warned.get(topic)
        if last is not None and now - last < interval:
            return False
        _last_warned[topic] = now
    logger.warning(message, *args)
    return True


def _database_down(error):
    """Answer 503 without touching the database again (the page must not ask who is signed in)."""
    if conflict_kind(error):
        return _busy(error)
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 — the connection is gone; nothing to undo
        pass
    warn_now_and_then(log, "database", "Database unavailable, answering 503: %s",
                      str(getattr(error, "orig", error)).splitlines()[0][:200] if str(error) else error)
    g._login_user = AnonymousUserMixin()
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}
    if request.path.startswith("/api/"):
        return jsonify(error="service unavailable", status=503), 503, headers
    try:
        body = render_template("errors/unavailable.html", retry_after=RETRY_AFTER_SECONDS)
    except Exception:  # noqa: BLE001 — a page helper needed the database after all: plain words then
        body = ("<!doctype html><meta charset=utf-8><title>503</title>"
                "<h1>Hệ thống đang bảo trì. Vui lòng thử lại sau ít phút.</h1>"
                "<p lang=en>We are briefly unavailable. Please try again in a few minutes.</p>")
    return body, 503, headers


def _busy(error):
    """Answer a transaction the database aborted for a concurrent one: busy, try again in a moment.

    The database is up, so the page is a normal one (it may ask who is signed in).
    """
    db.session.rollback()
    log.info("%s for %s %s; answered busy", conflict_kind(error), request.method, request.path)
    headers = {"Retry-After": str(BUSY_RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}
    if request.path.startswith("/api/"):
        return jsonify(error="busy, try again", status=503), 503, headers
    return render_template("errors/busy.html"), 503, headers


def init_app(app: Flask) -> None:
    app.register_error_handler(TransactionConflict, _busy)
    app.register_error_handler(OperationalError, _database_down)
    app.register_error_handler(InterfaceError, _database_down)
