"""A complaint about an order, and the messages either side wrote on it."""
import enum

from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..model_checks import one_of
from ..timeutil import utcnow


class Category(enum.StrEnum):
    QUALITY = "quality"
    MISSING = "missing"         # missing or wrong item
    PICKUP = "pickup"           # the outlet's service, the hand-over
    PAYMENT = "payment"         # payment or refund
    OTHER = "other"


CATEGORY_LABELS = {
    Category.QUALITY: _l("Chất lượng sản phẩm"),
    Category.MISSING: _l("Thiếu hoặc sai hàng"),
    Category.PICKUP: _l("Điểm bán, nhận hàng"),
    Category.PAYMENT: _l("Thanh toán, hoàn tiền"),
    Category.OTHER: _l("Khác"),
}


class Status(enum.StrEnum):
    OPEN = "open"               # waiting for the shop's answer
    ANSWERED = "answered"       # the shop answered; the shopper may reply (open again)
    RESOLVED = "resolved"


STATUS_LABELS = {
    Status.OPEN: _l("Đang chờ trả lời"),
    Status.ANSWERED: _l("Đã trả lời"),
    Status.RESOLVED: _l("Đã giải quyết"),
}


class Author(enum.StrEnum):
    SHOPPER = "shopper"
    STAFF = "staff"             # outlet staff or an admin


class Complaint(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    order_id = db.Column(db.Integer, db.ForeignKey("order.id"), nullable=False, index=True)
    # The outlet the complaint is about (the pickup's), so its staff see it; None: the shop's.
    outlet_id = db.Column(db.Integer, db.ForeignKey("outlet.id"), index=True)
    category = db.Column(db.String(20), nullable=False)
    status = db.Column(db.String(20), nullable=False, default=Status.OPEN, index=True)
    photo_key = db.Column(db.String(200))  # private: complaints/<uuid>.webp
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    answer_by = db.Column(db.Date, nullable=False)   # Hanoi day, in working days from filing
    resolve_by = db.Column(db.Date, nullable=False)
    answered_at = db.Column(db.DateTime)
    resolved_at = db.Column(db.DateTime)

    order = db.relationship("Order")
    outlet = db.relationship("Outlet")
    messages = db.relationship("ComplaintMessage", back_populates="complaint",
                               order_by="ComplaintMessage.id", cascade="all, delete-orphan")

    __table_args__ = (
        one_of("category", Category, name="complaint_category_known"),
        one_of("status", Status, name="complaint_status_known"),
    )

    @property
    def reference(self) -> str:
        return f"KN-{self.id:06d}"


class ComplaintMessage(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    complaint_id = db.Column(db.Integer, db.ForeignKey("complaint.id"), nullable=False, index=True)
    author = db.Column(db.String(10), nullable=False)
    author_id = db.Column(db.Integer, db.ForeignKey("user.id"))  # staff, or a signed-in shopper
    body = db.Column(db.Text, nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    complaint = db.relationship("Complaint", back_populates="messages")

    __table_args__ = (one_of("author", Author, name="complaint_author_known"),)
