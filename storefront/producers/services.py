"""A producer's products: find them (scoped to the owner), create, edit, publish, archive.

Photos live in ``photos.py`` and certificates in ``certificates.py``; their verbs are
re-exported here so callers have one place to import the producer's use cases from.
"""
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..catalog import labels
from ..catalog.models import Outlet, Producer, Product, ProductStatus
from ..catalog.search import search_text_for
from ..unit_of_work import transaction
from .. import slugs
from ..extensions import db
from .certificates import submit_certificate  # noqa: F401  (re-exported)
from .errors import (  # noqa: F401  (re-exported)
    CertificateInvalid, InactiveOutlet, InvalidProductTransition, LabelIncomplete, ProducerError,
    TooManyPhotos,
)
from .photos import add_photo, delete_photo, move_photo, photo_limit, photo_of, update_alt  # noqa: F401

S = ProductStatus
SLUG_LENGTH = 80

# action: (statuses it may start from, status it leads to)
TRANSITIONS = {
    "publish": ({S.DRAFT}, S.PUBLISHED),
    "unpublish": ({S.PUBLISHED}, S.DRAFT),
    "archive": ({S.DRAFT, S.PUBLISHED}, S.ARCHIVED),
    "restore": ({S.ARCHIVED}, S.DRAFT),
}


@dataclass
class ProductDetails:
    """What a producer writes about a product (everything but status, slug and photos)."""

    name_vi: str
    group: str
    unit_vi: str
    price: int
    stock: int
    description_vi: str = ""
    name_en: str | None = None
    description_en: str | None = None
    unit_en: str | None = None
    outlet_ids: list[int] = field(default_factory=list)
    label: dict = field(default_factory=dict)  # labels.COLUMNS: the facts on the product's label
    vat_rate: str | None = None  # invoices.vat.VatRate on its e-invoice lines; None keeps it as it is


# --- finding, always through the owner -------------------------------------------------------

def products_of(producer: Producer):
    """Return a query for the producer's products, newest first, with what the dashboard shows."""
    return (
        select(Product)
        .where(Product.producer_id == producer.id)
        .options(selectinload(Product.certificates), selectinload(Product.photos),
                 selectinload(Product.outlets))
        .order_by(Product.created_at.desc(), Product.id.desc())
    )


def product_of(producer: Producer, product_id: int) -> Product:
    """Return the producer's product ``product_id``; another producer's product is not found (404)."""
    return db.first_or_404(products_of(producer).where(Product.id == product_id))


def active_outlets() -> list[Outlet]:
    """Return the outlets a product may be carried by: the active ones, by name."""
    return list(db.session.scalars(select(Outlet).where(Outlet.active.is_(True)).order_by(Outlet.name)))


# --- writing ---------------------------------------------------------------------------------

def unique_slug(name: str, exclude_id: int | None = None) -> str:
    """Return a product slug made from ``name``, with ``-2``, ``-3`` ... appended when taken."""
    return slugs.unique_slug(Product, name, exclude_id, max_length=SLUG_LENGTH)


def _outlets(ids: list[int]) -> list[Outlet]:
    """:raises InactiveOutlet: when an id is not an active outlet."""
    wanted = set(ids)
    outlets = list(db.session.scalars(
        select(Outlet).where(Outlet.id.in_(wanted), Outlet.active.is_(True)).order_by(Outlet.id)
    )) if wanted else []
    if len(outlets) != len(wanted):
        raise InactiveOutlet(_("Điểm bán đã chọn không còn hoạt động. Hãy chọn lại."))
    return outlets


def _apply(product: Product, details: ProductDetails) -> None:
    # No autoflush: a new product must not be flushed half-filled by the queries below.
    with db.session.no_autoflush:
        _fill(product, details)


def _fill(product: Product, details: ProductDetails) -> None:
    product.name_vi = details.name_vi.strip()
    product.name_en = (details.name_en or "").strip() or None
    product.description_vi = (details.description_vi or "").strip()
    product.description_en = (details.description_en or "").strip() or None
    product.group = details.group
    product.unit_vi = details.unit_vi.strip()
    product.unit_en = (details.unit_en or "").strip() or None
    product.price = details.price
    if details.vat_rate:
        product.vat_rate = details.vat_rate
    product.stock = details.stock
    product.outlets = _outlets(details.outlet_ids)
    product.search_text = search_text_for(product)
    for column in labels.COLUMNS:
        value = details.label.get(column)
        setattr(product, column, value.strip() or None if isinstance(value, str) else value)


def create_product(producer: Producer, details: ProductDetails) -> Product:
    """Create a draft product with a slug of its own (a producer need not be verified yet).

    :raises InactiveOutlet: when a chosen outlet is not active.
    """
    with transaction():
        product = Product(producer=producer, status=S.DRAFT, slug=unique_slug(details.name_vi))
        _apply(product, details)
        db.session.add(product)
    return product


def update_product(product: Product, details: ProductDetails) -> None:
    """Save a producer's edits; the slug stays as it was so links keep working.

    :raises InactiveOutlet: when a chosen outlet is not active.
    """
    with transaction():
        _apply(product, details)


def change_status(product: Product, action: str) -> None:
    """Publish, unpublish (back to draft), archive or restore a product.

    Publishing needs no verified certificate: the listing rule decides visibility, and the
    dashboard tells the producer what is still missing.
    :raises InvalidProductTransition: when the product's status does not allow ``action``.
    :raises LabelIncomplete: publishing a product whose label lacks a fact its group requires.
    """
    if action not in TRANSITIONS:
        raise InvalidProductTransition(_("Thao tác không hợp lệ."))
    sources, target = TRANSITIONS[action]
    with transaction():
        if product.status not in sources:
            raise InvalidProductTransition(_("Không thể thực hiện thao tác này với sản phẩm ở trạng thái hiện tại."))
        if action == "publish" and labels.missing(product):
            raise LabelIncomplete(_("Chưa đăng bán được: nhãn sản phẩm còn thiếu %(facts)s. Hãy bổ sung "
                                    "trong phần “Thông tin ghi nhãn”.", facts=labels.missing_text(product)))
        product.status = target
