"""The worker: the periodic schedule and ``flask worker`` (a composition root: nothing imports it
but ``cli.py``).

The queue itself is ``storefront/queue.py``; each task a request enqueues is declared beside its
body in its domain. Run a worker with ``flask worker``; see the README.

To add a periodic job, write it as a plain function in your domain (taking ``now`` where time
matters) with a ``flask`` command for operators, then declare it in the schedule below::

    @periodic(crontab(minute="*/15"), every=900)
    def remind_pickups():
        send_pickup_reminders(now=utcnow())
"""
import logging
import signal
import time

import click
from flask import current_app
from flask.cli import with_appcontext
from huey import crontab
from huey.consumer import Consumer, Scheduler
from huey.storage import RedisStorage

from .booking_changes import services as booking_changes, waitlist
from .certificates.reminders import send_expiry_reminders
from .experiences import sessions as experience_sessions
from .finance import settlement
from .invoices import services as invoices
from .notifications import dispatch, mailer
from .orders import services as orders
from .payments import refunds, services as payments, stripe_fees, transfers
from .payments.gateway import stripe_enabled
from .pickup.services import flag_late_dropoffs, send_reminders
from .privacy import retention
from .queue import bind, huey, periodic, start_schedule
from .timeutil import utcnow

log = logging.getLogger(__name__)


# --- the periodic schedule ----------------------------------------------------------------------

@periodic(crontab(minute="*"), every=60, setting="OUTBOX_SWEEP_SECONDS")
def sweep_outbox():
    """Send every due outbox message: those whose task was lost, failed ones due for a retry.

    Every minute, or every ``OUTBOX_SWEEP_SECONDS`` when that is shorter (see ``_Scheduler``).
    """
    report = mailer.send_pending(limit=500)
    if report.sent or report.failed or report.given_up:
        log.info("outbox sweep: sent %s, failed %s, given up %s", report.sent, report.failed,
                 report.given_up)


@periodic(crontab(minute="*"), every=60)
def sweep_notices():
    """Send due Zalo and SMS notices (lost tasks, retries), and move on those Zalo never reported."""
    report = dispatch.send_pending(limit=500)
    if report.sent or report.failed or report.fell_back or report.waiting:
        log.info("notice sweep: sent %s, failed %s, fell back %s, waiting for a report %s",
                 report.sent, report.failed, report.fell_back, report.waiting)


@periodic(crontab(minute="*/5"), every=300)
def expire_orders():
    """Cancel unpaid orders (card, transfer) past their deadline; mark uncollected pickups no-show."""
    now = utcnow()
    orders.expire_unpaid_orders(now=now)
    orders.expire_no_shows(now=now)


@periodic(crontab(minute="*"), every=60)
def expire_transfers():
    """Cancel VietQR transfer orders unpaid at their deadline (shown to the minute), returning stock."""
    transfers.expire_unpaid_transfers(now=utcnow())


@periodic(crontab(minute="*/15"), every=900)
def reconcile_payments():
    """Settle card orders still waiting for payment with their Stripe Checkout Sessions."""
    if stripe_enabled():
        payments.reconcile(now=utcnow())


@periodic(crontab(minute="*/15"), every=900)
def retry_refunds():
    """Send every refund still pending to Stripe again."""
    refunds.retry_refunds()


@periodic(crontab(minute="*/15"), every=900)
def post_stripe_fees():
    """Read the fee Stripe kept of each paid card payment and post it to the books."""
    if stripe_enabled():
        stripe_fees.post_fees()


@periodic(crontab(minute="*"), every=60)
def issue_invoices():
    """Issue the e-invoices whose task was lost or whose provider failed, once each is due (backoff)."""
    issued = invoices.retry_due(now=utcnow())
    if issued:
        log.info("e-invoices issued by the sweep: %s", issued)


@periodic(crontab(minute="7"), every=3600)
def remind_pickups():
    """Remind shoppers (day before, last day of the window); flag late drop-offs to producer and outlet."""
    now = utcnow()
    send_reminders(now=now)
    flag_late_dropoffs(now=now)


@periodic(crontab(hour="18", minute="5"), every=86400)
def close_settlement_period():
    """Close the last settlement period once it has ended (01:05 Hanoi; later runs write nothing)."""
    settlement.close_last_period()


@periodic(crontab(hour="1", minute="13"), every=86400)
def remind_certificate_expiry():
    """E-mail producers 90, 30 and 7 days before a certificate expires, and on the day (each once)."""
    send_expiry_reminders()


@periodic(crontab(hour="0", minute="47"), every=86400)
def open_experience_sessions():
    """Make every experience's sessions for its coming weeks from the pattern (closures skipped)."""
    experience_sessions.refresh_all()


