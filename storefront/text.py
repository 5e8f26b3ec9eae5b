"""Vietnamese text folding for slugs and accent-insensitive search."""
import re

from unidecode import unidecode

_NON_WORD = re.compile(r"[^a-z0-9]+")


def fold(text: str | None) -> str:
    """Fold Vietnamese to lowercase ASCII words: ``Lụa Vạn Phúc`` → ``lua van phuc``, ``đ`` → ``d``."""
    if not text:
        return ""
    return " ".join(_NON_WORD.sub(" ", unidecode(text).lower()).split())


def slugify(text: str, max_length: int = 80) -> str:
    """Return a readable ASCII slug: ``Lụa tơ tằm Vạn Phúc`` → ``lua-to-tam-van-phuc``."""
    slug = fold(text).replace(" ", "-")[:max_length].strip("-")
    return slug or "item"
