"""Outages degrade, never break: Redis down keeps sign-in working; the database down answers 503."""
import logging
import subprocess
import time

import pytest
import redis
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.pool import NullPool

from storefront.extensions import db
from storefront.models import Product
from tests.conftest import BACKEND
from tests.support.factories import PASSWORD, ProductFactory, UserFactory
from tests.support.smtp_server import free_port

# A connection can be ended under a request only on a database server.
needs_a_server = pytest.mark.skipif(BACKEND == "sqlite", reason="SQLite has no connection to end")


@pytest.fixture
def private_redis(tmp_path):
    """A redis-server of this test's own on a free port; the test may kill it."""
    port = free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield process, f"redis://127.0.0.1:{port}/0"
    if process.poll() is None:
        process.kill()
    process.wait()


def _kill(process):
    process.kill()
    process.wait()


def test_sign_in_keeps_working_with_a_per_process_limit_when_redis_dies(make_app, private_redis):
    process, url = private_redis
    app = make_app(RATELIMIT_STORAGE_URI=url, LOGIN_RATE_LIMIT="3 per hour")
    client = app.test_client()
    with app.app_context():
        email = UserFactory(email="shopper@example.com").email

    def attempt(password):
        return client.post("/auth/login", data={"email": email, "password": password})

    assert attempt(PASSWORD).status_code == 302
    client.post("/auth/logout")
    _kill(process)

    assert attempt(PASSWORD).status_code == 302  # Redis is dead; sign-in still works
    client.post("/auth/logout")
    for n in range(3):
        assert attempt(f"wrong {n}").status_code == 200
    assert attempt(PASSWORD).status_code == 429  # and is still limited, in this process's memory


def test_a_dead_cache_logs_one_warning_a_minute_not_one_per_request(make_app, private_redis, caplog):
    process, url = private_redis
    app = make_app(CACHE_TYPE="RedisCache", CACHE_REDIS_URL=url, CATALOG_COUNT_CACHE_SECONDS=60)
    client = app.test_client()
    with app.app_context():
        ProductFactory(name_vi="Gốm Bát Tràng")
    assert client.get("/products").status_code == 200
    _kill(process)
    from storefront import outages
    outages._last_warned.clear()

    with caplog.at_level(logging.WARNING):
        pages = [client.get("/products") for _ in range(5)]

    assert all(page.status_code == 200 and "Gốm Bát Tràng" in page.get_data(as_text=True) for page in pages)
    cache_warnings = [r for r in caplog.records if "Cache unreachable" in r.getMessage()]
    assert len(cache_warnings) == 1
    assert not any(r.exc_info for r in cache_warnings)


def _unreachable_database(database_url, tmp_path):
    if database_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path}/no-such-dir/down.db"
    return f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/down?connect_timeout=2"


@pytest.mark.parametrize("path", ["/", "/products", "/villages", "/products/gom-bat-trang"])
def test_pages_answer_503_with_retry_after_while_the_database_is_down(make_app, database_url, tmp_path, path):
    make_app()  # the suite's own app, which empties the tables afterwards
    app = make_app(SQLALCHEMY_DATABASE_URI=_unreachable_database(database_url, tmp_path))

    response = app.test_client().get(path)

    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    assert "Hệ thống đang tạm gián đoạn" in response.get_data(as_text=True)


def test_the_api_answers_a_json_503_while_the_database_is_down(make_app, database_url, tmp_path):
    make_app()
    app = make_app(SQLALCHEMY_DATABASE_URI=_unreachable_database(database_url, tmp_path))

    response = app.test_client().get("/api/products")

    assert response.status_code == 503
    assert response.get_json()["status"] == 503
    assert "Retry-After" in response.headers


def test_a_signed_in_visitor_gets_503_not_500_while_the_database_is_down(make_app, database_url, tmp_path):
    app = make_app()
    client = app.test_client()
    with app.app_context():
        email = UserFactory().email
    assert client.post("/auth/login", data={"email": email, "password": PASSWORD}).status_code == 302
    down = make_app(SQLALCHEMY_DATABASE_URI=_unreachable_database(database_url, tmp_path))
    cookie = client.get_cookie("session").value
    other = down.test_client()
    other.set_cookie("session", cookie)

    response = other.get("/auth/account")

    assert response.status_code == 503


def _end_own_connection() -> None:
    """End this session's connection from the server's side, as a PostgreSQL restart does."""
    pid = db.session.execute(text("select pg_backend_pid()")).scalar()
    killer = create_engine(db.engine.url, poolclass=NullPool)
    with killer.connect() as conn:
        conn.execute(text("select pg_terminate_backend(:pid)"), {"pid": pid})
    killer.dispose()


@needs_a_server
def test_a_page_made_before_the_database_died_still_goes_out(make_app):
    app = make_app()

    @app.get("/_test/read-then-lose-the-database")
    def read_then_lose_the_database():
        count = db.session.scalar(select(func.count()).select_from(Product))
        _end_own_connection()  # the session still holds the connection, in its transaction
        return f"{count} products"

    client = app.test_client()
    response = client.get("/_test/read-then-lose-the-database")  # used to raise at teardown: a bare 500

    assert (response.status_code, response.get_data(as_text=True)) == (200, "0 products")
    assert client.get("/products").status_code == 200  # a new connection serves the next request


@needs_a_server
def test_a_request_in_flight_when_the_database_dies_gets_the_503_page(make_app, caplog):
    app = make_app()

    @app.get("/_test/lose-the-database-midway")
    def lose_the_database_midway():
        db.session.execute(text("select 1"))
        _end_own_connection()
        db.session.execute(text("select 2"))
        return "not reached"

    from storefront import outages
    outages._last_warned.clear()
    with caplog.at_level(logging.WARNING):
        response = app.test_client().get("/_test/lose-the-database-midway")

    assert response.status_code == 503 and int(response.headers["Retry-After"]) > 0
    assert "Hệ thống đang tạm gián đoạn" in response.get_data(as_text=True)
    assert [r.getMessage() for r in caplog.records if "Database unavailable" in r.getMessage()]
