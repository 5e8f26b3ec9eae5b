"""Certificates that need renewing: expiring soon or just expired, and not yet replaced.

A certificate is *replaced* when the same product has another verified certificate that runs
longer, or a newer one waiting for review: the producer has done what a reminder would ask.
"""
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import aliased, joinedload

from ..catalog.models import Certificate, Producer, Product, ProductStatus, ReviewStatus
from ..extensions import db
from ..timeutil import local_today

WINDOWS = (30, 60, 90)  # what the admins' list offers
REMIND_DAYS = (90, 30, 7)
EXPIRED_GRACE_DAYS = 30  # expired certificates stay on the producer's renew list this long


def _not_replaced():
    other = aliased(Certificate)
    return ~exists().where(
        other.product_id == Certificate.product_id, other.id != Certificate.id,
        or_(and_(other.status == ReviewStatus.VERIFIED, other.expires_on > Certificate.expires_on),
            and_(other.status == ReviewStatus.PENDING, other.created_at > Certificate.created_at)),
    )


def expiring(today: date, within_days: int, *, expired_since: int = 0):
    """Return a query for verified, not replaced certificates of live products expiring soon.

    ``expires_on`` from ``today - expired_since`` up to ``today + within_days`` (inclusive).
    """
    return (
        select(Certificate)
        .join(Product, Product.id == Certificate.product_id)
        .where(Certificate.status == ReviewStatus.VERIFIED,
               Product.status != ProductStatus.ARCHIVED,
               Certificate.expires_on >= today - timedelta(days=expired_since),
               Certificate.expires_on <= today + timedelta(days=within_days),
               _not_replaced())
        .options(joinedload(Certificate.product).joinedload(Product.producer)
                 .joinedload(Producer.village))
        .order_by(Certificate.expires_on, Certificate.id)
    )


@dataclass(frozen=True)
class Renewal:
    certificate: Certificate
    days_left: int

    @property
    def expired(self) -> bool:
        return self.days_left <= 0


def renewals_of(producer, today: date | None = None) -> list[Renewal]:
    """Return what this producer should renew: expiring within 90 days, or expired in the last 30."""
    today = today or local_today()
    query = expiring(today, max(REMIND_DAYS), expired_since=EXPIRED_GRACE_DAYS) \
        .where(Product.producer_id == producer.id)
    return [Renewal(c, (c.expires_on - today).days) for c in db.session.scalars(query).unique()]


def expiring_for_admins(within_days: int, today: date | None = None) -> list[Certificate]:
    today = today or local_today()
    return list(db.session.scalars(expiring(today, within_days)).unique())
