"""Route a cart to pickup outlets (docs/domain.md §Routing): pure functions over product and outlet ids.

``carriers`` maps each product id in the cart to the ids of the *active* outlets that carry
it. A plan is a list of ``Group``s, one per outlet; ``assignment`` is the same plan as
``{product_id: outlet_id}``, the form it is kept in between requests and given to placement.
"""
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

Carriers = Mapping[int, Iterable[int]]


class RoutingError(Exception):
    """The cart cannot be routed as asked."""


class NotCarried(RoutingError):
    """Some products are carried by no active outlet."""

    def __init__(self, product_ids: Iterable[int]):
        self.product_ids = tuple(sorted(product_ids))
        super().__init__(f"not carried by any active outlet: {self.product_ids}")


class CannotMove(RoutingError):
    """The chosen outlet does not carry every item of the group."""

    def __init__(self, outlet_id: int, product_ids: Iterable[int]):
        self.outlet_id, self.product_ids = outlet_id, tuple(sorted(product_ids))
        super().__init__(f"outlet {outlet_id} does not carry all of {self.product_ids}")


@dataclass(frozen=True)
class Group:
    """The items collected together at one outlet."""

    outlet_id: int
    product_ids: tuple[int, ...]


def _check_carried(carriers: Carriers) -> None:
    missing = [pid for pid, outlets in carriers.items() if not set(outlets)]
    if missing:
        raise NotCarried(missing)


def common_outlets(carriers: Carriers) -> list[int]:
    """Return, by id, the outlets that carry every product (none for an empty cart)."""
    sets = [set(outlets) for outlets in carriers.values()]
    return sorted(set.intersection(*sets)) if sets else []


def carries_all(outlet_id: int, product_ids: Iterable[int], carriers: Carriers) -> bool:
    return all(outlet_id in set(carriers.get(pid, ())) for pid in product_ids)


def alternatives(group: Group, carriers: Carriers) -> list[int]:
    """Return, by id, every outlet that could take this whole group (its own included)."""
    candidates = set.union(*(set(carriers[pid]) for pid in group.product_ids))
    return sorted(o for o in candidates if carries_all(o, group.product_ids, carriers))


def split(carriers: Carriers, preferred: int | None = None) -> list[Group]:
    """Split the cart into the fewest pickups, greedily.

    Repeatedly take the outlet carrying the most remaining items; ties go to the shopper's
    preferred outlet, then to the lowest id.

    :raises NotCarried: a product has no active outlet.
    """
    _check_carried(carriers)
    remaining = set(carriers)
    groups = []
    while remaining:
        counts: dict[int, set[int]] = {}
        for pid in remaining:
            for outlet_id in carriers[pid]:
                counts.setdefault(outlet_id, set()).add(pid)
        best = max(counts, key=lambda o: (len(counts[o]), o == preferred, -o))
        groups.append(Group(best, tuple(sorted(counts[best]))))
        remaining -= counts[best]
    return groups


def route(carriers: Carriers, preferred: int | None = None) -> list[Group]:
    """Return one group at an outlet carrying everything (the preferred one if it can), else a split.

    :raises NotCarried: a product has no active outlet.
    """
    _check_carried(carriers)
    common = common_outlets(carriers)
    if not common:
        return split(carriers, preferred)
    outlet_id = preferred if preferred in common else common[0]
    return [Group(outlet_id, tuple(sorted(carriers)))]


def move(groups: list[Group], from_outlet: int, to_outlet: int, carriers: Carriers) -> list[Group]:
    """Move the group at ``from_outlet`` to ``to_outlet``, joining a group already there.

    :raises CannotMove: ``to_outlet`` does not carry every item of the group.
    :raises KeyError: no group is at ``from_outlet``.
    """
    moving = next((g for g in groups if g.outlet_id == from_outlet), None)
    if moving is None:
        raise KeyError(from_outlet)
    if to_outlet == from_outlet:
        return list(groups)
    if not carries_all(to_outlet, moving.product_ids, carriers):
        raise CannotMove(to_outlet, moving.product_ids)
    assignment = assignment_of(groups)
    assignment.update({pid: to_outlet for pid in moving.product_ids})
    return groups_of(assignment)


def move_many(groups: list[Group], moves: Mapping[int, int], carriers: Carriers) -> list[Group]:
    """Move several groups at once (``{from outlet: to outlet}``); groups landing together join.

    :raises CannotMove: a target outlet does not carry every item of the group sent to it.
    """
    assignment = {}
    for group in groups:
        target = moves.get(group.outlet_id, group.outlet_id)
        if not carries_all(target, group.product_ids, carriers):
            raise CannotMove(target, group.product_ids)
        assignment.update({pid: target for pid in group.product_ids})
    return groups_of(assignment)


def assignment_of(groups: Iterable[Group]) -> dict[int, int]:
    return {pid: group.outlet_id for group in groups for pid in group.product_ids}


def groups_of(assignment: Mapping[int, int]) -> list[Group]:
    """Return the groups of an assignment, biggest first, then by outlet id."""
    by_outlet: dict[int, list[int]] = {}
    for pid, outlet_id in assignment.items():
        by_outlet.setdefault(outlet_id, []).append(pid)
    groups = [Group(o, tuple(sorted(pids))) for o, pids in by_outlet.items()]
    return sorted(groups, key=lambda g: (-len(g.product_ids), g.outlet_id))


def check(assignment: Mapping[int, int], carriers: Carriers) -> None:
    """Make sure the assignment covers exactly the cart and sends each item where it is carried.

    :raises NotCarried: a product has no active outlet.
    :raises CannotMove: an item is missing, extra, or sent to an outlet that does not carry it.
    """
    _check_carried(carriers)
    if set(assignment) != set(carriers):
        raise CannotMove(0, set(assignment) ^ set(carriers))
    for pid, outlet_id in assignment.items():
        if outlet_id not in set(carriers[pid]):
            raise CannotMove(outlet_id, [pid])
