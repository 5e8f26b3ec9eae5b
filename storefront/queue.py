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
import time
from pathlib import Path

from flask import Flask, current_app, has_app_context
from huey import Huey
from huey.storage import RedisStorage, SqliteStorage

from .config import INSTANCE_DIR, redis_options
from .outages import warn_now_and_then

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
# After a failed enqueue, leave the queue alone this long (the periodic sweep does the work).
RETRY_SECONDS = 10
_down_until = 0.0
_bind_lock = threading.Lock()


def init_app(app: Flask) -> None:
    """Point the queue at the app's storage; run tasks in the caller when ``TASKS_IMMEDIATE``."""
    global _down_until
    config = app.config
    huey.name = config["TASK_QUEUE_NAME"]
    if config.get("REDIS_URL"):
        from redis import ConnectionPool

        # Bounded waits: a Redis that stops answering must not hang the request that enqueues.
        # The worker's blocking pop asks Redis to wait less than the socket waits for its answer.
        timeout = config["REDIS_TIMEOUT"]
        pool = ConnectionPool.from_url(config["REDIS_URL"],
                                       **redis_options(config["REDIS_CONNECT_TIMEOUT"], timeout))
        huey.storage_class = RedisStorage
        huey.storage_kwargs = {"connection_pool": pool, "read_timeout": timeout / 2}
    else:
        huey.storage_class = _LazySqliteStorage
        huey.storage_kwargs = {"filename": config["TASK_QUEUE_PATH"]}
    huey._immediate = bool(config.get("TASKS_IMMEDIATE"))
    huey.storage = huey.create_storage()  # Huey's memory storage in immediate mode
    _down_until = 0.0


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


# --- periodic jobs --------------------------------------------------------------------------------
# A job's lock says until when its run may last (a wall-clock time), so a worker killed mid-run
# (SIGKILL, or SIGTERM past its grace) holds it no longer than that; a worker that starts the
# schedule clears them all. A run that outlasts its lock may overlap the next one: every job is
# safe to run twice. Each run then notes when it finished, so /healthz sees a job that stopped.
PERIODIC: dict[str, float] = {}  # job name -> seconds between runs (its schedule's interval)
_SETTINGS: dict[str, str] = {}  # job name -> the setting that says its interval instead
_LOCK = "periodic-lock.{}"
_RAN = "periodic-ran.{}"
_SCHEDULE_STARTED = "periodic-schedule-started"


def periodic(schedule, every: float, setting: str | None = None, **options):
    """Declare a job the worker runs on ``schedule`` (a crontab that fires every ``every`` seconds).

    With ``setting``, the app's config says the interval instead (the worker's scheduler enqueues
    the job that often: see ``storefront/worker.py``). Overlapping runs of one job are skipped,
    but never for longer than its interval.
    """

    def decorator(func):
        name = func.__name__
        PERIODIC[name] = every
        if setting:
            _SETTINGS[name] = setting

        @functools.wraps(func)
        def run():
            if not _take_lock(name, interval(name)):
                log.info("periodic job %s is still running elsewhere: skipped", name)
                return None
            try:
                return func()
            finally:
                huey.delete(_LOCK.format(name))
                huey.put(_RAN.format(name), time.time())

        return huey.periodic_task(schedule, name=name, **options)(in_app_context(run))

    return decorator


def interval(name: str) -> float:
    """Return the seconds between runs of periodic job ``name`` (in an app context: its setting)."""
    setting = _SETTINGS.get(name)
    if setting and has_app_context():
        return float(current_app.config[setting])
    return PERIODIC[name]


def _take_lock(name: str, seconds: float) -> bool:
    key, now = _LOCK.format(name), time.time()
    if huey.put_if_empty(key, now + seconds):
        return True
    held_until = huey.get(key, peek=True)
    if isinstance(held_until, float) and held_until > now:
        return False
    # Its holder died. Two workers may both see that and both run once: harmless (see above).
    huey.delete(key)
    return huey.put_if_empty(key, now + seconds)


def start_schedule() -> list[str]:
    """Clear the periodic jobs' locks (a worker killed mid-run left them) and note the start.

    Return the names of the jobs whose lock was cleared.
    """
    cleared = [name for name in PERIODIC if huey.delete(_LOCK.format(name))]
    huey.put(_SCHEDULE_STARTED, time.time())
    return cleared


def stale_jobs(now: float | None = None) -> list[str]:
    """Return the periodic jobs that have not run within twice their interval.

    Nothing is stale before any worker has run the schedule (a shop without workers, the tests).
    """
    started = huey.get(_SCHEDULE_STARTED, peek=True)
    if started is None:
        return []
    now = time.time() if now is None else now
    stale = []
    for name in sorted(PERIODIC):
        ran = huey.get(_RAN.format(name), peek=True)
        if now - max(ran or 0.0, started) > 2 * interval(name):
            stale.append(name)
    return stale


def enqueue(task_wrapper, *args, **kwargs) -> bool:
    """Enqueue a task; when the queue cannot take it, log it and return False.

    Callers only use this for work the database already remembers, so the periodic sweep does
    it later: a queue outage must never fail the request that enqueued.
    """
    global _down_until
    if time.monotonic() < _down_until:
        return False  # it failed moments ago: a hung Redis must not cost each enqueue its timeout
    try:
        task_wrapper(*args, **kwargs)
    except Exception as error:  # noqa: BLE001 — see docstring
        _down_until = time.monotonic() + RETRY_SECONDS
        # Once a minute, not a traceback per task: an outage would otherwise flood the log.
        warn_now_and_then(log, "queue", "could not enqueue %s (%s: %s); the periodic sweep will do it",
                          task_wrapper.name, type(error).__name__, error)
        return False
    return True


def queue_status() -> str:
    """Return "ok" when the queue answers and every periodic job keeps time, else why (/healthz)."""
    try:
        huey.pending_count()
        stale = stale_jobs()
    except Exception as error:  # noqa: BLE001 — any failure means "down"
        return f"unavailable: {type(error).__name__}"
    return f"stale: {', '.join(stale)}" if stale else "ok"
