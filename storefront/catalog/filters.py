"""Catalogue filters: read and checked here once, for the pages and the JSON API alike.

An unknown but well-formed village slug is not an error: it simply matches nothing
(villages come and go; a shared link to a removed one should not break).
"""
import enum
import re
from dataclasses import dataclass, field, replace

from flask_babel import gettext as _

from ..text import fold
from .models import PlaceType, ProductGroup

PER_PAGE = 24
MAX_PAGE = 10_000  # keeps OFFSET far from integer overflow on every backend
MAX_QUERY_LENGTH = 200
STAR_LEVELS = (3, 4, 5)
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")


class Sort(enum.StrEnum):
    NEWEST = "newest"
    PRICE_ASC = "price_asc"
    PRICE_DESC = "price_desc"
    STARS = "stars"


class BadFilter(ValueError):
    """A filter value in the query string cannot be understood."""

    def __init__(self, name: str, message: str):
        self.name = name
        super().__init__(message)


def _values(args, name: str) -> list[str]:
    """Return the non-blank values of a query parameter (a blank form field means "any")."""
    return [v.strip() for v in args.getlist(name) if v and v.strip()]


def _single(args, name: str) -> str | None:
    values = _values(args, name)
    if len(values) > 1:
        raise BadFilter(name, _("Chỉ được chọn một giá trị cho “%(name)s”.", name=name))
    return values[0] if values else None


def _parse_villages(args) -> tuple[str, ...]:
    slugs = _values(args, "village")
    for slug in slugs:
        if not _SLUG.match(slug):
            raise BadFilter("village", _("Mã làng nghề “%(value)s” không hợp lệ.", value=slug[:40]))
    return tuple(dict.fromkeys(slugs))


def _parse_stars(args) -> tuple[int, ...]:
    levels = []
    for raw in _values(args, "stars"):
        if raw not in {str(s) for s in STAR_LEVELS}:
            raise BadFilter("stars", _("Hạng sao phải là 3, 4 hoặc 5, không phải “%(value)s”.",
                                       value=raw[:40]))
        levels.append(int(raw))
    return tuple(sorted(set(levels)))


def _parse_group(args) -> str | None:
    raw = _single(args, "group")
    if raw is not None and raw not in set(ProductGroup):
        raise BadFilter("group", _("Không có nhóm sản phẩm “%(value)s”.", value=raw[:40]))
    return raw


def _parse_query(args) -> str:
    raw = _single(args, "q") or ""
    if len(raw) > MAX_QUERY_LENGTH:
        raise BadFilter("q", _("Từ khóa tìm kiếm quá dài (tối đa %(n)d ký tự).", n=MAX_QUERY_LENGTH))
    return raw


def _parse_sort(args) -> Sort:
    raw = _single(args, "sort") or Sort.NEWEST.value
    if raw not in set(Sort):
        raise BadFilter("sort", _("Không có cách sắp xếp “%(value)s”.", value=raw[:40]))
    return Sort(raw)


def _parse_page(args) -> int:
    raw = _single(args, "page") or "1"
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        raise BadFilter("page", _("Số trang phải là số nguyên từ 1 đến %(max)d.", max=MAX_PAGE))
    return int(raw)


_PARSERS = {
    "villages": _parse_villages, "stars": _parse_stars, "group": _parse_group,
    "q": _parse_query, "sort": _parse_sort, "page": _parse_page,
}


@dataclass(frozen=True)
class CatalogFilters:
    """What a shopper asked the catalogue for; build it with ``from_args``."""

    villages: tuple[str, ...] = ()
    stars: tuple[int, ...] = ()
    group: str | None = None
    q: str = ""
    sort: Sort = Sort.NEWEST
    page: int = 1
    per_page: int = field(default=PER_PAGE, compare=False)

    @classmethod
    def from_args(cls, args) -> "CatalogFilters":
        """Read the filters from a query string (a MultiDict).

        :raises BadFilter: on the first value that cannot be understood.
        """
        return cls(**{name: parse(args) for name, parse in _PARSERS.items()})

    @classmethod
    def lenient(cls, args) -> tuple["CatalogFilters", list[BadFilter]]:
        """Read the filters, dropping each value that cannot be understood and saying why."""
        values, problems = {}, []
        for name, parse in _PARSERS.items():
            try:
                values[name] = parse(args)
            except BadFilter as problem:
                problems.append(problem)
        return cls(**values), problems

    @property
    def words(self) -> list[str]:
        """Return the folded words every listed product must contain."""
        return fold(self.q).split()

    @property
    def active(self) -> bool:
        """Return whether anything narrows the catalogue (sorting and paging do not)."""
        return bool(self.villages or self.stars or self.group or self.words)

    def replace(self, **changes) -> "CatalogFilters":
        return replace(self, **changes)

    def to_args(self, **changes) -> dict:
        """Return the query parameters that reproduce these filters (for links)."""
        target = self.replace(**changes) if changes else self
        args = {"village": list(target.villages), "stars": list(target.stars),
                "group": target.group, "q": target.q or None,
                "sort": target.sort.value if target.sort != Sort.NEWEST else None,
                "page": target.page if target.page != 1 else None}
        return {k: v for k, v in args.items() if v not in (None, [])}

    def without(self, name: str, value=None) -> dict:
        """Return the query parameters with one filter (or one of its values) removed, on page 1."""
        current = getattr(self, name)
        if isinstance(current, tuple) and value is not None:
            cleared = tuple(v for v in current if v != value)
        else:
            cleared = {"villages": (), "stars": (), "group": None, "q": ""}[name]
        return self.to_args(**{name: cleared, "page": 1})


def parse_place_type(args) -> PlaceType | None:
    """Read the outlet list's ``type`` filter.

    :raises BadFilter: when it names no place type.
    """
    raw = _single(args, "type")
    if raw is not None and raw not in set(PlaceType):
        raise BadFilter("type", _("Không có loại điểm bán “%(value)s”.", value=raw[:40]))
    return PlaceType(raw) if raw else None
