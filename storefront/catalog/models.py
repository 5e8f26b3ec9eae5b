"""Villages, producers, outlets, products, certificates and photos."""
import enum
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import event

from ..extensions import db
from ..model_checks import one_of
from ..i18n import current_locale
from ..text import fold, random_code
from ..timeutil import add_months, local_today, utcnow
from . import listing_rule
from .statuses import ProductStatus, ReviewStatus
from .units import english_unit

CERTIFICATE_MONTHS = 36


def _no_week(outlet) -> str:
    return ""


# The week's opening hours as text come from the pickup calendar, which builds on the catalogue
# (so the catalogue does not import it): ``storefront/wiring.py`` hands them in at start-up.
_week_text = _no_week


def describe_weeks_with(week_text) -> None:
    """Use ``week_text(outlet) -> str`` (empty when unknown) for ``Outlet.hours``."""
    global _week_text
    _week_text = week_text


class ProductGroup(enum.StrEnum):
    FOOD = "food"
    BEVERAGES = "beverages"
    HERBAL = "herbal"
    HANDICRAFTS = "handicrafts"
    ORNAMENTAL = "ornamental"
    TOURISM = "tourism"


GROUP_LABELS = {
    ProductGroup.FOOD: _l("Thực phẩm"),
    ProductGroup.BEVERAGES: _l("Đồ uống"),
    ProductGroup.HERBAL: _l("Dược liệu và sản phẩm từ dược liệu"),
    ProductGroup.HANDICRAFTS: _l("Hàng thủ công mỹ nghệ"),
    ProductGroup.ORNAMENTAL: _l("Sinh vật cảnh"),
    ProductGroup.TOURISM: _l("Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch"),
}


class ProducerKind(enum.StrEnum):
    COOPERATIVE = "cooperative"
    ENTERPRISE = "enterprise"
    HOUSEHOLD = "household"


PRODUCER_KIND_LABELS = {
    ProducerKind.COOPERATIVE: _l("Hợp tác xã"),
    ProducerKind.ENTERPRISE: _l("Doanh nghiệp"),
    ProducerKind.HOUSEHOLD: _l("Hộ sản xuất"),
}


REVIEW_LABELS = {
    ReviewStatus.PENDING: _l("Chờ duyệt"),
    ReviewStatus.VERIFIED: _l("Đã xác minh"),
    ReviewStatus.REJECTED: _l("Bị từ chối"),
    ReviewStatus.REVOKED: _l("Đã thu hồi"),
}

# The public code of a certificate, in ``text.CODE_ALPHABET`` so it can be read off a label and typed back.
CERTIFICATE_CODE_LENGTH = 10  # 31^10 ≈ 8·10^14 codes: not guessable, not enumerable


def fold_decision_number(number: str | None) -> str:
    """Return a decision number as searched: no accents, no case, no spaces (``1234/QĐ-UBND`` → ``1234/qd-ubnd``)."""
    return "".join(fold(number or "").split())


def new_certificate_code() -> str:
    return random_code(CERTIFICATE_CODE_LENGTH)


class PlaceType(enum.StrEnum):
    CRAFT_VILLAGE = "craft_village"
    TOURIST_AREA = "tourist_area"
    SUPERMARKET = "supermarket"
    MARKET = "market"
    TRANSPORT_HUB = "transport_hub"
    OTHER = "other"


PLACE_TYPE_LABELS = {
    PlaceType.CRAFT_VILLAGE: _l("Làng nghề"),
    PlaceType.TOURIST_AREA: _l("Khu du lịch"),
    PlaceType.SUPERMARKET: _l("Siêu thị"),
    PlaceType.MARKET: _l("Chợ"),
    PlaceType.TRANSPORT_HUB: _l("Đầu mối giao thông"),
    PlaceType.OTHER: _l("Khác"),
}


PRODUCT_STATUS_LABELS = {
    ProductStatus.DRAFT: _l("Bản nháp"),
    ProductStatus.PUBLISHED: _l("Đang bán"),
    ProductStatus.ARCHIVED: _l("Lưu trữ"),
}


class IssuingLevel(enum.StrEnum):
    DISTRICT = "district"
    PROVINCE = "province"
    CENTRAL = "central"


ISSUING_LEVEL_LABELS = {
    IssuingLevel.DISTRICT: _l("Cấp huyện (trước 7/2025)"),
    IssuingLevel.PROVINCE: _l("Cấp thành phố/tỉnh"),
    IssuingLevel.CENTRAL: _l("Cấp trung ương"),
}

STAR_SCORE_RANGES = {3: (50, 69), 4: (70, 89), 5: (90, 100)}


def _english() -> bool:
    locale = current_locale()
    return locale is not None and locale.language == "en"


