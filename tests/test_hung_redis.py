"""A Redis that accepts connections and never answers costs a page one short timeout, then the
same fallbacks as a Redis that is down: limits in each process's memory, counts counted afresh,
mail left to the outbox sweep.

The hung Redis is a real socket (``SilentServer``); each request runs under a generous guard, so a
page that waited on Redis as it used to (60 s and more) fails the test instead of hanging it.
"""
import logging
import threading

import pytest

from storefront import outages
from storefront.notifications.models import OutboxMessage, OutboxStatus
from tests.support.factories import PASSWORD, ProductFactory, UserFactory
from tests.support.smtp_server import SilentServer
from tests.test_mail_queue import place_order_through_the_pages

GUARD_SECONDS = 20  # far above the 0.5 s timeouts; far below the old 60 s hangs


@pytest.fixture
def hung_redis():
    server = SilentServer()
    yield server, f"redis://127.0.0.1:{server.port}/0"
    server.stop()


def answered(request):
    """Run ``request()`` under the guard; return its response."""
    done = []
    thread = threading.Thread(target=lambda: done.append(request()), daemon=True)
    thread.start()
    thread.join(GUARD_SECONDS)
    assert done, f"no answer within {GUARD_SECONDS} s: something waits on the hung Redis"
    return done[0]


def _in_context(app, function, *args):
    with app.app_context():
        return function(*args) or True


@pytest.fixture
def shop_on_hung_redis(make_app, hung_redis):
    server, url = hung_redis
    app = make_app(REDIS_URL=url, RATELIMIT_STORAGE_URI=url, CACHE_TYPE="RedisCache",
                   CACHE_REDIS_URL=url, CATALOG_COUNT_CACHE_SECONDS=60, TASKS_IMMEDIATE=False,
                   MAIL_SEND_AFTER_COMMIT=True, LOGIN_RATE_LIMIT="3 per hour")
    outages._last_warned.clear()
    with app.app_context():
        yield app, server


def test_home_and_catalogue_count_afresh(shop_on_hung_redis, caplog):
    app, server = shop_on_hung_redis
    ProductFactory(name_vi="Gốm Bát Tràng")
    client = app.test_client()

    with caplog.at_level(logging.WARNING):
        pages = [answered(lambda: client.get(path)) for path in ("/", "/products", "/products")]

    assert server.connections  # the app did try the hung Redis
    assert all(page.status_code == 200 for page in pages)
    assert "Gốm Bát Tràng" in pages[1].get_data(as_text=True)
    assert [r for r in caplog.records if "Cache unreachable" in r.getMessage()]


def test_sign_in_is_limited_in_this_process_memory(shop_on_hung_redis):
    app, _server = shop_on_hung_redis
    email = UserFactory(email="shopper@example.com").email
    client = app.test_client()

    def attempt(password):
        return answered(lambda: client.post("/auth/login", data={"email": email, "password": password}))

    assert attempt(PASSWORD).status_code == 302
    client.post("/auth/logout")
    for n in range(3):
        assert attempt(f"wrong {n}").status_code == 200
    assert attempt(PASSWORD).status_code == 429  # still limited, in this process's memory


def test_checkout_places_the_order_and_leaves_its_mail_to_the_sweep(shop_on_hung_redis, caplog):
    app, _server = shop_on_hung_redis
    client = app.test_client()

    with caplog.at_level(logging.WARNING):
        answered(lambda: _in_context(app, place_order_through_the_pages, client))

    messages = OutboxMessage.query.all()
    assert messages and {m.status for m in messages} == {OutboxStatus.PENDING}  # kept for the sweep
    warnings = [r for r in caplog.records if "could not enqueue" in r.getMessage()]
    assert len(warnings) == 1 and not warnings[0].exc_info  # one line, not a traceback per mail
