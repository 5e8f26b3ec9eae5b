"""The design lives in the repository: every document the code cites is in ``docs/``, and says what is cited.

Code and tests cite design documents as ``docs/<name>.md`` (optionally ``§Section``); a citation of a
document outside the repository is what this guards against. The public URL contract in
``docs/url-contract.md`` is checked against the app's routes.
"""
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SCANNED = ("storefront", "tests", "bench", "templates")
SUFFIXES = {".py", ".html", ".txt", ".js", ".css"}
CITATION = re.compile(r"\bdocs/([\w./-]+?\.md)(?:\s*§\s*([^)\],;:.\"'`\n]+))?")
# Documents that used to be cited but live outside the repository (spelled in parts so this file
# does not cite them itself).
OUTSIDE = re.compile(r"\b" + "DESIGN" + r"(?:\.md)?\s*§|\b" + "STYLE" + r"\.md\b")
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def _sources():
    for folder in SCANNED:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in SUFFIXES and path.is_file() and "__pycache__" not in path.parts:
                yield path


def _citations():
    found = []
    for path in _sources():
        text = path.read_text(encoding="utf-8", errors="replace")
        for match in CITATION.finditer(text):
            found.append((path.relative_to(ROOT), match.group(1), (match.group(2) or "").strip()))
    return found


def _headings(document: Path) -> list[str]:
    return [line.lstrip("#").strip() for line in document.read_text(encoding="utf-8").splitlines()
            if line.startswith("#")]


def test_the_design_documents_are_in_the_repository():
    for name in ("architecture.md", "url-contract.md", "domain.md", "style.md", "decisions/README.md"):
        assert (DOCS / name).is_file(), f"docs/{name} is missing"


def test_code_cites_the_design_and_every_cited_document_exists():
    citations = _citations()
    assert citations, "the code should point readers at docs/"
    missing = [f"{source}: docs/{name}" for source, name, _ in citations if not (DOCS / name).is_file()]
    assert not missing, "cited documents not in the repository:\n" + "\n".join(missing)


def test_every_cited_section_is_a_heading_of_its_document():
    wrong = []
    for source, name, section in _citations():
        if section and (DOCS / name).is_file():
            if not any(heading.startswith(section) for heading in _headings(DOCS / name)):
                wrong.append(f"{source}: docs/{name} §{section}")
    assert not wrong, "cited sections that the documents do not have:\n" + "\n".join(wrong)


def test_nothing_cites_a_document_outside_the_repository():
    this = Path(__file__).resolve()
    found = [f"{path.relative_to(ROOT)}: {match.group(0)}" for path in _sources() if path.resolve() != this
             for match in OUTSIDE.finditer(path.read_text(encoding="utf-8", errors="replace"))]
    assert not found, "citations of documents outside the repository:\n" + "\n".join(found)


def test_links_between_the_documents_resolve():
    broken = []
    for document in sorted(DOCS.rglob("*.md")):
        for target in LINK.findall(document.read_text(encoding="utf-8")):
            if "://" not in target and not (document.parent / target).exists():
                broken.append(f"{document.relative_to(ROOT)} -> {target}")
    assert not broken, "links to files that do not exist:\n" + "\n".join(broken)


def _contract_paths() -> list[str]:
    """Return the paths in the first column of the table under "## The contract"."""
    text = (DOCS / "url-contract.md").read_text(encoding="utf-8")
    section = text.split("## The contract", 1)[1].split("\n## ", 1)[0].split("\n### ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return [path for row in rows for path in re.findall(r"`([^`]+)`", row.split("|")[1])]


def test_the_public_url_contract_is_served(app):
    rules = {rule.rule for rule in app.url_map.iter_rules()}
    paths = _contract_paths()
    assert len(paths) > 20
    missing = [path for path in paths if path not in rules]
    assert not missing, f"contract paths the app does not serve: {missing}"


@pytest.mark.parametrize("path", ["/products", "/orders/<number>", "/stripe/webhook"])
def test_the_contract_table_is_read(path):
    assert path in _contract_paths()
