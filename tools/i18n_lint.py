"""Find user-facing text that is not marked for translation.

Templates: every ``.html`` and ``.txt`` file under ``templates/`` is tokenised with Jinja's own
lexer. Jinja expressions become a placeholder, text inside ``{% trans %}`` blocks counts as
marked, and what is left is read with an HTML parser: a text node, or a user-facing attribute
(``title``, ``alt``, ``placeholder``, ``aria-label``, the ``value`` of a button-like input, ...),
that still holds letters was written in plain text. String literals inside ``{{ }}``/``{% %}``
with Vietnamese letters that are not an argument of ``_()``/``gettext()`` are reported too.

Forms: every ``FlaskForm`` subclass in ``storefront/*/forms.py`` must give its field labels,
descriptions, choice labels and validator messages as lazy strings (``lazy_gettext``), so that
each request shows them in its own language.

Run ``python -m tools.i18n_lint`` to list the findings (exit 1 when there are any).
"""
from __future__ import annotations

import importlib
import inspect
import re
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from jinja2 import Environment

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"

# Text that reads the same in every language: the brand, the names of the languages on the
# switch (each written in its own language), and mail headers that are not shown as text.
ALLOWED_PHRASES = (
    "OCOP Hà Nội",
    "OCOP",
    "Tiếng Việt",
    "English",
    "Subject:",
    "VND",
)
USER_FACING_ATTRIBUTES = {
    "title", "alt", "placeholder", "aria-label", "aria-description", "aria-roledescription",
    "aria-valuetext", "aria-placeholder", "label", "data-bs-title", "data-bs-content",
}
BUTTON_INPUT_TYPES = {"submit", "button", "reset"}
META_CONTENT_NAMES = {"description", "og:title", "og:description", "twitter:title",
                      "twitter:description", "og:image:alt"}
SKIPPED_ELEMENTS = {"script", "style"}
GETTEXT_NAMES = {"_", "gettext", "ngettext", "pgettext", "npgettext", "_l", "lazy_gettext"}
# Blocks whose content ends up inside an attribute that is not shown (`og:type`).
ATTRIBUTE_BLOCKS = {"og_type"}
# Addresses (also ``{{ base }}/orders/...`` in mail), and sample codes such as ``ABCD-EFGH``.
NOT_WORDS = re.compile(r"(?:https?://|mailto:|tel:|geo:)\S+|(?<!\S)[\ue000/]\S*/\S*"
                       r"|(?<!\w)[A-Z0-9]+(?:-[A-Z0-9]+)+(?!\w)")
PLACEHOLDER = "\ue000"  # stands for a Jinja expression; not a letter
NON_ASCII_LETTER = re.compile(r"[^\W\d_a-zA-Z]")


@dataclass(frozen=True)
class Finding:
    where: str
    line: int
    text: str
    what: str = "text"

    def __str__(self) -> str:
        return f"{self.where}:{self.line}: untranslated {self.what}: {self.text.replace(PLACEHOLDER, '{{…}}')!r}"


def has_words(text: str) -> bool:
    """Tell whether ``text`` holds letters once allowed phrases, addresses and codes are taken out."""
    for phrase in ALLOWED_PHRASES:
        text = text.replace(phrase, " ")
    text = NOT_WORDS.sub(" ", text)
    return any(ch.isalpha() for ch in text)


# --- templates -----------------------------------------------------------------------------

def _jinja_environment() -> Environment:
    return Environment(extensions=["jinja2.ext.i18n"])


