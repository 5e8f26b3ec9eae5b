"""Vietnamese text folding for slugs and accent-insensitive search; codes people read and type."""
import re
import secrets
import unicodedata

from unidecode import unidecode

_NON_WORD = re.compile(r"[^a-z0-9]+")
# No 0/O, 1/I/L: codes are read off a label or aloud and typed back. 31 characters; the order
# matters to ``orders.codes.pickup_code_for``, which maps a number onto it.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
# unidecode's own answer for every Latin letter with marks (Vietnamese included), looked up in one
# str.translate: ten times faster than unidecode, and the same text by construction. Text with
# anything else (Chinese, emoji...) still goes through unidecode whole.
_LATIN = str.maketrans({code: unidecode(chr(code))
                        for code in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00))})


def fold(text: str | None) -> str:
    """Fold Vietnamese to lowercase ASCII words: ``Lụa Vạn Phúc`` → ``lua van phuc``, ``đ`` → ``d``."""
    if not text:
        return ""
    plain = text.translate(_LATIN)
    if not plain.isascii():
        plain = unidecode(text)
    return " ".join(_NON_WORD.sub(" ", plain.lower()).split())


def slugify(text: str, max_length: int = 80) -> str:
    """Return a readable ASCII slug: ``Lụa tơ tằm Vạn Phúc`` → ``lua-to-tam-van-phuc``."""
    slug = fold(text).replace(" ", "-")[:max_length].strip("-")
    return slug or "item"


def random_code(length: int) -> str:
    """Return ``length`` random characters of ``CODE_ALPHABET``."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


_LINK = re.compile(r"://|\bwww\.", re.IGNORECASE)


def is_one_plain_line(text: str | None) -> bool:
    """Tell whether ``text`` is one line of plain text: no line break, control character or link.

    Names are printed at the top of mail sent to any address, so they must not carry a message.
    """
    if not text:
        return True
    if any(unicodedata.category(char)[0] == "C" or unicodedata.category(char) in ("Zl", "Zp")
           for char in text):
        return False
    return _LINK.search(text) is None
