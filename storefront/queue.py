"""The task queue (Huey): the instance, how to declare a task, ``enqueue`` and its health.

This module sits under every domain and imports none of them. A domain declares each task beside
its body (``@task()`` in ``notifications/mailer.py``, ``payments/refunds.py``, ...); the periodic
schedule and the ``flask worker`` command are on top, in ``storefront/worker.py``.

Where the queue lives (``config.py``): Redis when ``REDIS_URL`` is set (every instance and worker
share it); otherwise a SQLite file, ``TASK_QUEUE_PATH`` (``instance/tasks.db``), that ``make run``'s
web server and worker share. The test suite runs tasks in Huey's immediate mode (each runs at once,
in the caller) or with a real worker; nothing is mocked.

The database stays the source of truth: a task only says "look now". Mail waits in the outbox,
refunds in their rows, unpaid orders carry their deadline; a lost task or a dead worker delays the
work until the next periodic sweep, it never loses it. So every task is safe to run twice.
"""
import functools
import logging
import threading
from pathlib import Path

from flask import Flask, has_app_context
from huey import Huey
from huey.storage import RedisStorage, SqliteStorage

from .config import INSTANCE_DIR

log = logging.getLogger(__name__)


class _LazySqliteStorage(SqliteStorage):
    """Huey's SQLite storage, making its file and tables on first use rather than at import.

    Importing this module (every test process, every command) then touches no file.
    """

    def __init__(self, name, **kwargs):
        super().__init__(name, create_tables=False, **kwargs)
        self._schema_ready = False

    @property
    def conn(self):
        if self._conn is None:
            Path(self.filename).parent.mkdir(parents=True, exist_ok=True)  # instance/ is not in git
            self._conn = self._create_connection()
            if not self._schema_ready:
                for statement in self.ddl:
                    self._conn.execute(statement)
                self._schema_ready = True
        return self._conn


# Tasks are declared on this instance at import; ``init_app`` points it at the configured storage.
huey = Huey("ocop", results=False, storage_class=_LazySqliteStorage,
            filename=str(INSTANCE_DIR / "tasks.db"))

_bound: Flask | None = None
_bind_lock = threading.Lock()


def init_app(app: Flask) -> None:
    """Point the queue at the app's storage; run tasks in the caller when ``TASKS_IMMEDIATE``."""
    config = app.config
    huey.name = config["TASK_QUEUE_NAME"]
    if config.get("REDIS_URL"):
        from redis import ConnectionPool

        # Bounded waits: a Redis that stops answering must not hang the request that enqueues.
        # The worker's blocking pop asks Redis to wait less than the socket waits for its answer.
        timeout = config["REDIS_TIMEOUT"]
        pool = ConnectionPool.from_url(config["REDIS_URL"], socket_timeout=timeout,
                                       socket_connect_timeout=config["REDIS_CONNECT_TIMEOUT"])
        huey.storage_class = RedisStorage
        huey.storage_kwargs = {"connection_pool": pool, "read_timeout": timeout / 2}
    else:
        huey.storage_class = _LazySqliteStorage
        huey.storage_kwargs = {"filename": config["TASK_QUEUE_PATH"]}
    huey._immediate = bool(config.get("TASKS_IMMEDIATE"))
    huey.storage = huey.create_storage()  # Huey's memory storage in immediate mode


def bind(app: Flask) -> None:
    """Make ``app`` the one tasks run in when no app context is active (the worker's)."""
    global _bound
    with _bind_lock:
        _bound = app


def in_app_context(func):
    """Run ``func`` inside the caller's app context, or the worker's app when there is none."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if has_app_context():  # immediate mode: the request's or the test's own app
            return func(*args, **kwargs)
        if _bound is None:
            raise RuntimeError("no app bound to the task queue: run workers with `flask worker`")
        with _bound.app_context():
            return func(*args, **kwargs)

    return wrapper


def task(name: str | None = None, **options):
    """Declare a task run by a worker in an app context (Huey's ``task`` options apply)."""

    def decorator(func):
        return huey.task(name=name or func.__name__, **options)(in_app_context(func))

    return decorator


def enqueue(task_wrapper, *args, **kwargs) -> bool:
    """Enqueue a task; when the queue cannot take it, log it and return False.

    Callers only use this for work the database already remembers, so the periodic sweep does
    it later: a queue outage must never fail the request that enqueued.
    """
    try:
        task_wrapper(*args, **kwargs)
    except Exception:  # noqa: BLE001 — see docstring
        log.warning("could not enqueue %s; the periodic sweep will do it", task_wrapper.name,
                    exc_info=True)
        return False
    return True


def queue_status() -> str:
    """Return "ok" when the queue's storage answers, else a short reason (for /healthz)."""
    try:
        huey.pending_count()
    except Exception as error:  # noqa: BLE001 — any failure means "down"
        return f"unavailable: {type(error).__name__}"
    return "ok"
