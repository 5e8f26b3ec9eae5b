"""Facet counts: how many products each filter option would show under the other filters.

One tally row per (village slug, stars, group) with its product count is enough for all of
them: each facet's count applies every filter but its own (standard faceting).
"""
from collections import Counter
from dataclasses import dataclass, field

from ..text import fold
from . import queries
from .filters import STAR_LEVELS, CatalogFilters
from .models import GROUP_LABELS, ProductGroup, _in_locale as in_locale

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


@dataclass
class VillageCount:
    """A village offered in the facet, with what it needs to be shown in either language."""

    slug: str
    name: str
    name_en: str | None
    count: int
    folded: str = ""  # the names folded once, when counted, for sorting
    folded_en: str = ""

    @property
    def display_name(self) -> str:
        return in_locale(self.name, self.name_en)

    def sort_key(self) -> tuple:
        """Busiest first, then by the name shown, accents ignored."""
        return -self.count, in_locale(self.folded, self.folded_en)

    @classmethod
    def of(cls, village, count: int) -> "VillageCount":
        return cls(village.slug, village.name, village.name_en, count,
                   fold(village.name), fold(village.name_en or ""))


@dataclass
class Counts:
    """Everything a page counts under one filter set: plain values, so they can be cached."""

    total: int = 0
    stars: dict = field(default_factory=dict)
    groups: dict = field(default_factory=dict)
    villages: list[VillageCount] = field(default_factory=list)  # the busiest and the chosen
    more_villages: int = 0  # villages with matches that are not offered as choices


def summarise(rows, filters: CatalogFilters) -> Counts:
    """Return the total and facet counts of tally ``rows`` under ``filters``, with village names."""
    tally = count(rows, filters)
    busiest = [slug for slug, n in tally.villages.most_common(VILLAGE_CHOICES) if n]
    offered = set(busiest) | set(filters.villages)
    villages = [VillageCount.of(v, tally.villages[v.slug])
                for v in queries.villages_named(offered)] if offered else []
    return Counts(
        total=tally.total, stars=dict(tally.stars), groups=dict(tally.groups), villages=villages,
        more_villages=sum(1 for slug, n in tally.villages.items() if n and slug not in offered),
    )


def build(counts: Counts, filters: CatalogFilters) -> Facets:
    """Return the facet choices: every star level and group, the busiest villages and the chosen."""
    villages = sorted(counts.villages, key=VillageCount.sort_key)
    return Facets(
        villages=[Choice(v.slug, v.display_name, v.count, v.slug in filters.villages)
                  for v in villages],
        stars=[Choice(s, str(s), counts.stars.get(s, 0), s in filters.stars)
               for s in reversed(STAR_LEVELS)],
        groups=[Choice(g.value, str(GROUP_LABELS[g]), counts.groups.get(g.value, 0),
                       g == filters.group) for g in ProductGroup],
        more_villages=counts.more_villages,
    )
