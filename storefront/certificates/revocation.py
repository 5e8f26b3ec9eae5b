"""Revoking a verified certificate: the product loses its OCOP listing and the public page says why."""
from flask_babel import gettext as _

from ..catalog.models import Certificate, ReviewStatus
from ..extensions import db
from ..notifications.services import producer_addresses, queue
from ..timeutil import utcnow
from ..unit_of_work import transaction


class RevokeRefused(Exception):
    """The certificate cannot be revoked; the message is for the admin."""


def revoke(certificate_id: int, reason: str, *, by) -> Certificate:
    """Revoke a verified certificate with a public reason, and tell the producer.

    :raises RevokeRefused: when it is not a verified certificate (pending, rejected, revoked).
    """
    with transaction():
        certificate = db.session.get(Certificate, certificate_id, with_for_update=True)
        if certificate is None or certificate.status != ReviewStatus.VERIFIED:
            raise RevokeRefused(_("Chỉ thu hồi được chứng nhận đã xác minh."))
        certificate.status = ReviewStatus.REVOKED
        certificate.revoked_at = utcnow()
        certificate.revoke_reason = reason.strip()
        certificate.reviewed_by_id = by.id
        for address, locale in producer_addresses(certificate.product.producer):
            queue("certificate_revoked", address, locale, certificate=certificate)
    return certificate
