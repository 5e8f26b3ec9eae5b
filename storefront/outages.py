"""When a part the shop depends on is down, degrade: never a 500, never a log line per request.

* Database down: every page answers 503 with a friendly page and ``Retry-After`` (the JSON API a JSON 503).
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

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30
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


def init_app(app: Flask) -> None:
    app.register_error_handler(OperationalError, _database_down)
    app.register_error_handler(InterfaceError, _database_down)
