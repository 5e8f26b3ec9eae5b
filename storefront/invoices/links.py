"""An issued invoice's PDF link: signed with the shop's key, so it opens from a mail or a QR code
on any device without signing in, and names nothing but the invoice (never guessable)."""
from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from ..catalog.links import absolute_url

_SALT = "einvoice-pdf"


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def pdf_key(invoice) -> str:
    return _signer().dumps(invoice.id)


def invoice_id_of(key: str) -> int | None:
    try:
        value = _signer().loads(key)
    except BadSignature:
        return None
    return value if isinstance(value, int) else None


def pdf_url(invoice) -> str:
    """Return the absolute address of the invoice's PDF (built from PUBLIC_URL)."""
    return absolute_url("shop.invoice_pdf", key=pdf_key(invoice))