@periodic(crontab(minute="*/5"), every=300)
def close_experience_sessions():
    """Record ended sessions' bookings never checked in as no-shows; tell waitlists of freed seats."""
    now = utcnow()
    booking_changes.record_no_shows(now=now)
    waitlist.sweep(now=now)


@periodic(crontab(hour="2", minute="21"), every=86400)
def forget_guest_contacts():
    """Forget finished guest orders' contact details after GUEST_DATA_RETENTION_DAYS."""
    retention.forget_guests(now=utcnow())


@periodic(crontab(hour="1", minute="37"), every=86400)
def remind_data_requests():
    """Remind the admins of data requests to acknowledge or complete by the next working day."""
    retention.remind()


# --- the worker ---------------------------------------------------------------------------------

@click.command("worker")
@click.option("-w", "--workers", default=2, show_default=True,
              help="Tasks run at once (threads: the tasks wait on SMTP and Stripe, not the CPU).")
@click.option("--no-periodic", is_flag=True,
              help="Do not run the schedule (when another worker already does).")
@with_appcontext
def worker_command(workers: int, no_periodic: bool) -> None:
    """Run a worker: tasks from the queue, and the periodic schedule. Stop with Ctrl-C or SIGTERM."""
    app = current_app._get_current_object()
    if huey.immediate:
        raise click.ClickException("TASKS_IMMEDIATE is on: tasks run in the caller, no worker needed")
    sweep_seconds = app.config["OUTBOX_SWEEP_SECONDS"]
    if not 1 <= sweep_seconds <= 60:
        raise click.ClickException(f"OUTBOX_SWEEP_SECONDS must be 1 to 60, not {sweep_seconds}")
    bind(app)
    logging.getLogger("huey").setLevel(logging.INFO)
    where = "Redis" if isinstance(huey.storage, RedisStorage) else huey.storage.filename
    click.echo(f"worker: {workers} thread(s), queue {huey.name!r} on {where}"
               + ("" if no_periodic else ", with the periodic schedule"))
    if not no_periodic:
        cleared = start_schedule()
        if cleared:
            log.warning("cleared the locks of %s, left by a worker that stopped mid-run",
                        ", ".join(cleared))
    consumer = _Consumer(huey, workers=workers, worker_type="thread", periodic=not no_periodic,
                         check_worker_health=True, shutdown_timeout=SHUTDOWN_SECONDS,
                         sweep_seconds=sweep_seconds)
    consumer.run()


# How long a stopping worker lets running tasks finish (deploy/ocop-worker.service waits longer).
SHUTDOWN_SECONDS = 60


class _Consumer(Consumer):
    """Huey's consumer, stopping gracefully on SIGTERM as on Ctrl-C.

    SIGTERM is what Docker, Kubernetes, systemd and Procfile platforms send: running tasks finish
    (within ``SHUTDOWN_SECONDS``), nothing new starts, and the worker exits 0.
    """

    def __init__(self, *args, sweep_seconds: int = 60, **kwargs):
        self.sweep_seconds = sweep_seconds  # before Consumer.__init__ creates the scheduler
        super().__init__(*args, **kwargs)
        self._signal_actions[signal.SIGTERM] = self._signal_actions[signal.SIGINT]

    def _create_scheduler(self):
        return _Scheduler(huey=self.huey, stop_flag=self.stop_flag, interval=self.scheduler_interval,
                          periodic=self.periodic, sweep_seconds=self.sweep_seconds)


class _Scheduler(Scheduler):
    """Huey's scheduler, enqueuing the outbox sweep every ``OUTBOX_SWEEP_SECONDS``.

    Huey looks at the periodic schedule once a minute (a crontab has minutes, not seconds). With
    a shorter sweep interval (tests run a real worker sweeping every few seconds) it looks that
    often: the first look in each minute enqueues every job whose crontab matches, as Huey's does,
    the others the sweep alone. At 60 (the default) it is Huey's scheduler unchanged.
    """

    def __init__(self, *args, sweep_seconds: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.periodic_task_seconds = sweep_seconds
        self._minute: int | None = None

    def enqueue_periodic_tasks(self, now):
        minute = int(time.time() // 60)
        if self.periodic_task_seconds >= 60 or minute != self._minute:
            self._minute = minute
            super().enqueue_periodic_tasks(now)
            return
        try:
            self.huey.enqueue(sweep_outbox.s())
        except Exception:  # noqa: BLE001 — as Huey's: the next look tries again
            self._logger.exception("Error enqueueing periodic task sweep_outbox.")
