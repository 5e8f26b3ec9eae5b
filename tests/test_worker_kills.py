"""A worker killed mid-sweep never stops the mail: another worker sends every pending row within
two sweep intervals, each under its one Message-ID.

Real processes: ``flask worker`` (sweeping every ``SWEEP`` seconds), a Redis of this test's own
for its queue, the test's database (SQLite file or PostgreSQL schema) and an aiosmtpd relay. The
relay keeps each message as soon as it has read it and answers 250 after a pause, as a relay that
queues before it replies: a worker killed in that pause leaves a message the relay has and the
outbox does not know it sent. That is the one duplicate the design allows (at-least-once, one
stable Message-ID per row so mail clients fold it; README): at most one per message in flight at
the kill. SIGTERM, what Docker, Kubernetes and Procfile platforms send, stops a worker cleanly:
it finishes its sweep, exits 0, leaves no lock and duplicates nothing.
"""
import asyncio
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import pytest
import redis
import time_machine
from huey.storage import RedisStorage

from storefront import queue
from storefront.extensions import db
from storefront.notifications.models import OutboxMessage, OutboxStatus
from storefront.timeutil import utcnow
from storefront.worker import _Scheduler
from tests.support.smtp_server import Collector, Server, free_port

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
N = 60  # pending mails
SWEEP = 8  # OUTBOX_SWEEP_SECONDS of the workers started here
MAIL_TIMEOUT = 0.5  # so a claim whose sender died lapses after 7.5 s (15 × MAIL_TIMEOUT) < 1 sweep
PAUSE = 0.05  # the relay's pause before its 250: a sweep of N mails takes a few seconds
KILL_AFTER = 10  # mails the relay has when the worker is stopped: mid-sweep
SLACK = 4  # seconds for the last sweep to send what it found, on a busy machine
SWEEP_LOCK = queue._LOCK.format("sweep_outbox")


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"worker kill test cannot run in CI: {reason}")
    pytest.skip(reason)


def wait_until(condition, what: str, timeout: float):
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.1)
    return result


@pytest.fixture(scope="module")
def redis_url():
    """A Redis of this module's own on a free port, nothing saved to disk."""
    if not shutil.which("redis-server"):
        _unavailable("redis-server is not installed")
    port = free_port()
    process = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                                "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        wait_until(lambda: _pings(url), "redis-server", timeout=30)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def _pings(url: str) -> bool:
    try:
        return redis.Redis.from_url(url).ping()
    except redis.ConnectionError:
        return False


class QueuesThenReplies(Collector):
    """Keep each message as soon as it is read, answer 250 after ``PAUSE``."""

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        await asyncio.sleep(PAUSE)
        return "250 Message accepted for delivery"

    def message_ids(self) -> Counter:
        return Counter(m["Message-ID"] for m in self.messages)


@pytest.fixture
def relay():
    server = Server(QueuesThenReplies())
    server.controller.start()
    yield server
    server.controller.stop()


class Workers:
    """``flask worker`` processes on the test's database, one Redis queue and the relay."""

    def __init__(self, app, redis_url: str, relay, tmp_path: Path):
        self.name = f"ocop-kills-{uuid.uuid4().hex[:8]}"
        self.storage = RedisStorage(self.name, url=redis_url)  # to look at the workers' locks
        self.tmp = tmp_path
        self.env = {key: value for key, value in os.environ.items()
                    if not key.startswith(("TEST_", "PYTEST_", "FLASK_RUN"))}
        self.env.update({
            "APP_ENV": "development", "SECRET_KEY": uuid.uuid4().hex,
            "FLASK_APP": "storefront:create_app", "PYTHONUNBUFFERED": "1",
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "REDIS_URL": redis_url, "TASK_QUEUE_NAME": self.name,
            "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(relay.port),
            "MAIL_TIMEOUT": str(MAIL_TIMEOUT), "MAIL_CLAIM_MIN_SECONDS": "0",
            "OUTBOX_SWEEP_SECONDS": str(SWEEP), "PUBLIC_URL": "http://shop.example",
            "MEDIA_ROOT": str(tmp_path / "media"), "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
        })
        self.processes: list[subprocess.Popen] = []

    def start(self) -> subprocess.Popen:
        log = self.tmp / f"worker-{len(self.processes) + 1}.log"
        with open(log, "wb") as out:
            process = subprocess.Popen([str(BIN / "flask"), "worker", "-w", "2"], cwd=ROOT,
                                       env=self.env, stdout=out, stderr=subprocess.STDOUT)
        process.log = log
        self.processes.append(process)
        return process

    def wait_ready(self, process: subprocess.Popen) -> float:
        """Wait until ``process`` says it starts its schedule; return when (monotonic)."""
        wait_until(lambda: "worker:" in self.log(process) or process.poll() is not None,
                   "the worker to start", timeout=60)
        assert process.poll() is None, self.log(process)
        return time.monotonic()

    def log(self, process: subprocess.Popen) -> str:
        return process.log.read_text(errors="replace")

    def lock_held(self) -> bool:
        return self.storage.has_data_for_key(SWEEP_LOCK)

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=10)


@pytest.fixture
def workers(app, redis_url, relay, tmp_path):
    site = Workers(app, redis_url, relay, tmp_path)
    try:
        yield site
    finally:
        site.stop_all()  # before the app fixture empties the tables


