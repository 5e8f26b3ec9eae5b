"""Extract and compile the translation catalogues (what `make messages` / `make translations` do).

Used by the tests, which must see the current English catalogue whether or not `make` ran first.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
ENGLISH_PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"

# The keywords `make messages` passes to `pybabel extract` besides Babel's defaults.
EXTRA_KEYWORDS = ("_l", "lazy_gettext", "lazy_ngettext:1,2", "lazy_pgettext:1c,2")
IGNORED_DIRS = ".* ._ node_modules test-artifacts instance"


def extract(output: Path) -> Path:
    """Extract every marked string from the sources into the template ``output``."""
    args = ["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), f"--ignore-dirs={IGNORED_DIRS}",
            "-o", str(output)]
    for keyword in EXTRA_KEYWORDS:
        args += ["-k", keyword]
    cwd = os.getcwd()
    os.chdir(ROOT)  # babel.cfg's patterns are relative to the repository
    try:
        CommandLineInterface().run(args + ["."])
    finally:
        os.chdir(cwd)
    return output


def read_catalog(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


def compile_catalogs() -> None:
    """Write each ``messages.mo`` whose ``.po`` is newer, atomically (test workers run at once)."""
    for po_path in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        catalog = read_catalog(po_path)
        handle, temp = tempfile.mkstemp(dir=po_path.parent, suffix=".mo.tmp")
        with os.fdopen(handle, "wb") as out:
            write_mo(out, catalog)
        os.replace(temp, mo_path)