class _Flattener:
    """Turn a template's tokens into markup with expressions replaced by a placeholder."""

    def __init__(self, source: str, where: str):
        self.source, self.where = source, where
        self.out: list[str] = []
        self.line_of: list[tuple[int, int]] = []  # (offset in output, template line)
        self.literals: list[Finding] = []
        self.in_trans = False
        self.raw_block = False

    def run(self) -> str:
        tokens = list(_jinja_environment().lex(self.source))
        i = 0
        while i < len(tokens):
            line, kind, value = tokens[i]
            if kind == "data":
                self._emit(line, PLACEHOLDER if self.in_trans or self.raw_block else value)
                i += 1
            elif kind in ("variable_begin", "block_begin"):
                i = self._tag(tokens, i)
            else:  # comments, raw markers, linestatements
                i += 1
        return "".join(self.out)

    def _emit(self, line: int, text: str) -> None:
        self.line_of.append((sum(len(part) for part in self.out), line))
        self.out.append(text)

    def _tag(self, tokens, start: int) -> int:
        end_kind = "variable_end" if tokens[start][1] == "variable_begin" else "block_end"
        end = start
        while tokens[end][1] != end_kind:
            end += 1
        inner = [t for t in tokens[start + 1:end] if t[1] != "whitespace"]
        if end_kind == "block_end" and inner and inner[0][1] == "name":
            if inner[0][2] == "trans":
                self.in_trans = True
            elif inner[0][2] == "endtrans":
                self.in_trans = False
        if end_kind == "block_end" and len(inner) > 1 and inner[0][2] == "block":
            self.raw_block = inner[1][2] in ATTRIBUTE_BLOCKS
        elif end_kind == "block_end" and inner and inner[0][2] == "endblock":
            self.raw_block = False
        if end_kind == "variable_end":
            # `<{{ heading }} ...>` must still read as a tag
            after_angle = self.out and self.out[-1].endswith(("<", "</"))
            self._emit(tokens[start][0], "x-expr" if after_angle else PLACEHOLDER)
        self._check_literals(inner)
        return end + 1

    def _check_literals(self, inner) -> None:
        """Report Vietnamese string literals that are not the argument of a gettext call."""
        depth_in_call, depth = None, 0
        for index, (line, kind, value) in enumerate(inner):
            if kind == "operator" and value in "([{":
                depth += 1
                previous = inner[index - 1] if index else None
                if depth_in_call is None and previous and previous[1] == "name" \
                        and previous[2] in GETTEXT_NAMES:
                    depth_in_call = depth
            elif kind == "operator" and value in ")]}":
                if depth_in_call == depth:
                    depth_in_call = None
                depth -= 1
            elif kind == "string" and depth_in_call is None:
                text = value[1:-1]
                if NON_ASCII_LETTER.search(text) and has_words(text):
                    self.literals.append(Finding(self.where, line, text, "string literal"))

    def line_at(self, offset: int) -> int:
        line = 1
        for start, template_line in self.line_of:
            if start > offset:
                break
            line = template_line
        return line


class _MarkupChecker(HTMLParser):
    """Read the flattened markup and report text nodes and attributes that hold words."""

    def __init__(self, flattener: _Flattener):
        super().__init__(convert_charrefs=True)
        self.flat = flattener
        self.findings: list[Finding] = []
        self.skipping: list[str] = []
        self.line_starts = [0]

    def _line(self) -> int:
        lineno, column = self.getpos()
        return self.flat.line_at(self.line_starts[lineno - 1] + column)

    def check(self, text: str) -> list[Finding]:
        self.line_starts += [match.end() for match in re.finditer("\n", text)]
        self.feed(text)
        self.close()
        return self.findings

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED_ELEMENTS:
            self.skipping.append(tag)
        attributes = {name: value or "" for name, value in attrs}
        for name, value in attributes.items():
            if self._user_facing(tag, name, attributes) and has_words(value):
                self.findings.append(Finding(self.flat.where, self._line(), value.strip(),
                                             f'attribute {name}= of <{tag}>'))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in SKIPPED_ELEMENTS:
            self.skipping.pop()

    def handle_endtag(self, tag):
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data):
        if not self.skipping and has_words(data):
            self.findings.append(Finding(self.flat.where, self._line(), " ".join(data.split())))

    @staticmethod
    def _user_facing(tag: str, name: str, attributes: dict) -> bool:
        if name in USER_FACING_ATTRIBUTES:
            return True
        if tag == "input" and name == "value":
            return attributes.get("type", "").lower() in BUTTON_INPUT_TYPES
        if tag == "meta" and name == "content":
            key = attributes.get("name") or attributes.get("property") or ""
            return key in META_CONTENT_NAMES
        return False


def lint_template(path: Path) -> list[Finding]:
    """Return the untranslated text of one template."""
    return lint_source(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)),
                       markup=path.suffix != ".txt")


