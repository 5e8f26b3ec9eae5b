"""Two instances side by side: any number of web processes share everything through PostgreSQL,
Redis and S3, and one worker does the background work.

Started here, for real: two gunicorn instances (A and B) of the app on two ports, one PostgreSQL
database of their own, one private Redis, moto's S3 server, an SMTP server (aiosmtpd) and one
worker (``flask worker``). Marked ``instances``: ``make test`` runs it after the main suites; it
skips when PostgreSQL (``TEST_DATABASE_URL``) or ``redis-server`` is missing, except in CI, where
that is a failure.
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
import requests
from sqlalchemy import create_engine, text

from tests.conftest import PASSWORD
from tests.support.producer_support import jpeg
from tests.support.s3_server import s3_server  # noqa: F401  (fixture)
from tests.support.smtp_server import free_port

pytestmark = pytest.mark.instances
ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"two-instance test cannot run in CI: {reason}")
    pytest.skip(reason)


def wait_for(check, what: str, timeout: float = 90):
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = check()
            if result:
                return result
        except (requests.RequestException, redis.ConnectionError):
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.25)


@pytest.fixture(scope="module")
def postgres_url():
    """A PostgreSQL database of this test's own, dropped afterwards."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        _unavailable("TEST_DATABASE_URL is not set")
    base = re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", base)
    name = f"ocop_instances_{uuid.uuid4().hex[:10]}"
    try:
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001
        _unavailable(f"PostgreSQL does not answer: {error}")
    url = base.rsplit("/", 1)[0] + f"/{name}"
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="module")
def redis_url():
    """A private Redis on a free port (or, without redis-server, database 14 of the local one)."""
    if not shutil.which("redis-server"):
        url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
        try:
            redis.Redis.from_url(url).flushdb()
        except redis.RedisError as error:
            _unavailable(f"no redis-server, and Redis at {url} does not answer: {error}")
        yield url
        return
    port = free_port()
    process = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                                "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    wait_for(lambda: redis.Redis.from_url(url).ping(), "redis", timeout=30)
    yield url
    process.terminate()
    process.wait(timeout=10)


class Cluster:
    """The processes of one production-like site; ``env`` is what each of them is given."""

    def __init__(self, env: dict, tmp: Path):
        self.env = env
        self.tmp = tmp
        self.processes: dict[str, subprocess.Popen] = {}
        self.urls: dict[str, str] = {}

    def start_web(self, name: str) -> str:
        port = free_port()
        env = {**self.env, "MEDIA_ROOT": str(self.tmp / f"media-{name}"),
               "PRIVATE_MEDIA_ROOT": str(self.tmp / f"private-{name}")}
        log = open(self.tmp / f"web-{name}.log", "wb")
        self.processes[name] = subprocess.Popen(
            [str(BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "--graceful-timeout", "10",
             "--no-control-socket", "--timeout", "120",
             "storefront:create_app()"], cwd=ROOT, env=env, stdout=log, stderr=log)
        url = self.urls[name] = f"http://127.0.0.1:{port}"
        wait_for(lambda: requests.get(f"{url}/healthz", timeout=10).status_code == 200,
                 f"instance {name}", timeout=180)
        return url

    def start_worker(self) -> None:
        log = open(self.tmp / "worker.log", "wb")
        self.processes["worker"] = subprocess.Popen(
            [str(BIN / "flask"), "worker", "-w", "2"], cwd=ROOT, env=self.env, stdout=log, stderr=log)

    def stop(self, name: str) -> None:
        process = self.processes.pop(name)
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.stop(name)

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}"
                         for p in sorted(self.tmp.glob("*.log")))


@pytest.fixture(scope="module")
def smtp_inbox():
    from tests.support.smtp_server import Collector, Server

    server = Server(Collector())
    server.controller.start()
    yield server
    server.controller.stop()


