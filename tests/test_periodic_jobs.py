"""Periodic jobs: a lock left by a worker killed mid-run never stops a job for good, and
``/healthz`` names a job that has not run within twice its interval."""
import time

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
