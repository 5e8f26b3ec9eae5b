"""Outages degrade, never break: Redis down keeps sign-in working; the database down answers 503."""
import logging
import subprocess
import time

import pytest
import redis

from tests.factories import PASSWORD, ProductFactory, UserFactory
from tests.smtp_server import free_port


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
