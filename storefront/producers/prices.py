"""Prices as Vietnamese people type them: ``450.000``, ``450,000``, ``450 000``, ``450k``, ``1,2tr``.

Đồng have no subunit, so a dot or a comma between groups of three digits is a thousands separator,
never a decimal mark; a decimal mark only makes sense before a multiplier (``1,2 triệu``, ``1.5k``),
and Vietnamese shorthand puts the fraction after it (``1tr2`` = 1.200.000, ``1k5`` = 1.500).
"""
import re
from decimal import Decimal, InvalidOperation

MULTIPLIERS = {
    "k": 1_000, "nghìn": 1_000, "nghin": 1_000, "ngàn": 1_000, "ngan": 1_000,
    "tr": 1_000_000, "triệu": 1_000_000, "trieu": 1_000_000, "m": 1_000_000,
}
_CURRENCY = re.compile(r"(₫|đồng|dong|vnđ|vnd|đ|d)$")
_SPACES = re.compile(r"[\s\u00a0\u202f_]+")
_THOUSANDS = re.compile(r"\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*")
_ZERO_CENTS = re.compile(r"(?P<whole>.+?)[.,]0{1,2}")  # "450.000,00" or "450,000.00"
_UNITS = "|".join(sorted(map(re.escape, MULTIPLIERS), key=len, reverse=True))
_WITH_UNIT = re.compile(rf"(?P<number>\d+(?:[.,]\d+)?)(?P<unit>{_UNITS})(?P<tail>\d{{1,3}})?")


class PriceFormatError(ValueError):
    """Text that is no price in whole đồng."""


def parse_price(text: str) -> int:
    """Return the whole đồng ``text`` stands for.

    :raises PriceFormatError: not a number of đồng (``450.5``, ``abc``, ``1.2.3``, ``0,5k``).
    """
    raw = _SPACES.sub("", (text or "").strip().lower())
    raw = _CURRENCY.sub("", raw)
    if raw.isdigit():
        return int(raw)
    if _THOUSANDS.fullmatch(raw):
        return int(re.sub(r"[.,]", "", raw))
    zero_cents = _ZERO_CENTS.fullmatch(raw)
    if zero_cents and _whole_before_cents(zero_cents["whole"], raw[len(zero_cents["whole"])]):
        return parse_price(zero_cents["whole"])
    with_unit = _WITH_UNIT.fullmatch(raw)
    if with_unit:
        return _scaled(with_unit["number"], with_unit["unit"], with_unit["tail"])
    raise PriceFormatError(text)


def _whole_before_cents(whole: str, mark: str) -> bool:
    # "450.000,00" and "450000.00" are whole đồng written with cents; "450.00" is too unclear to guess
    if whole.isdigit():
        return len(whole) > 3
    return mark not in whole and bool(_THOUSANDS.fullmatch(whole))


def _scaled(number: str, unit: str, tail: str | None) -> int:
    if tail is not None:
        if not number.isdigit():  # "1,2tr5" mixes both ways of writing a fraction
            raise PriceFormatError(number + unit + tail)
        number = f"{number}.{tail}"
    try:
        value = Decimal(number.replace(",", ".")) * MULTIPLIERS[unit]
    except InvalidOperation as error:
        raise PriceFormatError(number) from error
    if value != value.to_integral_value():
        raise PriceFormatError(number)
    return int(value)
