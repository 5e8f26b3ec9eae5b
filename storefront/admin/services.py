"""Admin review of producers and certificates (villages, outlets and users: ``places``, ``users``)."""
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..accounts.models import Role, User
from ..catalog import producer_identity
from ..catalog.certification import CertificateInvalid, check_certificate
from ..catalog.models import Certificate, Producer, Product, ReviewStatus
from ..unit_of_work import transaction
from ..extensions import db
from ..timeutil import utcnow


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
    def count(model, *more):
        return db.session.scalar(select(func.count(model.id))
                                 .where(model.status == ReviewStatus.PENDING, *more))

    return {"pending_producers": count(Producer, application_confirmed()),
            "pending_certificates": count(Certificate)}


def application_confirmed():
    """Hide a producer whose accounts have not yet confirmed their address: its application is not in."""
    has_user = select(User.id).where(User.producer_id == Producer.id).exists()
    has_confirmed = (select(User.id)
                     .where(User.producer_id == Producer.id, User.email_confirmed_at.is_not(None)).exists())
    return ~has_user | has_confirmed


def producers_with_status(status: str) -> list[Producer]:
    """Return producers in one review status, oldest first (the queue order)."""
    query = (select(Producer).options(joinedload(Producer.village))
             .where(Producer.status == status, application_confirmed())
             .order_by(Producer.created_at, Producer.id))
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

    :raises ReviewError: it is already verified, or its legal identity is incomplete.
    """
    require_admin(by)
    if producer.status == ReviewStatus.VERIFIED:
        raise ReviewError(_("Cơ sở sản xuất này đã được xác minh."))
    if producer_identity.missing(producer):
        raise ReviewError(_("Chưa xác minh được: cơ sở sản xuất chưa khai %(fields)s.",
                            fields=producer_identity.missing_text(producer)))
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


def verify_certificate(certificate: Certificate, *, by: User, note: str | None = None,
                       today=None) -> None:
    """Mark the certificate verified so it gives its product the OCOP stars.

    :raises ReviewError: already verified, or it breaks an OCOP rule (score, level, expiry).
    """
    require_admin(by)
    if certificate.status == ReviewStatus.VERIFIED:
        raise ReviewError(_("Chứng nhận này đã được xác minh."))
    if certificate.status == ReviewStatus.REVOKED:
        raise ReviewError(_("Chứng nhận này đã bị thu hồi: cơ sở cần gửi chứng nhận mới."))
    try:
        check_certificate(certificate, today)
    except CertificateInvalid as broken:
        raise ReviewError(broken.message) from None
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
    if certificate.status == ReviewStatus.REVOKED:
        raise ReviewError(_("Chứng nhận này đã bị thu hồi: cơ sở cần gửi chứng nhận mới."))
    with transaction():
        _review(certificate, ReviewStatus.REJECTED, reason, by)


def _review(certificate: Certificate, status: str, note: str | None, by: User) -> None:
    certificate.status = status
    certificate.review_note = note
    certificate.reviewed_at = utcnow()
    certificate.reviewed_by_id = by.id
