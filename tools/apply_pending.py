"""Fill the English catalogue from ``translations/pending/*.po`` (translations written while strings were new).

Several people add strings at once; each writes the English for its new strings in a pending file of its
own instead of editing ``messages.po`` directly. ``make messages`` extracts, updates the catalogue and then
runs this, which copies every pending translation into the catalogue entry with the same id and context.
"""
from __future__ import annotations

from babel.messages.pofile import write_po

from tools.catalogs import ENGLISH_PO, TRANSLATIONS, read_catalog


def apply_pending() -> int:
    catalog = read_catalog(ENGLISH_PO)
    filled = 0
    for path in sorted((TRANSLATIONS / "pending").glob("*.po")):
        for message in read_catalog(path):
            if not message.id or not message.string:
                continue
            target = catalog.get(message.id, context=message.context)
            if target is None:
                continue
            if target.string != message.string or target.fuzzy:
                target.string = message.string
                target.flags.discard("fuzzy")
                filled += 1
    with ENGLISH_PO.open("wb") as out:
        write_po(out, catalog, width=0, ignore_obsolete=True)
    return filled


if __name__ == "__main__":
    print(f"{apply_pending()} pending translations applied")
