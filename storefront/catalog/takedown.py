"""An admin takes a listing down (a violating product), with a reason shoppers read; or puts it back.

The listing rule hides a taken-down product (``listing_rule.py``, ``listing.py``: the listing table
follows in the same transaction); its page then answers 410 with the public reason.
"""
from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..roles import Role
from ..timeutil import utcnow
from ..unit_of_work import transaction
from .models import Product


class TakedownError(Exception):
    """A take-down cannot be done as asked; the message is for the admin."""


def _require_admin(by) -> None:
    if by is None or by.role != Role.ADMIN or not by.active:
        raise TakedownError(_("Chỉ quản trị viên mới được làm việc này."))


def take_down(product: Product, *, by, reason: str | None) -> None:
    """Hide ``product`` from shoppers, with a public reason.

    :raises TakedownError: not an admin, no reason, or already taken down.
    """
    _require_admin(by)
    reason = (reason or "").strip()
    if not reason:
        raise TakedownError(_("Hãy ghi lý do gỡ: lý do được công bố trên trang sản phẩm."))
    if product.taken_down_at is not None:
        raise TakedownError(_("Sản phẩm này đã bị gỡ."))
    with transaction():
        product.taken_down_at = utcnow()
        product.takedown_reason = reason
        product.taken_down_by_id = by.id


def restore(product: Product, *, by) -> None:
    """Put a taken-down product back (the listing rule decides again whether shoppers see it)."""
    _require_admin(by)
    with transaction():
        product.taken_down_at = None
        product.takedown_reason = None
        product.taken_down_by_id = None


def taken_down(slug: str) -> Product | None:
    """Return the taken-down product with this slug, if there is one."""
    return db.session.scalar(select(Product).where(Product.slug == slug,
                                                   Product.taken_down_at.isnot(None)))
