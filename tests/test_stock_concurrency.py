"""Shoppers racing for the last units: stock never goes below zero, whatever the concurrency.

Each thread places through ``place_order`` in its own app context (so its own session and
connection) on the fixtures' file database: SQLite serialises the writers, PostgreSQL locks
the product rows for real.
"""
from functools import partial

from storefront.extensions import db
from storefront.models import Order
from storefront.orders.placement import AlreadyPlaced, OutOfStock, PlacedOrder, place_order
from tests.support.checkout_support import CONTACT, Line, stock_of
from tests.support.factories import OutletFactory, ProductFactory
from tests.support.race import at_once

SHOPPERS = 8


def race(app, baskets: list[list[Line]], assignment: dict) -> list[str]:
    """Let every basket be placed at the same moment; return each one's outcome."""
    results = at_once(app, *[partial(place_order, basket, CONTACT, assignment, "at_pickup", f"race-{n}")
                             for n, basket in enumerate(baskets)])
    return ["placed" if isinstance(r, PlacedOrder) else
            "out of stock" if isinstance(r, OutOfStock) else repr(r) for r in results]


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

    def submit():
        try:
            return place_order(basket, CONTACT, {product.id: outlet.id}, "at_pickup",
                               "one-checkout").order.id
        except AlreadyPlaced as error:
            return ("already", error.order.id)

    outcomes = at_once(app, submit, submit)

    (placed_id,) = [o for o in outcomes if isinstance(o, int)]
    assert ("already", placed_id) in outcomes
    assert stock_of(product) == 3
