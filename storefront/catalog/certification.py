"""The OCOP programme's rules for a certificate, checked when a producer submits it and when an
admin verifies it.

3★ 50–69 points, 4★ 70–89, 5★ 90–100; a certificate is valid for 36 months from its decision
(``Certificate.expiry_for``); 5★ is decided centrally; since 1 July 2025 the city or province
decides 3★ and 4★, and district decisions exist only from before that day.
"""
from datetime import date

from flask_babel import gettext as _

from ..i18n import format_day
from ..timeutil import local_today
from .models import STAR_SCORE_RANGES, Certificate, IssuingLevel

REFORM_DAY = date(2025, 7, 1)  # districts stop deciding; provinces decide 3★ and 4★


class CertificateInvalid(Exception):
    """Certificate facts break an OCOP rule; ``field`` names the form field at fault."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


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
            _("Chứng nhận đã hết hạn (hết hiệu lực từ %(day)s).", day=format_day(expires_on)),
            "decision_date")


def check_rules(stars: int, score: int, level: str, decision_date: date,
                today: date | None = None) -> None:
    """:raises CertificateInvalid: for the first OCOP rule the facts break."""
    check_score(stars, score)
    check_decision_date(decision_date, today)
    check_issuing_level(stars, level, decision_date)


def check_certificate(certificate: Certificate, today: date | None = None) -> None:
    """Check a recorded certificate against every rule, as of ``today``.

    :raises CertificateInvalid: for the first OCOP rule it breaks.
    """
    check_rules(certificate.stars, certificate.score, certificate.issuing_level,
                certificate.decision_date, today)
