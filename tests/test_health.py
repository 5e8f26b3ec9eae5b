"""``/healthz`` names the part that is down: database, Redis, storage or the task queue."""
import shutil
import subprocess
import time

import pytest
import redis

from storefront import queue
from tests.support.smtp_server import free_port


@pytest.fixture
def private_redis():
    """A Redis of this test's own on a free port; ``.stop()`` kills it."""
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    port = free_port()
    process = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                                "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 30
    while True:
        try:
            redis.Redis.from_url(url).ping()
            break
        except redis.ConnectionError:
            assert time.monotonic() < deadline and process.poll() is None, "redis did not start"
            time.sleep(0.1)
    process.url = url
    process.stop = lambda: (process.kill(), process.wait())
    yield process
    if process.poll() is None:
        process.stop()


def health(client):
    response = client.get("/healthz")
    return response.status_code, response.get_json()


def test_a_dead_redis_is_named_and_the_instance_stays_in_service(app, client, private_redis):
    app.config["REDIS_URL"] = private_redis.url
    assert health(client) == (200, {"status": "ok", "checks": {
        "database": "ok", "redis": "ok", "storage": "ok", "queue": "ok"}})

    private_redis.stop()

    code, body = health(client)
    assert code == 200 and body["status"] == "degraded"
    assert body["checks"]["redis"].startswith("unavailable: ")
    assert body["checks"]["database"] == "ok"


def test_a_dead_queue_is_named(app, client, private_redis):
    from huey.storage import RedisStorage

    saved = queue.huey.storage, queue.huey.immediate
    queue.huey.immediate = False
    queue.huey.storage = RedisStorage(queue.huey.name, url=private_redis.url)
    try:
        assert health(client)[1]["checks"]["queue"] == "ok"
        private_redis.stop()
        code, body = health(client)
    finally:
        queue.huey.storage, queue.huey.immediate = saved

    assert code == 200 and body["status"] == "degraded"
    assert body["checks"]["queue"].startswith("unavailable: ")


def test_storage_that_cannot_be_written_is_named(app, client, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    app.config["MEDIA_ROOT"] = str(blocker / "media")

    code, body = health(client)

    assert code == 200 and body["status"] == "degraded"
    assert body["checks"]["storage"] == "unavailable: StorageError"


def test_a_database_that_does_not_answer_is_a_503_that_says_so(app, make_app, tmp_path):
    broken = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/missing/dir/shop.db")

    with broken.app_context():
        code, body = health(broken.test_client())

    assert code == 503 and body["status"] == "down"
    assert body["checks"]["database"].startswith("unavailable: ")
    assert body["checks"]["storage"] == "ok" and body["checks"]["queue"] == "ok"
