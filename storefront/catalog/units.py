"""The units products are sold by, in both languages, so English pages never show a Vietnamese unit.

A producer picks a unit from ``UNITS`` (offered on the product form) or writes one; a unit written
as a vocabulary word, optionally with a size (``hộp 500 g``, ``bộ 6 chiếc``), reads in English
without the producer typing it twice. Anything else stays as written and is marked Vietnamese.
"""
import re
from typing import NamedTuple


class Unit(NamedTuple):
    vi: str
    en: str
    en_plural: str


UNITS: tuple[Unit, ...] = (
    Unit("chiếc", "piece", "pieces"), Unit("cái", "piece", "pieces"), Unit("hộp", "box", "boxes"),
    Unit("gói", "pack", "packs"), Unit("túi", "bag", "bags"), Unit("chai", "bottle", "bottles"),
    Unit("lọ", "jar", "jars"), Unit("hũ", "pot", "pots"), Unit("bình", "jug", "jugs"),
    Unit("bộ", "set", "sets"), Unit("đôi", "pair", "pairs"), Unit("kg", "kg", "kg"),
    Unit("bó", "bunch", "bunches"), Unit("tấm", "sheet", "sheets"), Unit("cuộn", "roll", "rolls"),
    Unit("mét", "metre", "metres"), Unit("lít", "litre", "litres"), Unit("thùng", "case", "cases"),
    Unit("khay", "tray", "trays"), Unit("bao", "sack", "sacks"),
)
_BY_WORD = {unit.vi: unit for unit in UNITS}
# sizes written after the unit: "500 g", "1,5 kg", "6 chiếc", "30 cm"
_MEASURES = {"g": "g", "gr": "g", "kg": "kg", "ml": "ml", "l": "l", "lít": "l", "cm": "cm", "m": "m",
             "mét": "m"}
_SIZED = re.compile(r"(?P<word>\S+)\s+(?P<amount>\d+(?:[.,]\d+)?)\s*(?P<measure>\S+)")


def english_unit(unit_vi: str | None) -> str | None:
    """Return the English for a vocabulary unit (with or without a size), else None."""
    text = " ".join((unit_vi or "").lower().split())
    if text in _BY_WORD:
        return _BY_WORD[text].en
    sized = _SIZED.fullmatch(text)
    if not sized or sized["word"] not in _BY_WORD:
        return None
    amount = sized["amount"].replace(",", ".")
    counted = _BY_WORD.get(sized["measure"])
    if counted is not None:  # "bộ 6 chiếc": a set of 6 pieces
        measure = counted.en if amount == "1" else counted.en_plural
    else:
        measure = _MEASURES.get(sized["measure"])
    return f"{_BY_WORD[sized['word']].en} of {amount} {measure}" if measure else None

def choices() -> list[tuple[str, str]]:
    """Return (Vietnamese, "Vietnamese — English") for the product form's list of units."""
    return [(unit.vi, f"{unit.vi} — {unit.en}") for unit in UNITS if unit.vi != "cái"]