@pytest.fixture(scope="module")
def cluster(postgres_url, redis_url, s3_server, smtp_inbox, tmp_path_factory):
    from tests.support.s3_server import CREDENTIALS
    from storefront.storage_cli import public_photos_policy

    bucket = s3_server.make_bucket()
    s3_server.client().put_bucket_policy(Bucket=bucket, Policy=json.dumps(public_photos_policy(bucket)))
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("TEST_", "PYTEST_", "FLASK_RUN"))}
    env.update({
        "APP_ENV": "development", "SECRET_KEY": uuid.uuid4().hex, "FLASK_APP": "storefront:create_app",
        "DATABASE_URL": postgres_url, "REDIS_URL": redis_url, "TASK_QUEUE_NAME": "ocop-two-instances",
        "STORAGE_BACKEND": "s3", "S3_BUCKET": bucket, "S3_ENDPOINT_URL": s3_server.url, **CREDENTIALS,
        "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(smtp_inbox.port), "MAIL_TIMEOUT": "10",
        "LOGIN_RATE_LIMIT": "5 per minute", "PUBLIC_URL": "http://shop.example",
    })
    _create_schema(postgres_url)
    site = Cluster(env, tmp_path_factory.mktemp("instances"))
    try:
        site.start_web("A")
        site.start_web("B")
        site.start_worker()
        yield site
    except BaseException:
        print(site.logs())
        raise
    finally:
        site.stop_all()


def _create_schema(url: str) -> None:
    from storefront import create_app
    from storefront.config import TestingConfig
    from storefront.extensions import db

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url

    app = create_app(Config)
    with app.app_context():
        db.create_all()
        db.engine.dispose()


@pytest.fixture(scope="module")
def listed_vase_at_one_outlet(postgres_url, cluster):
    """A verified producer with a listed product at one outlet, in the instances' database."""
    from storefront import create_app
    from storefront.config import TestingConfig
    from storefront.extensions import db
    from tests.support.factories import OutletFactory, ProducerFactory, ProducerUserFactory, ProductFactory

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = postgres_url

    app = create_app(Config)
    with app.app_context():
        outlet = OutletFactory(name="Điểm bán Bát Tràng")
        producer_user = ProducerUserFactory(producer=ProducerFactory(status="verified"),
                                            email="gom@example.com")
        product = ProductFactory(producer=producer_user.producer, price=150_000, stock=50,
                                 outlets=[outlet], name_vi="Bình gốm men lam")
        db.session.commit()
        facts = {"product_id": product.id, "slug": product.slug, "outlet_id": outlet.id,
                 "producer_email": producer_user.email}
        db.session.remove()
        db.engine.dispose()
    return facts


def csrf(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=10).text
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)[1]


def sign_in(session, base: str, email: str, password: str) -> requests.Response:
    token = csrf(session, f"{base}/auth/login")
    return session.post(f"{base}/auth/login", data={"csrf_token": token, "email": email,
                                                    "password": password},
                        allow_redirects=False, timeout=10)


def fill_cart(session, base: str, listed_vase_at_one_outlet: dict, quantity: int = 1) -> None:
    token = csrf(session, f"{base}/products/{listed_vase_at_one_outlet['slug']}")
    response = session.post(f"{base}/cart/add", data={"csrf_token": token,
                                                      "product_id": listed_vase_at_one_outlet["product_id"],
                                                      "quantity": quantity}, allow_redirects=False, timeout=10)
    assert response.status_code in (302, 303), response.text[:500]


def check_out(session, base: str, listed_vase_at_one_outlet: dict, email: str) -> str:
    """Go through checkout on ``base``; return the order page's path."""
    token = csrf(session, f"{base}/checkout")
    session.post(f"{base}/checkout", data={
        "csrf_token": token, "name": "Nguyễn Văn Khách", "phone": "0912345678", "email": email,
        "payment_method": "at_pickup", "outlet_id": listed_vase_at_one_outlet["outlet_id"], "review": "1"}, timeout=10)
    page = session.get(f"{base}/checkout/review", timeout=10).text
    placed = session.post(f"{base}/checkout/place", data={"accept_terms": "y",
        "csrf_token": re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)[1],
        "checkout_token": re.search(r'name="checkout_token"[^>]*value="([^"]+)"', page)[1]},
        allow_redirects=False, timeout=30)
    assert placed.status_code in (302, 303) and "/orders/" in placed.headers["Location"], placed.text[:500]
    return placed.headers["Location"]