def fill_outbox() -> list[int]:
    rows = [OutboxMessage(kind="test", to_email=f"khach{i}@example.com", subject=f"Đơn hàng {i}",
                          body="Xin chào", locale="vi") for i in range(N)]
    db.session.add_all(rows)
    db.session.commit()
    return [row.id for row in rows]


def count(*where) -> int:
    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count(OutboxMessage.id)).where(*where))


def pending() -> int:
    return count(OutboxMessage.status == OutboxStatus.PENDING)


def claimed() -> int:
    """Pending rows a sender has claimed and not yet recorded (in flight)."""
    return count(OutboxMessage.status == OutboxStatus.PENDING,
                 OutboxMessage.next_attempt_at > utcnow())


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_a_worker_stopped_mid_sweep_leaves_no_mail_behind(app, workers, relay, how):
    ids = fill_outbox()
    first = workers.start()
    workers.wait_ready(first)
    wait_until(lambda: len(relay.envelopes) >= KILL_AFTER, "the sweep to be under way", timeout=30)

    pending_at_signal = pending()
    assert 0 < pending_at_signal < N, "the sweep is not under way"
    first.send_signal(how)
    code = first.wait(timeout=30)
    pending_at_stop, in_flight = pending(), claimed()
    if how == signal.SIGKILL:
        assert 0 < pending_at_stop < N, "the worker was not killed mid-sweep"
        assert workers.lock_held()  # what stopped the sweep for good before
    else:  # stopped cleanly: its sweep finished, nothing claimed, no lock left behind
        assert code == 0, workers.log(first)
        assert (in_flight, workers.lock_held()) == (0, False)
    received_at_stop = len(relay.envelopes)

    second = workers.start()
    ready = workers.wait_ready(second)
    wait_until(lambda: pending() == 0, "every pending row to be sent",
               timeout=ready + 2 * SWEEP + SLACK - time.monotonic())
    took = time.monotonic() - ready

    assert count(OutboxMessage.status == OutboxStatus.SENT) == N
    received = relay.message_ids()
    assert {int(re.fullmatch(r"<outbox-(\d+)@[^>]+>", mid)[1]) for mid in received} == set(ids)
    duplicates = sum(received.values()) - len(received)
    assert duplicates <= (in_flight if how == signal.SIGKILL else 0), received.most_common(3)
    if how == signal.SIGKILL:
        assert "cleared the locks of sweep_outbox" in workers.log(second)
    print(f"\n{signal.Signals(how).name}: {N} pending before, {pending_at_signal} at the signal, "
          f"{pending_at_stop} when the worker had stopped "
          f"({in_flight} in flight, relay had {received_at_stop}), 0 after; {duplicates} duplicate(s); "
          f"new worker sent the rest in {took:.1f} s (2 sweeps = {2 * SWEEP} s); exit code {code}")


# --- the sweep interval -------------------------------------------------------------------------

@pytest.fixture
def task_queue(app, tmp_path):
    """Huey on a SQLite file of this test's own; restored afterwards."""
    from huey.storage import SqliteStorage

    huey = queue.huey
    saved = huey.storage, huey.immediate
    huey.immediate = False
    huey.storage = SqliteStorage(huey.name, filename=str(tmp_path / "tasks.db"))
    yield huey
    huey.storage, huey.immediate = saved


def looks(task_queue, sweep_seconds: int) -> list[set[str]]:
    """Let the worker's scheduler look at the schedule twice, 5 s apart at 01:13 UTC."""
    scheduler = _Scheduler(huey=task_queue, stop_flag=None, interval=1, periodic=True,
                           sweep_seconds=sweep_seconds)
    enqueued = []
    for second in (0, 5):
        task_queue.flush()
        with time_machine.travel(datetime(2025, 1, 1, 1, 13, second, tzinfo=timezone.utc), tick=False):
            scheduler.enqueue_periodic_tasks(None)
        enqueued.append({task.name for task in task_queue.pending()})
    return enqueued


def test_a_short_sweep_interval_adds_sweeps_and_nothing_else(app, task_queue):
    # The jobs whose crontab matches 01:13 UTC: every minute's, and the certificate reminders
    # (the whole schedule is stated in tests/test_periodic_jobs.py).
    minute_jobs = {"sweep_outbox", "sweep_notices", "expire_transfers", "issue_invoices",
                   "remind_certificate_expiry"}
    assert looks(task_queue, 5) == [minute_jobs, {"sweep_outbox"}]
    assert looks(task_queue, 60) == [minute_jobs, minute_jobs]  # Huey's, unchanged


def test_the_sweep_is_stale_after_twice_its_configured_interval(app, task_queue):
    app.config["OUTBOX_SWEEP_SECONDS"] = 5
    now = time.time()
    task_queue.put(queue._SCHEDULE_STARTED, now - 3600)
    for name in queue.PERIODIC:
        task_queue.put(queue._RAN.format(name), now - 11 if name == "sweep_outbox" else now)

    assert queue.interval("sweep_outbox") == 5
    assert queue.stale_jobs(now) == ["sweep_outbox"]
    app.config["OUTBOX_SWEEP_SECONDS"] = 60
    assert queue.stale_jobs(now) == []
