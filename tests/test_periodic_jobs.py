"""Periodic jobs: the schedule as ``storefront/worker.py`` declares it (every job, when it runs and
its interval), a lock left by a worker killed mid-run never stops a job for good, ``/healthz``
names a job that has not run within twice its interval, and the daily period close."""
import ast
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from huey.storage import SqliteStorage

from storefront import queue, worker


@pytest.fixture
def task_queue(app, tmp_path):
    """Huey on a SQLite file of this test's own (as ``make run`` has it); restored afterwards."""
    huey = queue.huey
    saved = huey.storage, huey.immediate
    huey.immediate = False
    huey.storage = SqliteStorage(huey.name, filename=str(tmp_path / "tasks.db"))
    yield huey
    huey.storage, huey.immediate = saved


def ran(name: str):
    return queue.huey.get(queue._RAN.format(name), peek=True)


# --- the schedule -------------------------------------------------------------------------------

def _every(minutes: int) -> set[int]:
    return set(range(0, 24 * 60, minutes))


def _hourly_at(minute: int) -> set[int]:
    return {hour * 60 + minute for hour in range(24)}


def _daily_at(hour: int, minute: int) -> set[int]:
    return {hour * 60 + minute}


# Every job of the worker: the minutes of a UTC day it runs at, and its interval in seconds (what
# /healthz allows twice over before calling it stale). Hanoi is UTC+7.
SCHEDULE = {
    "sweep_outbox": (_every(1), 60),
    "sweep_notices": (_every(1), 60),
    "expire_transfers": (_every(1), 60),
    "issue_invoices": (_every(1), 60),
    "expire_orders": (_every(5), 300),
    "close_experience_sessions": (_every(5), 300),
    "reconcile_payments": (_every(15), 900),
    "retry_refunds": (_every(15), 900),
    "post_stripe_fees": (_every(15), 900),
    "remind_pickups": (_hourly_at(7), 3600),
    "open_experience_sessions": (_daily_at(0, 47), 86400),        # 07:47 Hanoi
    "remind_certificate_expiry": (_daily_at(1, 13), 86400),       # 08:13 Hanoi
    "remind_data_requests": (_daily_at(1, 37), 86400),            # 08:37 Hanoi
    "forget_guest_contacts": (_daily_at(2, 21), 86400),           # 09:21 Hanoi
    "close_settlement_period": (_daily_at(18, 5), 86400),         # 01:05 Hanoi, the day after
}


def _declared_in_worker() -> set[str]:
    """Return the functions ``storefront/worker.py`` decorates with ``@periodic(...)``."""
    tree = ast.parse(Path(worker.__file__).read_text(encoding="utf-8"))
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef)
            and any(isinstance(d, ast.Call) and getattr(d.func, "id", None) == "periodic"
                    for d in node.decorator_list)}


def test_every_job_of_the_worker_runs_on_its_stated_schedule(app):
    registered = {task.name: task for task in queue.huey._registry.periodic_tasks}
    assert _declared_in_worker() == set(SCHEDULE)
    assert set(registered) == set(SCHEDULE)  # each one registered with Huey, nothing else
    assert queue.PERIODIC == {name: every for name, (_minutes, every) in SCHEDULE.items()}
    day = datetime(2026, 3, 2)  # naive UTC, as Huey's scheduler asks
    for name, (minutes, every) in SCHEDULE.items():
        fires = {m for m in range(24 * 60)
                 if registered[name].validate_datetime(day + timedelta(minutes=m))}
        assert fires == minutes, name
        assert len(fires) * every == 24 * 3600, name  # the interval is the crontab's spacing
        assert queue.interval(name) == every, name


def test_the_outbox_sweep_alone_takes_its_interval_from_the_configuration(app):
    app.config["OUTBOX_SWEEP_SECONDS"] = 5
    assert {name for name in SCHEDULE if queue.interval(name) != SCHEDULE[name][1]} == {"sweep_outbox"}
    assert queue.interval("sweep_outbox") == 5


def test_a_lock_whose_holder_died_is_taken_over(app, task_queue):
    task_queue.put(queue._LOCK.format("sweep_outbox"), time.time() - 1)  # its time is up

    worker.sweep_outbox.call_local()

    assert ran("sweep_outbox") is not None
    assert not task_queue.storage.has_data_for_key(queue._LOCK.format("sweep_outbox"))


def test_a_live_lock_skips_the_run_and_a_starting_worker_clears_it(app, task_queue):
    task_queue.put(queue._LOCK.format("sweep_outbox"), time.time() + 60)  # another run is going

    worker.sweep_outbox.call_local()
    assert ran("sweep_outbox") is None

    assert "sweep_outbox" in queue.start_schedule()  # the worker that held it was killed
    worker.sweep_outbox.call_local()
    assert ran("sweep_outbox") is not None


def test_healthz_names_a_periodic_job_that_stopped(app, client, task_queue):
    assert client.get("/healthz").get_json()["checks"]["queue"] == "ok"  # no schedule ever ran

    now = time.time()
    task_queue.put(queue._SCHEDULE_STARTED, now - 3 * 3600)
    for name, every in queue.PERIODIC.items():
        task_queue.put(queue._RAN.format(name), now - (3 * every if name == "sweep_outbox" else 1))

    response = client.get("/healthz")

    assert response.status_code == 200 and response.get_json()["status"] == "degraded"
    assert response.get_json()["checks"]["queue"] == "stale: sweep_outbox"
    task_queue.put(queue._RAN.format("sweep_outbox"), time.time())
    assert client.get("/healthz").get_json()["checks"]["queue"] == "ok"
