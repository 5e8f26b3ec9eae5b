"""Policy texts from Markdown to HTML: markdown-it-py (CommonMark) with raw HTML off.

Admins write Markdown, never HTML: ``html=False`` escapes any tag typed into the text, and
markdown-it's own link check refuses ``javascript:``, ``vbscript:``, ``file:`` and most ``data:``
links, so the output is safe to mark ``Markup``.
"""
from markdown_it import MarkdownIt
from markupsafe import Markup

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")


def render(text: str | None) -> Markup:
    """Return ``text`` (Markdown) as safe HTML."""
    return Markup(_md.render(text or ""))
