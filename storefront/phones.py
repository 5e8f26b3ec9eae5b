"""Vietnamese phone numbers: one rule for every form, and one form to store them in."""
import re

from flask_babel import lazy_gettext as _l

_SEPARATORS = re.compile(r"[\s.\-()]")
# Mobiles have 10 digits (0, a digit other than 0, eight more). Landlines have 11 since 2017
# (02, the area code and the subscriber: 024 3874 1234); the older 10-digit ones still pass.
_NATIONAL = re.compile(r"^0(?:[1-9]\d{8}|2\d{9})$")

INVALID_PHONE = _l("Số điện thoại phải có 10 chữ số bắt đầu bằng 0 (ví dụ 0987 654 321), hoặc 11 "
                   "chữ số với số máy bàn (ví dụ 024 3874 1234); có thể viết +84 thay cho số 0 đầu.")


class InvalidPhone(ValueError):
    """Not a Vietnamese mobile or landline number; the message says what is expected."""


def normalize_phone(raw: str | None) -> str:
    """Return a Vietnamese number as stored: ``0`` and its digits (``0987654321``, ``02438741234``).

    Spaces, dots, dashes and brackets are ignored, and ``+84`` may stand for the leading 0.

    :raises InvalidPhone: anything else.
    """
    compact = _SEPARATORS.sub("", raw or "")
    if compact.startswith("+84"):
        compact = "0" + compact.removeprefix("+84")
    if not _NATIONAL.match(compact):
        raise InvalidPhone(INVALID_PHONE)
    return compact
