"""Facet counts: how many products each filter option would show under the other filters.

One tally row per (village slug, stars, group) with its product count is enough for all of
them: each facet's count applies every filter but its own (standard faceting).
"""
from collections import Counter
from dataclasses import dataclass, field

from ..text import fold
from . import queries
from .filters import STAR_LEVELS, CatalogFilters
from .models import GROUP_LABELS, ProductGroup

VILLAGE_CHOICES = 15  # Hanoi has ~1,350 craft villages: offer the busiest, link to the rest


@dataclass
class Choice:
    """One option of a facet with how many products it would show."""

    value: str | int
    label: str
    count: int
    selected: bool


@dataclass
class Facets:
    villages: list[Choice] = field(default_factory=list)
    stars: list[Choice] = field(default_factory=list)
    groups: list[Choice] = field(default_factory=list)
    more_villages: int = 0  # villages with matches that are not offered as choices

    def village_label(self, slug: str) -> str:
        return next((c.label for c in self.villages if c.value == slug), slug)

    def group_label(self, value: str) -> str:
        return next((c.label for c in self.groups if c.value == value), value)


@dataclass
class Tally:
    """The total under every filter, and each facet's counts under the other filters."""

    total: int = 0
    villages: Counter = field(default_factory=Counter)
    stars: Counter = field(default_factory=Counter)
    groups: Counter = field(default_factory=Counter)


def count(rows, filters: CatalogFilters) -> Tally:
    """Add up tally rows (village slug, stars, group, n) under ``filters``."""
    result = Tally()
    villages, stars, group = set(filters.villages), set(filters.stars), filters.group
    for village, level, product_group, n in rows:
        v_ok = not villages or village in villages
        s_ok = not stars or level in stars
        g_ok = not group or product_group == group
        if s_ok and g_ok:
            result.villages[village] += n
        if v_ok and g_ok:
            result.stars[level] += n
        if v_ok and s_ok:
            result.groups[product_group] += n
            if g_ok:
                result.total += n
    return result


def build(tally: Tally, filters: CatalogFilters) -> Facets:
    """Return the facet choices: every star level and group, the busiest villages and the chosen."""
    busiest = [slug for slug, n in tally.villages.most_common(VILLAGE_CHOICES) if n]
    offered = set(busiest) | set(filters.villages)
    villages = sorted(queries.villages_named(offered),
                      key=lambda v: (-tally.villages[v.slug], fold(v.display_name)))
    return Facets(
        villages=[Choice(v.slug, v.display_name, tally.villages[v.slug], v.slug in filters.villages)
                  for v in villages],
        stars=[Choice(s, str(s), tally.stars[s], s in filters.stars) for s in reversed(STAR_LEVELS)],
        groups=[Choice(g.value, str(GROUP_LABELS[g]), tally.groups[g.value], g == filters.group)
                for g in ProductGroup],
        more_villages=sum(1 for slug, n in tally.villages.items() if n and slug not in offered),
    )
