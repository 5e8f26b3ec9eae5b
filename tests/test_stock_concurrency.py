"""Shoppers racing for the last units: stock never goes below zero, whatever the concurrency.

Each thread places through ``place_order`` in its own app context (so its own session and
connection) on the fixtures' file database: SQLite serialises the writers, PostgreSQL locks
the product rows for real.
"""
import threading

from storefront.extensions import db
from storefront.models import Order
from storefront.orders.placement import AlreadyPlaced, OutOfStock, place_order
from tests.checkout_support import CONTACT, Line, stock_of
from tests.factories import OutletFactory, ProductFactory

SHOPPERS = 8


def race(app, baskets: list[list[Line]], assignment: dict) -> list[str]:
    """Let every basket be placed at the same moment; return each one's outcome."""
    outcomes = [None] * len(baskets)
    start = threading.Barrier(len(baskets))

    def shopper(n: int) -> None:
        with app.app_context():
            try:
                start.wait()
                place_order(baskets[n], CONTACT, assignment, "at_pickup", f"race-{n}")
                outcomes[n] = "placed"
            except OutOfStock:
                outcomes[n] = "out of stock"
            except Exception as error:  # noqa: BLE001 — reported by the assertion below
                outcomes[n] = repr(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=shopper, args=(n,)) for n in range(len(baskets))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_eight_shoppers_after_the_last_three_units_make_exactly_three_orders(app):
    outlet = OutletFactory()
    product = ProductFactory(stock=3, price=100_000, outlets=[outlet])
    basket = [Line(product.id, 1, product.price)]

    outcomes = race(app, [basket] * SHOPPERS, {product.id: outlet.id})

    assert sorted(outcomes) == ["out of stock"] * (SHOPPERS - 3) + ["placed"] * 3
    assert stock_of(product) == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(Order)) == 3


def test_baskets_listing_the_same_products_in_opposite_orders_do_not_deadlock(app):
    outlet = OutletFactory()
    first = ProductFactory(stock=4, outlets=[outlet])
    second = ProductFactory(stock=4, outlets=[outlet])
    forward = [Line(first.id, 1, first.price), Line(second.id, 1, second.price)]
    backward = list(reversed(forward))

    outcomes = race(app, [forward, backward] * (SHOPPERS // 2),
                    {first.id: outlet.id, second.id: outlet.id})

    assert sorted(outcomes) == ["out of stock"] * (SHOPPERS - 4) + ["placed"] * 4
    assert (stock_of(first), stock_of(second)) == (0, 0)


def test_two_submits_of_one_checkout_racing_place_one_order(app):
    outlet = OutletFactory()
    product = ProductFactory(stock=5, outlets=[outlet])
    basket = [Line(product.id, 2, product.price)]
    outcomes = [None, None]
    start = threading.Barrier(2)

    def submit(n: int) -> None:
        with app.app_context():
            try:
                start.wait()
                outcomes[n] = place_order(basket, CONTACT, {product.id: outlet.id}, "at_pickup",
                                          "one-checkout").order.id
            except AlreadyPlaced as error:
                outcomes[n] = ("already", error.order.id)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    (placed_id,) = [o for o in outcomes if isinstance(o, int)]
    assert ("already", placed_id) in outcomes
    assert stock_of(product) == 3
