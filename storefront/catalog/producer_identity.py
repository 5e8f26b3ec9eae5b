"""A producer's legal identity: tax code (mã số thuế), business registration and address.

An admin verifies a producer only once all three are given (``admin/services.verify_producer``); on
a trading floor (``SELLER_OF_RECORD=producer``) each product page shows them as the seller's. The
tax code is checked with python-stdnum's ``vn.mst`` (10 digits with a check digit, or 13 for a
branch: ``0100109106-001``) and kept compact (digits only).
"""
from flask_babel import gettext as _, lazy_gettext as _l
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.vn import mst

from ..unit_of_work import transaction

FIELDS = {
    "tax_code": _l("mã số thuế"),
    "business_registration": _l("số giấy chứng nhận đăng ký kinh doanh"),
    "legal_address": _l("địa chỉ trụ sở"),
}


class IdentityInvalid(ValueError):
    """A tax code python-stdnum refuses; the message is for the producer."""


def clean_tax_code(raw: str | None) -> str:
    """Return the tax code compact (digits only), checked.

    :raises IdentityInvalid: not a valid Vietnamese tax code (length, digits or check digit).
    """
    try:
        return mst.validate(raw or "")
    except StdnumError:
        raise IdentityInvalid(_("Mã số thuế không hợp lệ: cần 10 chữ số (hoặc 13 chữ số với đơn vị "
                                "phụ thuộc, ví dụ 0100109106-001) và chữ số kiểm tra phải đúng.")) from None


def format_tax_code(code: str | None) -> str:
    """Return a tax code as people write it (``0100109106-001``)."""
    return mst.format(code) if code else ""


def missing(producer) -> list[str]:
    """Return the keys of ``FIELDS`` the producer has not given (a stored tax code is valid)."""
    return [key for key in FIELDS if not (getattr(producer, key) or "").strip()]


def missing_text(producer) -> str:
    return ", ".join(str(FIELDS[key]) for key in missing(producer))


def save(producer, *, tax_code: str, business_registration: str, legal_address: str) -> None:
    """Keep the producer's legal identity.

    :raises IdentityInvalid: the tax code is not valid; nothing is written.
    """
    code = clean_tax_code(tax_code)
    with transaction():
        producer.tax_code = code
        producer.business_registration = (business_registration or "").strip() or None
        producer.legal_address = (legal_address or "").strip() or None
