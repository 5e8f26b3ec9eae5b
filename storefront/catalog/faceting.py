"""Facet counts: how many products each filter option would show under the other filters.

Each facet's count applies every filter but its own (standard faceting). The database returns
them already summed (``queries.tally``): (stars, group) counts under the village filter, from
which the total, star and group counts follow, and the busiest villages under the star and
group filters, with how many villages match at all.
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
    count: int | None  # None: not counted (a search matching more than the count limit)
    selected: bool


@dataclass
class Facets:
    villages: list[Choice] = field(default_factory=list)
    stars: list[Choice] = field(default_factory=list)
    groups: list[Choice] = field(default_factory=list)
    more_villages: int = 0  # villages with matches that are not offered as choices
    villages_partial: bool = False  # the villages offered are some of those with matches

    def village_label(self, slug: str) -> str:
        return next((c.label for c in self.villages if c.value == slug), slug)

    def group_label(self, value: str) -> str:
        return next((c.label for c in self.groups if c.value == value), value)


@dataclass
class Tally:
    """The total under every filter, and the star and group counts under the other filters."""

    total: int = 0
    stars: Counter = field(default_factory=Counter)
    groups: Counter = field(default_factory=Counter)


def count(rows, filters: CatalogFilters) -> Tally:
    """Add up (stars, group, n) rows, counted under the village filter, under the other filters."""
    result = Tally()
    stars, group = set(filters.stars), filters.group
    for level, product_group, n in rows:
        s_ok = not stars or level in stars
        g_ok = not group or product_group == group
        if g_ok:
            result.stars[level] += n
        if s_ok:
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
    # A text search counts at most CATALOG_SEARCH_COUNT_LIMIT matches (``queries.tally``); past it:
    total_over: bool = False  # more than ``total`` products match (``total`` is the limit)
    groups_counted: bool = True  # the star and group counts are exact (else not shown)
    villages_counted: bool = True  # the village counts are exact (else the busiest of the first)


def summarise(tallied, filters: CatalogFilters) -> Counts:
    """Return the total and facet counts of ``queries.tally``'s rows under ``filters``."""
    tally = count(tallied.stars_groups, filters)
    matched = tallied.villages[0][4] if tallied.villages else 0
    villages = [VillageCount(slug, name, name_en, n, fold(name), fold(name_en or ""))
                for slug, name, name_en, n, _matched in tallied.villages]
    found = {v.slug for v in villages}
    missing = [slug for slug in filters.villages if slug not in found]
    if missing:  # chosen villages nothing matches are offered too, with 0
        villages += [VillageCount.of(v, 0) for v in queries.villages_named(missing)]
    counts = Counts(total=tally.total, stars=dict(tally.stars), groups=dict(tally.groups),
                    villages=villages, more_villages=matched - len(found),
                    groups_counted=not tallied.groups_over, villages_counted=not tallied.villages_over)
    if tallied.total is not None:
        counts.total_over = tallied.total > tallied.limit
        counts.total = min(tallied.total, tallied.limit)
    return counts


def build(counts: Counts, filters: CatalogFilters) -> Facets:
    """Return the facet choices: every star level and group, the busiest villages and the chosen."""
    villages = sorted(counts.villages, key=VillageCount.sort_key)

    def counted(n: int, exact: bool) -> int | None:
        return n if exact else None

    return Facets(
        villages=[Choice(v.slug, v.display_name, counted(v.count, counts.villages_counted),
                         v.slug in filters.villages) for v in villages],
        stars=[Choice(s, str(s), counted(counts.stars.get(s, 0), counts.groups_counted),
                      s in filters.stars) for s in reversed(STAR_LEVELS)],
        groups=[Choice(g.value, str(GROUP_LABELS[g]),
                       counted(counts.groups.get(g.value, 0), counts.groups_counted), g == filters.group)
                for g in ProductGroup],
        more_villages=counts.more_villages if counts.villages_counted else 0,
        villages_partial=not counts.villages_counted,
    )
