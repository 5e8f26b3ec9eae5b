"""What the producer's dashboard tells about each product: listed or not and why, expiring marks."""
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l

from ..catalog.models import Certificate, Product, ProductStatus, ReviewStatus
from ..timeutil import local_today

EXPIRY_WARNING_DAYS = 90

REASONS = {
    "draft": _l("Bản nháp — chưa đăng bán"),
    "archived": _l("Đã lưu trữ"),
    "producer_pending": _l("Cơ sở sản xuất chưa được xác minh"),
    "producer_rejected": _l("Hồ sơ cơ sở sản xuất bị từ chối"),
    "no_certificate": _l("Chưa có chứng nhận OCOP"),
    "certificate_pending": _l("Chứng nhận OCOP đang chờ duyệt"),
    "certificate_rejected": _l("Chứng nhận OCOP bị từ chối"),
    "certificate_expired": _l("Chứng nhận OCOP đã hết hạn"),
}


@dataclass
class ProductOverview:
    product: Product
    reasons: list[str] = field(default_factory=list)  # keys of REASONS, empty when listed
    expiring: Certificate | None = None  # the current certificate, when it ends within 90 days
    days_left: int | None = None

    @property
    def listed(self) -> bool:
        return not self.reasons

    @property
    def reason_labels(self) -> list:
        return [REASONS[reason] for reason in self.reasons]


def _certificate_reason(product: Product, today: date) -> str | None:
    """Say why no certificate gives the product its stars, or None when one does."""
    if product.current_certificate(today) is not None:
        return None
    statuses = {c.status for c in product.certificates}
    if ReviewStatus.PENDING in statuses:
        return "certificate_pending"
    if any(c.status == ReviewStatus.VERIFIED for c in product.certificates):
        return "certificate_expired"
    if ReviewStatus.REJECTED in statuses:
        return "certificate_rejected"
    return "no_certificate"


def reasons_not_listed(product: Product, today: date | None = None) -> list[str]:
    """Return why shoppers cannot see the product (keys of ``REASONS``); empty when it is listed."""
    today = today or local_today()
    reasons = []
    if product.status != ProductStatus.PUBLISHED:
        reasons.append("archived" if product.status == ProductStatus.ARCHIVED else "draft")
    if product.producer.status == ReviewStatus.REJECTED:
        reasons.append("producer_rejected")
    elif not product.producer.verified:
        reasons.append("producer_pending")
    certificate_reason = _certificate_reason(product, today)
    if certificate_reason:
        reasons.append(certificate_reason)
    return reasons


def overview(product: Product, today: date | None = None) -> ProductOverview:
    """Return the product's dashboard row for ``today`` (Hanoi's date by default)."""
    today = today or local_today()
    row = ProductOverview(product=product, reasons=reasons_not_listed(product, today))
    current = product.current_certificate(today)
    if current is not None and current.days_left(today) <= EXPIRY_WARNING_DAYS:
        row.expiring, row.days_left = current, current.days_left(today)
    return row
