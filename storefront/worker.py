"""Background work on Huey: the tasks requests enqueue, and the periodic schedule (here, in code).

Where the queue lives: Redis when ``REDIS_URL`` is set (every instance and worker share it);
otherwise a SQLite file, ``instance/tasks.db``, that ``make run``'s web server and worker share.
The test suite runs tasks in Huey's immediate mode (each runs at once, in the caller) or with a
real worker; nothing is mocked.

The database stays the source of truth: a task only says "look now". Mail waits in the outbox,
refunds in their rows, unpaid orders carry their deadline; a lost task or a dead worker delays the
work until the next periodic sweep, it never loses it. So every task here is safe to run twice.

Run a worker with ``flask worker`` (or ``huey_consumer storefront.tasks.huey``); see the README.

To add a periodic job, write it as a plain function in your domain (taking ``now`` where time
matters) with a ``flask`` command for operators, then declare it at the bottom of this file::

    @periodic(crontab(minute="*/15"))
    def remind_pickups():
        from .orders.reminders import send_pickup_reminders

        send_pickup_reminders(now=utcnow())
"""
import functools
import logging
import os
import threading
from pathlib import Path

import click
from flask import Flask, current_app, has_app_context
from flask.cli import with_appcontext
from huey import RedisHuey, SqliteHuey, crontab
from huey.storage import SqliteStorage

from .config import INSTANCE_DIR
from .timeutil import utcnow

log = logging.getLogger(__name__)

QUEUE_NAME = os.environ.get("TASK_QUEUE_NAME", "ocop")


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


def _make_huey():
    """Return the Huey instance the environment names (see the module docstring)."""
    redis_url = os.environ.get("REDIS_URL")
    if redis_url:
        from redis import ConnectionPool

        # Bounded waits: a Redis that stops answering must not hang the request that enqueues
        # (the worker's blocking pop waits 1 s at a time, well inside the read timeout).
        pool = ConnectionPool.from_url(redis_url, socket_connect_timeout=2, socket_timeout=10)
        return RedisHuey(QUEUE_NAME, connection_pool=pool, results=False)
    path = os.environ.get("TASK_QUEUE_PATH") or str(INSTANCE_DIR / "tasks.db")
    return SqliteHuey(QUEUE_NAME, filename=path, results=False, storage_class=_LazySqliteStorage)


huey = _make_huey()

_bound: Flask | None = None
_bind_lock = threading.Lock()


def init_app(app: Flask) -> None:
    """Run tasks in the caller (``TASKS_IMMEDIATE``, the tests) or hand them to the queue."""
    huey.immediate = bool(app.config.get("TASKS_IMMEDIATE"))


def bind(app: Flask) -> None:
    """Make ``app`` the one tasks run in when no app context is active (the worker's)."""
    global _bound
    _bound = app


def _task_app() -> Flask:
    global _bound
    with _bind_lock:
        if _bound is None:  # started by huey_consumer rather than `flask worker`
            from . import create_app

            _bound = create_app()
        return _bound


def in_app_context(func):
    """Run ``func`` inside the caller's app context, or the worker's app when there is none."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if has_app_context():  # immediate mode: the request's or the test's own app
            return func(*args, **kwargs)
        with _task_app().app_context():
            return func(*args, **kwargs)

    return wrapper


def task(**options):
    """Declare a task run by a worker in an app context (Huey's ``task`` options apply)."""

    def decorator(func):
        return huey.task(name=func.__name__, **options)(in_app_context(func))

    return decorator


def periodic(schedule, **options):
    """Declare a job the worker runs on ``schedule``; overlapping runs of one job are skipped."""

    def decorator(func):
        locked = huey.lock_task(f"periodic-{func.__name__}")(func)
        return huey.periodic_task(schedule, name=func.__name__, **options)(in_app_context(locked))

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


# --- tasks the web enqueues --------------------------------------------------------------------

@task()
def deliver_message(message_id: int) -> None:
    """Send one outbox message that a request just committed (if it is still due)."""
    from .notifications.mailer import send_one

    send_one(message_id)


@task()
def send_refund(refund_id: int) -> None:
    """Send one planned refund to Stripe (if it is still pending)."""
    from .payments.refunds import send_refund as send

    send(refund_id)


@task(retries=5, retry_delay=60)
def expire_checkout(order_id: int) -> None:
    """Close at Stripe the Checkout page of a card order cancelled before it was paid."""
    from .payments.services import expire_checkout as expire

    expire(order_id)


# --- the periodic schedule ----------------------------------------------------------------------

@periodic(crontab(minute="*"))
def sweep_outbox():
    """Send every due outbox message: those whose task was lost, failed ones due for a retry."""
    from .notifications.mailer import send_pending

    report = send_pending(limit=500)
    if report.sent or report.failed or report.given_up:
        log.info("outbox sweep: sent %s, failed %s, given up %s", report.sent, report.failed,
                 report.given_up)


@periodic(crontab(minute="*/5"))
def expire_orders():
    """Cancel unpaid orders (card, transfer) past their deadline; mark uncollected pickups no-show."""
    from .orders import services

    now = utcnow()
    services.expire_unpaid_orders(now=now)
    services.expire_no_shows(now=now)


@periodic(crontab(minute="*"))
def expire_transfers():
    """Cancel VietQR transfer orders unpaid at their deadline (shown to the minute), returning stock."""
    from .payments.transfers import expire_unpaid_transfers

    expire_unpaid_transfers(now=utcnow())


@periodic(crontab(minute="*/15"))
def reconcile_payments():
    """Settle card orders still waiting for payment with their Stripe Checkout Sessions."""
    from .payments.gateway import stripe_enabled
    from .payments.services import reconcile

    if stripe_enabled():
        reconcile(now=utcnow())


@periodic(crontab(minute="*/15"))
def retry_refunds():
    """Send every refund still pending to Stripe again."""
    from .payments.refunds import retry_refunds as retry

    retry()


@periodic(crontab(minute="7"))
def remind_pickups():
    """Remind shoppers (day before, last day of the window); flag late drop-offs to producer and outlet."""
    from .pickup.services import flag_late_dropoffs, send_reminders

    now = utcnow()
    send_reminders(now=now)
    flag_late_dropoffs(now=now)


@periodic(crontab(hour="1", minute="13"))
def remind_certificate_expiry():
    """E-mail producers 90, 30 and 7 days before a certificate expires, and on the day (each once)."""
    from .certificates.reminders import send_expiry_reminders

    send_expiry_reminders()


# --- the worker ---------------------------------------------------------------------------------

@click.command("worker")
@click.option("-w", "--workers", default=2, show_default=True,
              help="Tasks run at once (threads: the tasks wait on SMTP and Stripe, not the CPU).")
@click.option("--no-periodic", is_flag=True,
              help="Do not run the schedule (when another worker already does).")
@with_appcontext
def worker_command(workers: int, no_periodic: bool) -> None:
    """Run a worker: tasks from the queue, and the periodic schedule. Stop with Ctrl-C."""
    app = current_app._get_current_object()
    if huey.immediate:
        raise click.ClickException("TASKS_IMMEDIATE is on: tasks run in the caller, no worker needed")
    bind(app)
    logging.getLogger("huey").setLevel(logging.INFO)
    where = "Redis" if isinstance(huey, RedisHuey) else huey.storage.filename
    click.echo(f"worker: {workers} thread(s), queue {huey.name!r} on {where}"
               + ("" if no_periodic else ", with the periodic schedule"))
    consumer = huey.create_consumer(workers=workers, worker_type="thread",
                                    periodic=not no_periodic, check_worker_health=True)
    consumer.run()
