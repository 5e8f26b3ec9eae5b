"""What the public may know of a certificate, and its verdict on a given day.

Only certificates an admin has verified (and perhaps later revoked) are public: a pending or
rejected one is *not found*, exactly like a code that never existed, so the page tells nothing
about what a producer submitted. The scan is never part of the public facts.
"""
import enum
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..catalog.models import (
    CERTIFICATE_CODE_LENGTH, Certificate, Producer, Product, ReviewStatus, fold_decision_number,
)
from ..extensions import db
from ..text import CODE_ALPHABET
from ..timeutil import local_date_of, local_today

PUBLIC_STATUSES = (ReviewStatus.VERIFIED, ReviewStatus.REVOKED)
SEARCH_LIMIT = 20
_DIGITS = tuple("0123456789")


class Verdict(enum.StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    REVOKED = "revoked"
    NOT_FOUND = "not_found"


VERDICT_LABELS = {
    Verdict.VALID: _l("Còn hiệu lực"),
    Verdict.EXPIRED: _l("Đã hết hạn"),
    Verdict.REVOKED: _l("Đã bị thu hồi"),
    Verdict.NOT_FOUND: _l("Không tìm thấy"),
}


def verdict_of(certificate: Certificate | None, today: date | None = None) -> Verdict:
    """Return the verdict on ``today`` (Hanoi): a certificate stops counting ON its expiry date."""
    if certificate is None or certificate.status not in PUBLIC_STATUSES:
        return Verdict.NOT_FOUND
    if certificate.status == ReviewStatus.REVOKED:
        return Verdict.REVOKED
    if (today or local_today()) >= certificate.expires_on:
        return Verdict.EXPIRED
    return Verdict.VALID


def normalize_code(text: str | None) -> str | None:
    """Return a typed or scanned code in its stored form, or None when it cannot be one."""
    code = "".join((text or "").split()).replace("-", "").upper()
    if len(code) != CERTIFICATE_CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        return None
    return code


def _public():
    return (select(Certificate)
            .where(Certificate.status.in_([str(s) for s in PUBLIC_STATUSES]))
            .options(joinedload(Certificate.product).joinedload(Product.producer)
                     .joinedload(Producer.village)))


def find_by_code(text: str | None) -> Certificate | None:
    """Return the public certificate with this code, or None."""
    code = normalize_code(text)
    if code is None:
        return None
    return db.session.scalar(_public().where(Certificate.code == code))


def search_by_decision_number(text: str | None) -> list[Certificate]:
    """Return public certificates under this decision number, ignoring accents, case and spacing.

    Only a whole number matches: ``1234/QĐ-UBND`` as written, or its number alone (``1234`` finds
    ``1234/QĐ-UBND`` and ``1234/QĐ-BNNMT``, never ``12345/…``). A fragment (``123`` of ``1234``, ``qd``,
    ``ubnd``) finds nothing, so the search cannot list the codes of certificates a visitor could not have
    named; and at most ``SEARCH_LIMIT`` are listed.
    """
    folded = fold_decision_number(text)
    if not folded:
        return []
    if folded.isdigit():  # the number alone: every decision of that number, whoever issued it
        column = Certificate.decision_number_folded  # folded: "1234/QĐ-UBND" is "1234qdubnd"
        matches = column.like(folded + "%") & func.substr(column, len(folded) + 1, 1).not_in(_DIGITS)
    else:
        matches = Certificate.decision_number_folded == folded
    return list(db.session.scalars(
        _public().where(matches).order_by(Certificate.decision_date.desc(), Certificate.id)
        .limit(SEARCH_LIMIT)))


@dataclass(frozen=True)
class PublicFacts:
    """Everything the check page and the JSON API say about one certificate."""

    certificate: Certificate
    verdict: Verdict

    def as_json(self) -> dict:
        cert, product = self.certificate, self.certificate.product
        producer, village = product.producer, product.producer.village
        return {
            "code": cert.code,
            "verdict": str(self.verdict),
            "valid": self.verdict == Verdict.VALID,
            "product": {"name": product.name_vi, "name_en": product.name_en, "slug": product.slug},
            "producer": {"name": producer.name, "slug": producer.slug},
            "village": {"name": village.name, "slug": village.slug, "district": village.district},
            "stars": cert.stars,
            "score": cert.score,
            "issuing_level": cert.issuing_level,
            "issuing_body": cert.issuing_body,
            "decision_number": cert.decision_number,
            "decision_date": cert.decision_date.isoformat(),
            "expires_on": cert.expires_on.isoformat(),
            "revoked_on": local_date_of(cert.revoked_at).isoformat() if cert.revoked_at else None,
            "revoke_reason": cert.revoke_reason if self.verdict == Verdict.REVOKED else None,
        }


def public_facts(certificate: Certificate | None, today: date | None = None) -> PublicFacts | None:
    verdict = verdict_of(certificate, today)
    if verdict == Verdict.NOT_FOUND:
        return None
    return PublicFacts(certificate, verdict)
