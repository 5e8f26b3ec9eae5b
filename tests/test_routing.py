"""Routing a cart to pickup outlets (docs/domain.md §Routing), on hand-made carts: product id -> outlet ids."""
import pytest

from storefront.orders import routing
from storefront.orders.routing import CannotMove, Group, NotCarried


def test_outlets_carrying_every_item_are_the_common_choices():
    carriers = {1: {10, 20, 30}, 2: {20, 30}, 3: {30, 20, 40}}
    assert routing.common_outlets(carriers) == [20, 30]


def test_a_cart_one_outlet_carries_entirely_is_one_pickup_there():
    carriers = {1: {10, 20}, 2: {20}, 3: {20, 30}}
    assert routing.route(carriers) == [Group(20, (1, 2, 3))]


def test_among_outlets_carrying_everything_the_preferred_one_wins_else_the_lowest_id():
    carriers = {1: {10, 20, 30}, 2: {10, 20, 30}}
    assert routing.route(carriers, preferred=30) == [Group(30, (1, 2))]
    assert routing.route(carriers) == [Group(10, (1, 2))]
    assert routing.route(carriers, preferred=99) == [Group(10, (1, 2))]


def test_with_no_common_outlet_the_cart_splits_into_the_fewest_pickups():
    # Sending each item to its lowest-id outlet would need three pickups (10, 20, 30);
    # taking 40 (three items) first needs two.
    carriers = {1: {10, 40}, 2: {20, 40}, 3: {30, 40}, 4: {10}}
    assert routing.route(carriers) == [Group(40, (1, 2, 3)), Group(10, (4,))]


def test_the_split_takes_the_outlet_with_most_remaining_items_first():
    carriers = {1: {10}, 2: {10, 20}, 3: {20}, 4: {20}, 5: {30}}
    assert routing.split(carriers) == [Group(20, (2, 3, 4)), Group(10, (1,)), Group(30, (5,))]


def test_split_ties_go_to_the_preferred_outlet_then_the_lowest_id():
    carriers = {1: {10, 20}, 2: {10, 20}, 3: {30}}
    assert routing.split(carriers) == [Group(10, (1, 2)), Group(30, (3,))]
    assert routing.split(carriers, preferred=20) == [Group(20, (1, 2)), Group(30, (3,))]


def test_a_product_no_active_outlet_carries_cannot_be_routed():
    with pytest.raises(NotCarried) as raised:
        routing.route({1: {10}, 2: set(), 3: []})
    assert raised.value.product_ids == (2, 3)


def test_a_group_moves_to_an_outlet_carrying_all_of_its_items():
    carriers = {1: {10, 20}, 2: {10, 20}, 3: {30}}
    groups = routing.split(carriers)
    moved = routing.move(groups, 10, 20, carriers)
    assert sorted(moved, key=lambda g: g.outlet_id) == [Group(20, (1, 2)), Group(30, (3,))]


def test_a_group_cannot_move_to_an_outlet_missing_one_of_its_items():
    carriers = {1: {10, 20}, 2: {10}, 3: {30}}
    groups = routing.split(carriers)
    with pytest.raises(CannotMove) as raised:
        routing.move(groups, 10, 20, carriers)
    assert raised.value.product_ids == (1, 2)
    with pytest.raises(CannotMove):
        routing.move_many(groups, {10: 20}, carriers)


def test_a_group_moved_onto_another_groups_outlet_joins_it():
    carriers = {1: {10, 30}, 2: {10, 30}, 3: {30}}
    groups = [Group(10, (1, 2)), Group(30, (3,))]
    assert routing.move(groups, 10, 30, carriers) == [Group(30, (1, 2, 3))]


def test_moving_several_groups_at_once_checks_each_against_its_new_outlet():
    carriers = {1: {10, 20}, 2: {30, 40}}
    groups = [Group(10, (1,)), Group(30, (2,))]
    assert routing.move_many(groups, {10: 20, 30: 40}, carriers) == [Group(20, (1,)), Group(40, (2,))]


def test_alternatives_are_the_outlets_carrying_the_whole_group():
    carriers = {1: {10, 20, 30}, 2: {10, 30}, 3: {20}}
    assert routing.alternatives(Group(10, (1, 2)), carriers) == [10, 30]


def test_check_refuses_an_assignment_sending_an_item_where_it_is_not_carried():
    carriers = {1: {10}, 2: {20}}
    routing.check({1: 10, 2: 20}, carriers)
    with pytest.raises(CannotMove):
        routing.check({1: 10, 2: 10}, carriers)
    with pytest.raises(CannotMove):
        routing.check({1: 10}, carriers)  # an item left out
    with pytest.raises(CannotMove):
        routing.check({1: 10, 2: 20, 3: 20}, carriers)  # an item not in the cart
