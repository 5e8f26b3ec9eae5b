"""Admin review of producers and certificates (villages, outlets and users: ``places``, ``users``)."""
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..accounts.models import Role, User
from ..catalog.models import STAR_SCORE_RANGES, Certificate, Producer, Product, ReviewStatus
from ..unit_of_work import transaction
from ..extensions import db
from ..timeutil import local_today, utcnow


class AdminError(Exception):
    """An admin action was refused; the message is for the admin.

    ``field`` names the form field the message belongs to, when there is one.
    """

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class ReviewError(AdminError):
    """A producer or certificate cannot take that review decision."""


def require_admin(by: User) -> None:
    """Refuse admin actions to anyone but an active admin."""
    if by is None or by.role != Role.ADMIN or not by.active:
        raise AdminError(_("Chỉ quản trị viên mới được làm việc này."))


def dashboard_counts() -> dict[str, int]:
    """Count what waits for an admin."""
    def count(model):
        return db.session.scalar(select(func.count(model.id)).where(model.status == ReviewStatus.PENDING))

    return {"pending_producers": count(Producer), "pending_certificates": count(Certificate)}


def producers_with_status(status: str) -> list[Producer]:
    """Return producers in one review status, oldest first (the queue order)."""
    query = (select(Producer).options(joinedload(Producer.village))
             .where(Producer.status == status).order_by(Producer.created_at, Producer.id))
    return list(db.session.scalars(query))


def certificates_with_status(status: str) -> list[Certificate]:
    """Return certificates in one review status with product and producer, oldest first."""
    query = (select(Certificate)
             .options(joinedload(Certificate.product).joinedload(Product.producer))
             .where(Certificate.status == status).order_by(Certificate.created_at, Certificate.id))
    return list(db.session.scalars(query))


def _reason(text: str | None) -> str:
    """Return the trimmed rejection reason.

    :raises ReviewError: the reason is blank.
    """
    reason = (text or "").strip()
    if not reason:
        raise ReviewError(_("Vui lòng ghi lý do từ chối để cơ sở sản xuất biết cần sửa gì."),
                          field="note")
    return reason


def verify_producer(producer: Producer, *, by: User, note: str | None = None) -> None:
    """Mark the producer verified so its listed products can be shown.

    :raises ReviewError: it is already verified.
    """
    require_admin(by)
    if producer.status == ReviewStatus.VERIFIED:
        raise ReviewError(_("Cơ sở sản xuất này đã được xác minh."))
    with transaction():
        producer.status = ReviewStatus.VERIFIED
        producer.review_note = (note or "").strip() or None
        producer.reviewed_at = utcnow()


def reject_producer(producer: Producer, *, by: User, reason: str | None) -> None:
    """Reject (or withdraw verification from) the producer, with a reason it will see.

    :raises ReviewError: no reason, or it is already rejected.
    """
    require_admin(by)
    reason = _reason(reason)
    if producer.status == ReviewStatus.REJECTED:
        raise ReviewError(_("Cơ sở sản xuất này đã bị từ chối."))
    with transaction():
        producer.status = ReviewStatus.REJECTED
        producer.review_note = reason
        producer.reviewed_at = utcnow()


def _check_certificate_can_count(certificate: Certificate, today) -> None:
    """Refuse a certificate that is expired or whose score does not fit its stars."""
    if certificate.expires_on <= today:
        raise ReviewError(_("Chứng nhận đã hết hạn từ ngày %(day)s nên không thể xác minh.",
                            day=certificate.expires_on.strftime("%d/%m/%Y")))
    low, high = STAR_SCORE_RANGES.get(certificate.stars, (None, None))
    if low is None or not low <= certificate.score <= high:
        raise ReviewError(_("Điểm %(score)d không khớp với hạng %(stars)d sao.",
                            score=certificate.score, stars=certificate.stars))


def verify_certificate(certificate: Certificate, *, by: User, note: str | None = None,
                       today=None) -> None:
    """Mark the certificate verified so it gives its product the OCOP stars.

    :raises ReviewError: already verified, expired, or score out of its star range.
    """
    require_admin(by)
    if certificate.status == ReviewStatus.VERIFIED:
        raise ReviewError(_("Chứng nhận này đã được xác minh."))
    _check_certificate_can_count(certificate, today or local_today())
    with transaction():
        _review(certificate, ReviewStatus.VERIFIED, (note or "").strip() or None, by)


def reject_certificate(certificate: Certificate, *, by: User, reason: str | None) -> None:
    """Reject (or revoke) the certificate, with a reason the producer will see.

    :raises ReviewError: no reason, or it is already rejected.
    """
    require_admin(by)
    reason = _reason(reason)
    if certificate.status == ReviewStatus.REJECTED:
        raise ReviewError(_("Chứng nhận này đã bị từ chối."))
    with transaction():
        _review(certificate, ReviewStatus.REJECTED, reason, by)


def _review(certificate: Certificate, status: str, note: str | None, by: User) -> None:
    certificate.status = status
    certificate.review_note = note
    certificate.reviewed_at = utcnow()
    certificate.reviewed_by_id = by.id