def outbox_rows(url: str, email: str) -> list:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT id, status FROM outbox_message WHERE to_email = :e"),
                                {"e": email}).all()
    finally:
        engine.dispose()


def test_a_photo_uploaded_through_a_is_served_through_b(cluster, listed_vase_at_one_outlet):
    a, b = cluster.urls["A"], cluster.urls["B"]
    producer = requests.Session()
    assert sign_in(producer, a, listed_vase_at_one_outlet["producer_email"], PASSWORD).status_code in (302, 303)
    photos = f"{a}/producer/products/{listed_vase_at_one_outlet['product_id']}/photos"
    response = producer.post(photos, data={"csrf_token": csrf(producer, photos), "alt_vi": "Bình gốm"},
                             files={"photo": ("binh.jpg", jpeg(), "image/jpeg")}, timeout=30)
    assert response.status_code == 200, response.text[:500]

    page = requests.get(f"{b}/products/{listed_vase_at_one_outlet['slug']}", timeout=10).text
    (large,) = set(re.findall(r'href="([^"]+-1200\.webp)"', page))
    served = requests.get(large, timeout=10)
    assert served.status_code == 200 and served.headers["Content-Type"] == "image/webp"
    assert "max-age=31536000" in served.headers["Cache-Control"]
    assert not any((cluster.tmp / "media-A").rglob("*.webp"))  # nothing kept on A's disk


def test_a_cart_filled_on_a_checks_out_on_b_and_the_worker_mails_once(cluster, listed_vase_at_one_outlet, smtp_inbox,
                                                                       postgres_url):
    a, b = cluster.urls["A"], cluster.urls["B"]
    shopper = requests.Session()
    fill_cart(shopper, a, listed_vase_at_one_outlet, quantity=2)

    order_path = check_out(shopper, b, listed_vase_at_one_outlet, "khach-ab@example.com")

    assert "Bình gốm men lam" in shopper.get(f"{a}{order_path}", timeout=10).text
    mails = wait_for(lambda: [m for m in smtp_inbox.messages if m["To"] == "khach-ab@example.com"],
                     "the order mail")
    wait_for(lambda: {s for _, s in outbox_rows(postgres_url, "khach-ab@example.com")} == {"sent"},
             "the outbox to record the delivery")
    time.sleep(3)  # room for a second delivery, were there to be one
    rows = outbox_rows(postgres_url, "khach-ab@example.com")
    mails = [m for m in smtp_inbox.messages if m["To"] == "khach-ab@example.com"]
    assert len(mails) == len(rows) == 1
    assert order_path.rsplit("/", 1)[-1] in mails[0]["Subject"]


def test_the_login_rate_limit_counts_attempts_on_both_instances(cluster, listed_vase_at_one_outlet):
    a, b = cluster.urls["A"], cluster.urls["B"]
    answers = []
    for attempt in range(6):
        base = a if attempt % 2 == 0 else b
        answers.append(sign_in(requests.Session(), base, "nobody@example.com", "wrong password").status_code)
    assert answers[:5] == [200] * 5  # the form again, with its error
    assert answers[5] == 429  # the sixth in a minute, whichever instance gets it


def test_stopping_a_loses_nothing(cluster, listed_vase_at_one_outlet):
    a, b = cluster.urls["A"], cluster.urls["B"]
    shopper = requests.Session()
    fill_cart(shopper, a, listed_vase_at_one_outlet)
    before = requests.get(f"{b}/products/{listed_vase_at_one_outlet['slug']}", timeout=10).text

    cluster.stop("A")

    with pytest.raises(requests.ConnectionError):
        requests.get(f"{a}/healthz", timeout=5)
    health = requests.get(f"{b}/healthz", timeout=10).json()
    assert health == {"status": "ok", "checks": {"database": "ok", "redis": "ok", "storage": "ok",
                                                 "queue": "ok"}}
    assert requests.get(f"{b}/products/{listed_vase_at_one_outlet['slug']}", timeout=10).text.count("-1200.webp") \
        == before.count("-1200.webp")
    order_path = check_out(shopper, b, listed_vase_at_one_outlet, "khach-after-a@example.com")  # A's cart, on B
    assert "Bình gốm men lam" in shopper.get(f"{b}{order_path}", timeout=10).text
