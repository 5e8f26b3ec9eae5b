"""The listing rule, its one home: which products shoppers see, and with which stars.

A product is *listed* on a day when it is published and not taken down by an admin, its producer
is verified, and one of its
certificates *counts* that day: verified (pending, rejected and revoked ones never count) and
the day is before ``expires_on`` (Hanoi date; a certificate drops out ON its expiry day).
Its public stars are those of the *current* certificate: among those that count, the one with
the latest decision date; when two share a decision date, the one entered last (highest id).

This module says it in Python, for one product already loaded (the models ask it, so it does not
import them); ``listing.py`` says the same in SQL and gives both. Everything else — the SQL of
the catalogue, the listing table kept in step with writes (``listing_table.py``), the cart,
order placement and the producer's dashboard — asks ``listing.py``.
"""
from datetime import date

from flask_babel import lazy_gettext as _l

from ..timeutil import local_today
from .statuses import ProductStatus, ReviewStatus

# A certificate counts only in this review state; any other (pending, rejected, revoked) does not.
COUNTING_STATUS = ReviewStatus.VERIFIED


# --- in Python, for one product already loaded ----------------------------------------------

def counts_on(certificate, day: date) -> bool:
    """Tell whether ``certificate`` can list its product on ``day``."""
    return certificate.status == COUNTING_STATUS and day < certificate.expires_on


def precedence(certificate) -> tuple:
    """Return the sort key that picks the current certificate: latest decision, then highest id."""
    return certificate.decision_date, certificate.id or 0


def current_certificate(product, day: date | None = None):
    """Return the certificate that gives ``product`` its public stars on ``day``, or None."""
    day = day or local_today()
    counting = [c for c in product.certificates if counts_on(c, day)]
    return max(counting, key=precedence, default=None)


def is_listed(product, day: date | None = None) -> bool:
    """Tell whether shoppers see ``product`` on ``day`` (Hanoi's today by default)."""
    return not reasons_not_listed(product, day)


REASONS = {
    "draft": _l("Bản nháp — chưa đăng bán"),
    "archived": _l("Đã lưu trữ"),
    "taken_down": _l("Quản trị viên đã gỡ sản phẩm"),
    "producer_pending": _l("Cơ sở sản xuất chưa được xác minh"),
    "producer_rejected": _l("Hồ sơ cơ sở sản xuất bị từ chối"),
    "no_certificate": _l("Chưa có chứng nhận OCOP"),
    "certificate_pending": _l("Chứng nhận OCOP đang chờ duyệt"),
    "certificate_rejected": _l("Chứng nhận OCOP bị từ chối"),
    "certificate_revoked": _l("Chứng nhận OCOP đã bị thu hồi"),
    "certificate_expired": _l("Chứng nhận OCOP đã hết hạn"),
}


def reasons_not_listed(product, day: date | None = None) -> list[str]:
    """Return why shoppers cannot see ``product`` on ``day`` (keys of ``REASONS``); empty when listed.

    Every reason that applies is given, product first, then producer, then certificate, so a
    producer sees all there is to fix. ``REASONS[key]`` is the sentence to show.
    """
    day = day or local_today()
    reasons = []
    if product.status != ProductStatus.PUBLISHED:
        reasons.append("archived" if product.status == ProductStatus.ARCHIVED else "draft")
    if product.taken_down_at is not None:
        reasons.append("taken_down")
    if product.producer.status == ReviewStatus.REJECTED:
        reasons.append("producer_rejected")
    elif product.producer.status != ReviewStatus.VERIFIED:
        reasons.append("producer_pending")
    certificate_reason = _certificate_reason(product, day)
    if certificate_reason:
        reasons.append(certificate_reason)
    return reasons


def _certificate_reason(product, day: date) -> str | None:
    """Say why no certificate lists the product on ``day``, or None when one does."""
    if current_certificate(product, day) is not None:
        return None
    statuses = {c.status for c in product.certificates}
    if ReviewStatus.PENDING in statuses:
        return "certificate_pending"
    if COUNTING_STATUS in statuses:
        return "certificate_expired"
    if ReviewStatus.REVOKED in statuses:
        return "certificate_revoked"
    if ReviewStatus.REJECTED in statuses:
        return "certificate_rejected"
    return "no_certificate"
