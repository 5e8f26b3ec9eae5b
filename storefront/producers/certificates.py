"""OCOP certificates a producer submits for review: the programme's rules, and the scan.

The programme's rules: 3★ 50–69 points, 4★ 70–89, 5★ 90–100;
a certificate is valid for 36 months; 5★ is decided centrally; since 1 July 2025 the city or
province decides 3★ and 4★, and district decisions exist only from before that day.
"""
from datetime import date

from flask import current_app
from flask_babel import format_date, gettext as _

from ..catalog.models import STAR_SCORE_RANGES, Certificate, IssuingLevel, Product, ReviewStatus
from ..unit_of_work import transaction
from ..extensions import db
from ..images import ImageRejected, NotAnImage, make_scan
from ..storage import Storage, get_storage, new_key
from ..timeutil import local_today
from .errors import CertificateInvalid

REFORM_DAY = date(2025, 7, 1)  # districts stop deciding; provinces decide 3★ and 4★
PDF_MAGIC = b"%PDF-"


def check_score(stars: int, score: int) -> None:
    """:raises CertificateInvalid: when the score is outside the star level's band."""
    if stars not in STAR_SCORE_RANGES:
        raise CertificateInvalid(_("Hạng sao phải là 3, 4 hoặc 5."), "stars")
    low, high = STAR_SCORE_RANGES[stars]
    if not low <= score <= high:
        raise CertificateInvalid(
            _("Điểm %(score)d không khớp hạng %(stars)d sao: cần từ %(low)d đến %(high)d điểm.",
              score=score, stars=stars, low=low, high=high), "score")


def check_issuing_level(stars: int, level: str, decision_date: date) -> None:
    """:raises CertificateInvalid: when that level could not have decided that certificate."""
    if level == IssuingLevel.DISTRICT and decision_date >= REFORM_DAY:
        raise CertificateInvalid(
            _("Cấp huyện chỉ công nhận OCOP trước ngày 01/07/2025."), "issuing_level")
    if stars == 5 and level != IssuingLevel.CENTRAL:
        raise CertificateInvalid(_("Sản phẩm 5 sao do cấp trung ương công nhận."), "issuing_level")
    if stars in (3, 4) and level == IssuingLevel.CENTRAL:
        raise CertificateInvalid(
            _("Cấp trung ương chỉ công nhận sản phẩm 5 sao."), "issuing_level")
    if stars in (3, 4) and decision_date >= REFORM_DAY and level != IssuingLevel.PROVINCE:
        raise CertificateInvalid(
            _("Từ ngày 01/07/2025, sản phẩm 3–4 sao do cấp thành phố/tỉnh công nhận."),
            "issuing_level")


def check_decision_date(decision_date: date, today: date | None = None) -> None:
    """:raises CertificateInvalid: for a date in the future or a certificate already expired."""
    today = today or local_today()
    if decision_date > today:
        raise CertificateInvalid(_("Ngày quyết định không thể ở tương lai."), "decision_date")
    expires_on = Certificate.expiry_for(decision_date)
    if expires_on <= today:
        raise CertificateInvalid(
            _("Chứng nhận này đã hết hạn (hết hiệu lực từ %(day)s).", day=format_date(expires_on)),
            "decision_date")


def check_rules(stars: int, score: int, level: str, decision_date: date,
                today: date | None = None) -> None:
    """:raises CertificateInvalid: for the first OCOP rule the facts break."""
    check_score(stars, score)
    check_decision_date(decision_date, today)
    check_issuing_level(stars, level, decision_date)


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
