"""``/healthz``: whether the app and each part it depends on answer.

Answers 200 while the database answers (the instance can serve), 503 when it does not; the
body names each part — ``database``, ``redis``, ``storage``, ``queue`` — as ``ok``,
``not configured`` or ``unavailable: <reason>``, so an operator sees at once which part is down.
A dead Redis, bucket or queue degrades the shop (``"status": "degraded"``) without taking the
instance out of the load balancer.
"""
import logging

import redis
from flask import Blueprint, current_app
from sqlalchemy import text

from .config import redis_options
from .extensions import db
from .storage import storage_status
from .queue import queue_status

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)
OK = "ok"


@bp.get("/healthz")
def healthz():
    """Report the state of the database, Redis, storage and the task queue."""
    checks = {"database": _database(), "redis": _redis(), "storage": storage_status(),
              "queue": queue_status()}
    if checks["database"] != OK:
        status, code = "down", 503
    elif all(value in (OK, "not configured") for value in checks.values()):
        status, code = OK, 200
    else:
        status, code = "degraded", 200
    response = current_app.json.response({"status": status, "checks": checks})
    response.status_code = code
    response.headers["Cache-Control"] = "no-store"
    return response


def _database() -> str:
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 — any failure means "down"
        db.session.rollback()
        return f"unavailable: {type(error).__name__}"
    return OK


def _redis() -> str:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return "not configured"
    try:
        config = current_app.config
        client = redis.Redis.from_url(url, **redis_options(config["REDIS_CONNECT_TIMEOUT"],
                                                           config["REDIS_TIMEOUT"]))
        try:
            client.ping()
        finally:
            client.close()
    except Exception as error:  # noqa: BLE001 — any failure means "down"
        return f"unavailable: {type(error).__name__}"
    return OK
