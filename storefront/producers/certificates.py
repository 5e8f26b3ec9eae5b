"""OCOP certificates a producer submits for review: the scan, and the record an admin verifies.

The programme's rules are checked by ``catalog/certification.py``, shared with the admin's review.
"""
from datetime import date

from flask import current_app
from flask_babel import gettext as _

from ..catalog.certification import check_rules
from ..catalog.models import Certificate, Product, ReviewStatus
from ..unit_of_work import transaction
from ..extensions import db
from ..images import ImageRejected, NotAnImage, make_scan
from ..storage import Storage, get_storage, new_key

PDF_MAGIC = b"%PDF-"


def prepare_scan(data: bytes) -> tuple[bytes, str, str]:
    """Return (bytes, key suffix, content type) to store for a certificate scan.

    A PDF is kept as sent once its header and size check out; an image is re-encoded.
    :raises ImageRejected: for an empty, oversized or unrecognised file.
    """
    if data.startswith(PDF_MAGIC):
        limit = current_app.config.get("PHOTO_MAX_BYTES", 10 * 1024 * 1024)
        if len(data) > limit:
            raise ImageRejected(_("Tệp quá lớn: tối đa %(mb)d MB.", mb=limit // (1024 * 1024)))
        return data, ".pdf", "application/pdf"
    try:
        return make_scan(data), ".webp", "image/webp"
    except NotAnImage:
        raise ImageRejected(_("Bản chụp phải là ảnh JPEG, PNG, WebP hoặc tệp PDF.")) from None


def submit_certificate(product: Product, *, stars: int, score: int, issuing_level: str,
                       decision_number: str, decision_date: date, scan: bytes,
                       issuing_body: str | None = None, storage: Storage | None = None,
                       today: date | None = None) -> Certificate:
    """Record a certificate for an admin to verify; its expiry is the decision date + 36 months.

    :raises CertificateInvalid: when the facts break an OCOP rule.
    :raises ImageRejected: when the scan is not an accepted file; nothing is stored then.
    """
    check_rules(stars, score, issuing_level, decision_date, today)
    body, suffix, content_type = prepare_scan(scan)
    storage = storage or get_storage()
    key = new_key("certificates", suffix)
    storage.save(key, body, content_type)
    try:
        with transaction():
            certificate = Certificate(
                product=product, stars=stars, score=score, issuing_level=issuing_level,
                issuing_body=(issuing_body or "").strip() or None,
                decision_number=decision_number.strip(), decision_date=decision_date,
                expires_on=Certificate.expiry_for(decision_date), scan_key=key,
                status=ReviewStatus.PENDING)
            db.session.add(certificate)
    except BaseException:
        storage.delete(key)
        raise
    return certificate