def _in_locale(vi: str | None, en: str | None) -> str:
    """Return the English text for English readers when there is one, else the Vietnamese."""
    if not en:  # most names have no English: skip looking up the language
        return vi or ""
    locale = current_locale()
    if locale is not None and locale.language == "en":
        return en
    return vi or ""


class Village(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    slug = db.Column(db.String(100), nullable=False, unique=True)
    name = db.Column(db.String(120), nullable=False)
    name_en = db.Column(db.String(120))
    commune = db.Column(db.String(120))
    district = db.Column(db.String(120))
    craft_vi = db.Column(db.String(120))
    craft_en = db.Column(db.String(120))
    description_vi = db.Column(db.Text)
    description_en = db.Column(db.Text)

    # Kept from the names by ``_fold_village_names`` on every ORM write: the directory of
    # (nationally) 13,500 villages is sorted and searched in SQL, one page at a time.
    sort_name_vi = db.Column(db.String(120), nullable=False, default="", server_default="")
    sort_name_en = db.Column(db.String(120), nullable=False, default="", server_default="")
    search_text = db.Column(db.String(500), nullable=False, default="", server_default="")

    producers = db.relationship("Producer", back_populates="village")
    outlets = db.relationship("Outlet", back_populates="village")

    __table_args__ = (
        db.Index("ix_village_sort_name_vi", "sort_name_vi", "id"),
        db.Index("ix_village_sort_name_en", "sort_name_en", "id"),
    )

    @staticmethod
    def folded_names(name: str, name_en: str | None, commune: str | None, district: str | None) -> dict:
        """Return the sort and search columns for these names (also for bulk inserts)."""
        return {"sort_name_vi": fold(name)[:120], "sort_name_en": fold(name_en or name)[:120],
                "search_text": fold(" ".join(p for p in (name, name_en, commune, district) if p))[:500]}

    @property
    def display_name(self) -> str:
        return _in_locale(self.name, self.name_en)

    @property
    def craft(self) -> str:
        return _in_locale(self.craft_vi, self.craft_en)

    @property
    def description(self) -> str:
        return _in_locale(self.description_vi, self.description_en)


class Producer(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    slug = db.Column(db.String(100), nullable=False, unique=True)
    name = db.Column(db.String(200), nullable=False)
    kind = db.Column(db.String(20), nullable=False, default=ProducerKind.COOPERATIVE)
    village_id = db.Column(db.Integer, db.ForeignKey("village.id"), nullable=False, index=True)
    phone = db.Column(db.String(20))
    email = db.Column(db.String(254))
    description_vi = db.Column(db.Text)
    description_en = db.Column(db.Text)
    status = db.Column(db.String(20), nullable=False, default=ReviewStatus.PENDING, index=True)
    review_note = db.Column(db.Text)
    reviewed_at = db.Column(db.DateTime)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    # Days needed to bring ordered goods to an outlet, and the weekdays it delivers
    # (digits, Monday 0 … Sunday 6): read by storefront/pickup/schedule.py.
    lead_days = db.Column(db.Integer, nullable=False, default=2, server_default="2")
    delivery_weekdays = db.Column(db.String(7), nullable=False, default="0123456",
                                  server_default="0123456")
    # The legal identity a verified producer must have (``producer_identity.py``), shown as the
    # seller's on each product page when producers sell (``SELLER_OF_RECORD=producer``).
    tax_code = db.Column(db.String(14))  # mã số thuế, 10 digits (or 13 for a branch), compact
    business_registration = db.Column(db.String(120))  # the registration certificate's number and issuer
    legal_address = db.Column(db.String(300))

    village = db.relationship("Village", back_populates="producers")
    products = db.relationship("Product", back_populates="producer")
    users = db.relationship("User", back_populates="producer")

    __table_args__ = (
        one_of("kind", ProducerKind, name="kind_known"),
        # a producer is never revoked: that is a certificate's end
        one_of("status", (ReviewStatus.PENDING, ReviewStatus.VERIFIED, ReviewStatus.REJECTED),
               name="status_known"),
    )

    @property
    def verified(self) -> bool:
        return self.status == ReviewStatus.VERIFIED

    @property
    def description(self) -> str:
        return _in_locale(self.description_vi, self.description_en)


product_outlets = db.Table(
    "product_outlet",
    db.Column("product_id", db.Integer, db.ForeignKey("product.id", ondelete="CASCADE"), primary_key=True),
    db.Column("outlet_id", db.Integer, db.ForeignKey("outlet.id", ondelete="CASCADE"), primary_key=True),
    db.Index("ix_product_outlet_outlet", "outlet_id", "product_id"),  # an outlet's products
)


class Outlet(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    slug = db.Column(db.String(100), nullable=False, unique=True)
    name = db.Column(db.String(200), nullable=False)
    name_en = db.Column(db.String(200))
    place_type = db.Column(db.String(20), nullable=False, default=PlaceType.OTHER)
    address = db.Column(db.String(300), nullable=False)
    village_id = db.Column(db.Integer, db.ForeignKey("village.id"), index=True)
    opening_hours = db.Column(db.String(200))
    opening_hours_en = db.Column(db.String(200))
    phone = db.Column(db.String(20))
    latitude = db.Column(db.Float)
    longitude = db.Column(db.Float)
    active = db.Column(db.Boolean, nullable=False, default=True)
    # Pickup: instructions for shoppers (which counter, parking) and an optional daily limit.
    instructions_vi = db.Column(db.Text)
    instructions_en = db.Column(db.Text)
    pickups_per_day = db.Column(db.Integer)

    village = db.relationship("Village", back_populates="outlets")
    staff = db.relationship("User", back_populates="outlet")
    products = db.relationship("Product", secondary=product_outlets, back_populates="outlets")

    __table_args__ = (
        one_of("place_type", PlaceType, name="place_type_known"),
    )

    @property
    def display_name(self) -> str:
        return _in_locale(self.name, self.name_en)

    @property
    def hours(self) -> str:
        """Return the week's opening hours as text: from the hours data, else the free-text note."""
        return _week_text(self) or _in_locale(self.opening_hours, self.opening_hours_en)

    @property
    def instructions(self) -> str:
        return _in_locale(self.instructions_vi, self.instructions_en)

    @property
    def map_url(self) -> str | None:
        """Return a ``geo:`` link phones open in their map app, when coordinates are known."""
        if self.latitude is None or self.longitude is None:
            return None
        return f"geo:{self.latitude},{self.longitude}?q={self.latitude},{self.longitude}"


class Product(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    slug = db.Column(db.String(120), nullable=False, unique=True)
    producer_id = db.Column(db.Integer, db.ForeignKey("producer.id"), nullable=False, index=True)
    name_vi = db.Column(db.String(200), nullable=False)
    name_en = db.Column(db.String(200))
    description_vi = db.Column(db.Text, nullable=False, default="")
    description_en = db.Column(db.Text)
    group = db.Column(db.String(20), nullable=False, index=True)
    unit_vi = db.Column(db.String(60), nullable=False)
    unit_en = db.Column(db.String(60))
    price = db.Column(db.Integer, nullable=False)  # whole đồng
    # VAT rate on its e-invoice lines, set by the producer (invoices/vat.py: 0, 5, 8, 10 or "kct").
    vat_rate = db.Column(db.String(3), nullable=False, default="10", server_default="10")
    stock = db.Column(db.Integer, nullable=False, default=0)
    lead_days = db.Column(db.Integer)  # overrides the producer's lead time when set
    status = db.Column(db.String(20), nullable=False, default=ProductStatus.DRAFT, index=True)
    # Folded names of product, producer and village: what accent-insensitive search reads.
    search_text = db.Column(db.Text, nullable=False, default="")
    # Label facts (Decree 43/2017 as amended by 111/2021), in Vietnamese as on the label; which are
    # required depends on the group (``labels.py``).
    label_origin = db.Column(db.String(200))
    label_maker_name = db.Column(db.String(200))
    label_maker_address = db.Column(db.String(300))
    label_net_quantity = db.Column(db.String(100))
    label_ingredients = db.Column(db.Text)
    label_shelf_life = db.Column(db.String(200))
    label_storage = db.Column(db.Text)
    label_warnings = db.Column(db.Text)
    food_safety_number = db.Column(db.String(100))  # food-safety certificate (food and drink)
    food_safety_date = db.Column(db.Date)
    food_safety_issuer = db.Column(db.String(200))
    # An admin's take-down of a listing (the listing rule hides it), with a public reason.
    taken_down_at = db.Column(db.DateTime)
    takedown_reason = db.Column(db.Text)
    taken_down_by_id = db.Column(db.Integer, db.ForeignKey("user.id"))
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow)

    producer = db.relationship("Producer", back_populates="products")
    outlets = db.relationship(
        "Outlet", secondary=product_outlets, back_populates="products", order_by="Outlet.id"
    )
    certificates = db.relationship(
        "Certificate", back_populates="product", order_by="Certificate.decision_date.desc()",
        cascade="all, delete-orphan",
    )
    photos = db.relationship(
        "Photo", back_populates="product", order_by="Photo.position", cascade="all, delete-orphan"
    )

    __table_args__ = (
        db.Index("ix_product_price", "price", "id"),  # sort by price and stop after one page
        db.CheckConstraint("price >= 0", name="price_not_negative"),
        db.CheckConstraint("stock >= 0", name="stock_not_negative"),
        one_of("status", ProductStatus, name="status_known"),
        one_of('"group"', ProductGroup, name="group_known"),
    )

    @property
    def name(self) -> str:
        return _in_locale(self.name_vi, self.name_en)

    @property
    def description(self) -> str:
        return _in_locale(self.description_vi, self.description_en)

    @property
    def unit(self) -> str:
        """Return the unit in the reader's language; an English reader gets a known unit in English."""
        if self.unit_en or not _english():
            return _in_locale(self.unit_vi, self.unit_en)
        return english_unit(self.unit_vi) or self.unit_vi

    @property
    def unit_in_vietnamese(self) -> bool:
        """Tell whether an English reader sees the unit as the producer wrote it, in Vietnamese."""
        return _english() and not self.unit_en and english_unit(self.unit_vi) is None

    # The listing rule lives in listing_rule.py (in SQL: listing.py, which builds on these
    # models); these two methods only let templates and other domains ask a loaded product.
    def current_certificate(self, today=None):
        """Return the certificate that gives the product its public stars on ``today``, if any."""
        return listing_rule.current_certificate(self, today)

    def is_listed(self, today=None) -> bool:
        """Tell whether shoppers see the product on ``today`` (Hanoi's today by default)."""
        return listing_rule.is_listed(self, today)


class Certificate(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    product_id = db.Column(db.Integer, db.ForeignKey("product.id", ondelete="CASCADE"), nullable=False)
    stars = db.Column(db.Integer, nullable=False)
    score = db.Column(db.Integer, nullable=False)
    issuing_level = db.Column(db.String(20), nullable=False)
    issuing_body = db.Column(db.String(200))
    decision_number = db.Column(db.String(60), nullable=False)
    decision_date = db.Column(db.Date, nullable=False)
    # First day the certificate no longer counts: decision date + 36 months.
    expires_on = db.Column(db.Date, nullable=False)
    scan_key = db.Column(db.String(200))
    status = db.Column(db.String(20), nullable=False, default=ReviewStatus.PENDING)
    review_note = db.Column(db.Text)
    reviewed_at = db.Column(db.DateTime)
    reviewed_by_id = db.Column(db.Integer, db.ForeignKey("user.id"))
    # Public, stable and unguessable: what a label's QR code and the public check page use.
    code = db.Column(db.String(16), nullable=False, unique=True, default=new_certificate_code)
    # Folded decision number, so the public search is accent- and case-insensitive.
    decision_number_folded = db.Column(db.String(60), nullable=False, default="", index=True)
    revoked_at = db.Column(db.DateTime)
    revoke_reason = db.Column(db.Text)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    product = db.relationship("Product", back_populates="certificates")

    __table_args__ = (
        db.Index("ix_certificate_listing", "product_id", "status", "expires_on"),
        db.CheckConstraint("stars between 3 and 5", name="stars_certified"),
        db.CheckConstraint("score between 50 and 100", name="score_range"),
        one_of("status", ReviewStatus, name="status_known"),
        one_of("issuing_level", IssuingLevel, name="issuing_level_known"),
    )

    @db.validates("decision_number")
    def _fold_decision_number(self, key, value):
        self.decision_number_folded = fold_decision_number(value)
        return value

    @staticmethod
    def expiry_for(decision_date):
        return add_months(decision_date, CERTIFICATE_MONTHS)

    @property
    def last_valid_day(self):
        """Return the last day the certificate counts (the day before ``expires_on``)."""
        return self.expires_on - timedelta(days=1)

    def days_left(self, today=None) -> int:
        return (self.expires_on - (today or local_today())).days


class Photo(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    product_id = db.Column(db.Integer, db.ForeignKey("product.id", ondelete="CASCADE"), nullable=False, index=True)
    position = db.Column(db.Integer, nullable=False, default=0)
    alt_vi = db.Column(db.String(200), nullable=False, default="")
    alt_en = db.Column(db.String(200))
    small_key = db.Column(db.String(200), nullable=False)
    large_key = db.Column(db.String(200), nullable=False)
    width = db.Column(db.Integer, nullable=False)
    height = db.Column(db.Integer, nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    product = db.relationship("Product", back_populates="photos")

    @property
    def alt(self) -> str:
        return _in_locale(self.alt_vi, self.alt_en) or self.product.name


@event.listens_for(Village, "before_insert")
@event.listens_for(Village, "before_update")
def _fold_village_names(_mapper, _connection, village: Village) -> None:
    for column, value in Village.folded_names(village.name, village.name_en, village.commune,
                                              village.district).items():
        setattr(village, column, value)