def lint_source(source: str, where: str = "<template>", markup: bool = True) -> list[Finding]:
    """Return the untranslated text of a template's source (HTML, or plain text for mail)."""
    flattener = _Flattener(source, where)
    flat = flattener.run()
    if not markup:
        findings = [Finding(where, flattener.line_at(m.start()), m.group().strip())
                    for m in re.finditer(r"[^\n]+", flat) if has_words(m.group())]
    else:
        findings = _MarkupChecker(flattener).check(flat)
    return flattener.literals + findings


def template_paths() -> list[Path]:
    return sorted(p for p in TEMPLATES.rglob("*") if p.suffix in (".html", ".txt"))


def lint_templates() -> list[Finding]:
    return [finding for path in template_paths() for finding in lint_template(path)]


# --- forms ---------------------------------------------------------------------------------

def _is_lazy(value) -> bool:
    from flask_babel import LazyString

    return isinstance(value, LazyString)


def form_classes() -> list[type]:
    """Import every ``storefront/*/forms.py`` and return the FlaskForm subclasses defined there."""
    from flask_wtf import FlaskForm

    found = []
    for path in sorted((ROOT / "storefront").glob("*/forms.py")):
        module = importlib.import_module(f"storefront.{path.parent.name}.forms")
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, FlaskForm) and cls is not FlaskForm and cls.__module__ == module.__name__:
                found.append(cls)
    return found


def _unbound_fields(form_class):
    from wtforms.fields.core import UnboundField

    for name in dir(form_class):
        value = getattr(form_class, name, None)
        if isinstance(value, UnboundField):
            yield name, value


def _bind(name: str, unbound):
    """Build the field on its own (no form), so labels and messages set in ``__init__`` count."""
    from wtforms.meta import DefaultMeta

    return unbound.bind(form=None, name=name, _meta=DefaultMeta())


def _field_text(name: str, unbound):
    """Yield (what, value) for every piece of text a field will show; None marks a default."""
    field = _bind(name, unbound)
    if field.type not in UNLABELLED_FIELDS:
        yield "label", unbound.kwargs.get("label", unbound.args[0] if unbound.args else None) \
            if field.label.text == name.replace("_", " ").title() else field.label.text
    if field.description:
        yield "description", field.description
    for choice in getattr(field, "choices", None) or ():
        if isinstance(choice, (tuple, list)) and len(choice) >= 2:
            yield "choice label", choice[1]
    for key in ("placeholder", "title", "aria-label", "aria_label"):
        if (field.render_kw or {}).get(key):
            yield f"render_kw {key}", field.render_kw[key]
    for attribute, value in vars(field).items():
        if attribute.endswith("_message") and value is not None:
            yield attribute, value
    for validator in field.validators:
        if hasattr(validator, "message"):
            yield f"{type(validator).__name__} message", validator.message


# Validators whose default message (None) is shown to the person as WTForms' English text:
# WTForms ships no Vietnamese catalogue, so they need a message of our own.
NEEDS_OWN_MESSAGE = {"DataRequired", "InputRequired", "EqualTo", "Email", "Regexp", "NumberRange",
                     "URL", "AnyOf", "NoneOf", "FileRequired", "FileAllowed", "FileSize"}


UNLABELLED_FIELDS = {"HiddenField", "CSRFTokenField"}


def lint_form(form_class) -> list[Finding]:
    where = f"{form_class.__module__}.{form_class.__qualname__}"
    findings = []
    for name, unbound in _unbound_fields(form_class):
        for what, value in _field_text(name, unbound):
            if what.endswith("message") and value is None:
                validator = what.removesuffix(" message")
                if validator in NEEDS_OWN_MESSAGE:
                    findings.append(Finding(where, 0, f"{name}: {validator}() without a message "
                                                      "(WTForms would show English)", what))
                continue
            if what == "label" and value is None:
                findings.append(Finding(where, 0, f"{name}: no label (WTForms would make one "
                                                  "from the field name, in English)", what))
                continue
            if isinstance(value, str) and not _is_lazy(value) and has_words(value):
                findings.append(Finding(where, 0, f"{name}: {value}", what))
    return findings


def lint_forms() -> list[Finding]:
    return [finding for form_class in form_classes() for finding in lint_form(form_class)]


def main() -> int:
    sys.path.insert(0, str(ROOT))
    findings = lint_templates() + lint_forms()
    for finding in findings:
        print(finding)
    print(f"{len(findings)} untranslated string(s)", file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
