"""Many shoppers checking out different products at one outlet with a pickup limit, all at once.

Their placements share only the outlet: its row guards the pickups-per-day limit. On PostgreSQL
they used to deadlock there (each new pickup's foreign key share-locks the outlet, then each
placement waited to lock it for the limit) and shoppers got the maintenance page. Now every
checkout is placed or refused with a clear message, and the stock and day books balance.
"""
import logging
from collections import Counter
from datetime import datetime, timezone
from functools import partial

import pytest
import time_machine

from storefront.extensions import db
from storefront.models import Order, OrderLine, Pickup, Product
from storefront.orders.placement import OutOfStock, PickupDayUnavailable, place_order
from storefront.pickup import calendars
from tests.support.checkout_support import CONTACT, Line
from tests.support.factories import OutletFactory, ProducerFactory, ProductFactory
from tests.support.race import at_once

THREADS = 50
CHECKOUTS_PER_THREAD = 4  # 200 in all
STOCK = 3                 # so each thread's fourth checkout finds its product sold out...
PER_DAY = 60              # ...unless its day is full first: 25 threads x 3 units want 75 places a day
MONDAY_10_IN_HANOI = datetime(2027, 3, 1, 3, 0, tzinfo=timezone.utc)


@pytest.fixture
def race_app(make_app):
    # 50 threads share a bounded pool (the test server is shared): they queue for connections,
    # and the ones holding a connection race for the outlet's row.
    app = make_app(SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True, "pool_size": 10,
                                              "max_overflow": 5, "pool_timeout": 300})
    with time_machine.travel(MONDAY_10_IN_HANOI, tick=True), app.app_context():
        yield app
        db.session.remove()


@pytest.fixture
def outlet_with_a_daily_limit(race_app):
    outlet = OutletFactory(name="Điểm bán Phố cổ", pickups_per_day=PER_DAY)
    producer = ProducerFactory()
    products = ProductFactory.create_batch(THREADS, producer=producer, stock=STOCK, price=120_000,
                                           outlets=[outlet])
    days = calendars.day_choices(outlet, products[:1])[:2]
    return outlet, products, days


def shopper(outlet_id, product_id, price, day):
    """Check out one unit of a product for ``day`` four times; return each outcome."""
    outcomes = []
    for attempt in range(CHECKOUTS_PER_THREAD):
        try:
            placed = place_order([Line(product_id, 1, price)], CONTACT, {product_id: outlet_id},
                                 "at_pickup", f"race-{product_id}-{attempt}",
                                 pickup_days={outlet_id: day})
            outcomes.append(("placed", placed.order.pickups[0].pickup_day))
        except OutOfStock as error:
            outcomes.append(("sold out", str(error)))
        except PickupDayUnavailable as error:
            outcomes.append(("day full", str(error)))
        except Exception as error:  # noqa: BLE001 — reported by the assertion
            outcomes.append(("error", repr(error)))
    return outcomes


def test_two_hundred_checkouts_at_one_outlet_are_placed_or_clearly_refused(
        race_app, outlet_with_a_daily_limit, caplog):
    outlet, products, days = outlet_with_a_daily_limit
    # Plain values only: the threads have sessions of their own.
    jobs = [partial(shopper, outlet.id, p.id, p.price, days[n % 2]) for n, p in enumerate(products)]

    with caplog.at_level(logging.INFO):
        outcomes = [o for result in at_once(race_app, *jobs) for o in result]

    kinds = Counter(kind for kind, _detail in outcomes)
    assert [o for o in outcomes if o[0] == "error"] == [] and sum(kinds.values()) == 200
    # Each day takes exactly its limit; everyone else hears why not.
    assert kinds["placed"] == 2 * PER_DAY
    assert Counter(day for kind, day in outcomes if kind == "placed") == {d: PER_DAY for d in days}
    assert all("Chỉ còn 0 sản phẩm" in detail for kind, detail in outcomes if kind == "sold out")
    assert all("Điểm bán Phố cổ" in detail and "đủ lượt" in detail
               for kind, detail in outcomes if kind == "day full")
    assert kinds["sold out"] + kinds["day full"] == 200 - 2 * PER_DAY
    assert not [r for r in caplog.records if "Database unavailable" in r.getMessage()]
    # Not one deadlock to retry: the placements lock in one order.
    assert not [r for r in caplog.records if "running it again" in r.getMessage()]
    _assert_books_balance(outlet, products, days)


def _assert_books_balance(outlet, products, days):
    """Stock left plus units sold is the stock each product started with; days hold their limit."""
    db.session.expire_all()
    sold = dict(db.session.execute(db.select(OrderLine.product_id, db.func.sum(OrderLine.quantity))
                                   .group_by(OrderLine.product_id)).all())
    for product in products:
        left = db.session.get(Product, product.id).stock
        assert left >= 0 and left + sold.get(product.id, 0) == STOCK, product.id
    booked = calendars.booked_counts(outlet.id, min(days), max(days))
    assert booked == {day: PER_DAY for day in days}
    pickups = db.session.scalar(db.select(db.func.count()).select_from(Pickup))
    orders = db.session.scalar(db.select(db.func.count()).select_from(Order))
    assert pickups == orders == sum(sold.values()) == 2 * PER_DAY
