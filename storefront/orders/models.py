"""Orders, their pickups at outlets, order lines and the history of every change."""
import enum

from flask_babel import lazy_gettext as _l

from ..catalog.units import english_unit
from ..extensions import db
from ..i18n import current_language
from ..model_checks import one_of
from ..timeutil import utcnow


class PaymentMethod(enum.StrEnum):
    VIETQR = "vietqr"          # bank transfer by VietQR (NAPAS 247)
    CARD = "card"
    AT_PICKUP = "at_pickup"


class PaymentStatus(enum.StrEnum):
    UNPAID = "unpaid"          # pay at pickup, not yet paid
    PENDING = "pending"        # card, waiting for Stripe
    PAID = "paid"
    REFUND_PENDING = "refund_pending"
    REFUNDED = "refunded"
    PARTIALLY_REFUNDED = "partially_refunded"
    FAILED = "failed"          # card payment never completed


PAYMENT_METHOD_LABELS = {
    PaymentMethod.VIETQR: _l("Chuyển khoản ngân hàng (VietQR)"),
    PaymentMethod.CARD: _l("Thẻ ngân hàng (Stripe)"),
    PaymentMethod.AT_PICKUP: _l("Trả khi nhận hàng (tiền mặt hoặc chuyển khoản tại điểm bán)"),
}

PAYMENT_STATUS_LABELS = {
    PaymentStatus.UNPAID: _l("Chưa thanh toán (trả khi nhận hàng)"),
    PaymentStatus.PENDING: _l("Chờ thanh toán"),
    PaymentStatus.PAID: _l("Đã thanh toán"),
    PaymentStatus.REFUND_PENDING: _l("Đang hoàn tiền"),
    PaymentStatus.REFUNDED: _l("Đã hoàn tiền"),
    PaymentStatus.PARTIALLY_REFUNDED: _l("Đã hoàn tiền một phần"),
    PaymentStatus.FAILED: _l("Thanh toán không hoàn tất"),
}


class PickupStatus(enum.StrEnum):
    AWAITING_PAYMENT = "awaiting_payment"
    CONFIRMED = "confirmed"
    READY = "ready"
    COLLECTED = "collected"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


PICKUP_STATUS_LABELS = {
    PickupStatus.AWAITING_PAYMENT: _l("Chờ thanh toán"),
    PickupStatus.CONFIRMED: _l("Đã xác nhận"),
    PickupStatus.READY: _l("Sẵn sàng nhận hàng"),
    PickupStatus.COLLECTED: _l("Đã nhận hàng"),
    PickupStatus.CANCELLED: _l("Đã huỷ"),
    PickupStatus.NO_SHOW: _l("Không đến nhận"),
}


class LineStatus(enum.StrEnum):
    AWAITING_DROPOFF = "awaiting_dropoff"
    RECEIVED = "received"
    CANCELLED = "cancelled"


LINE_STATUS_LABELS = {
    LineStatus.AWAITING_DROPOFF: _l("Chờ giao đến điểm bán"),
    LineStatus.RECEIVED: _l("Điểm bán đã nhận"),
    LineStatus.CANCELLED: _l("Đã huỷ"),
}


# What each kind of OrderEvent means, for the staff who read an order's history.
EVENT_KIND_LABELS = {
    "placed": _l("Đơn được đặt"),
    "payment_status": _l("Trạng thái thanh toán"),
    "payment_confirmed": _l("Xác nhận thanh toán"),
    "payment_expired": _l("Hết hạn thanh toán, đơn huỷ"),
    "pickup_status": _l("Trạng thái nhận hàng"),
    "pickup_day_moved": _l("Đổi ngày nhận hàng"),
    "partial_hand_over": _l("Giao một phần"),
    "line_status": _l("Trạng thái sản phẩm"),
    "counter_payment": _l("Thu tiền tại quầy"),
    "wrong_pickup_code": _l("Nhập sai mã nhận hàng"),
    "transfer_received": _l("Nhận chuyển khoản"),
    "transfer_late": _l("Chuyển khoản đến muộn"),
    "refund_planned": _l("Lên lịch hoàn tiền"),
    "goods_returned": _l("Khách trả lại hàng"),
    "booking_moved": _l("Đổi buổi trải nghiệm"),
    "booking_payment": _l("Thu tiền vé trải nghiệm"),
    "booking_no_show": _l("Khách không đến buổi trải nghiệm"),
    "booking_cancelled": _l("Huỷ vé trải nghiệm"),
    "booking_session_cancelled": _l("Nhà sản xuất huỷ buổi trải nghiệm"),
    "booking_order_cancelled": _l("Huỷ vé theo đơn"),
}

# Who did it, when not a signed-in user (OrderEvent.actor_label holds these words).
EVENT_ACTOR_LABELS = {
    "system": _l("hệ thống"),
    "guest": _l("khách (không đăng nhập)"),
    "stripe": _l("Stripe"),
    "bank": _l("ngân hàng"),
    "shopper": _l("người mua"),
}


class Order(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    number = db.Column(db.String(20), unique=True)  # OC-YYYY-NNNNNN, set once the id is known
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"), index=True)
    name = db.Column(db.String(120), nullable=False)
    phone = db.Column(db.String(20), nullable=False)
    email = db.Column(db.String(254), nullable=False)
    locale = db.Column(db.String(5), nullable=False, default="vi")
    payment_method = db.Column(db.String(20), nullable=False)
    payment_status = db.Column(db.String(20), nullable=False)
    total = db.Column(db.BigInteger, nullable=False)  # whole đồng
    currency = db.Column(db.String(3), nullable=False, default="vnd")
    access_token_hash = db.Column(db.String(64), nullable=False)
    # One per checkout form: a double submit finds the order the first one placed.
    checkout_token = db.Column(db.String(64), nullable=False, unique=True)
    payment_deadline = db.Column(db.DateTime)
    stripe_session_id = db.Column(db.String(255), unique=True)
    stripe_payment_intent = db.Column(db.String(255))
    paid_at = db.Column(db.DateTime)
    # The code a bank transfer's note carries (OCOP + digits, random): see payments/transfers.py.
    payment_code = db.Column(db.String(16), unique=True)
    amount_received = db.Column(db.BigInteger, nullable=False, default=0, server_default="0")  # by transfer
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)

    user = db.relationship("User")
    pickups = db.relationship(
        "Pickup", back_populates="order", order_by="Pickup.id", cascade="all, delete-orphan"
    )
    events = db.relationship("OrderEvent", back_populates="order", order_by="OrderEvent.id")
    counter_payments = db.relationship("CounterPayment", back_populates="order",
                                       order_by="CounterPayment.id")

    __table_args__ = (
        db.CheckConstraint("total >= 0", name="total_not_negative"),
        one_of("payment_method", PaymentMethod, name="payment_method_known"),
    )

    @property
    def lines(self):
        return [line for pickup in self.pickups for line in pickup.lines]


class Pickup(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    order_id = db.Column(db.Integer, db.ForeignKey("order.id"), nullable=False, index=True)
    outlet_id = db.Column(db.Integer, db.ForeignKey("outlet.id"), nullable=False, index=True)
    status = db.Column(db.String(20), nullable=False, index=True)
    code_hash = db.Column(db.String(64), nullable=False)
    code_used_at = db.Column(db.DateTime)
    failed_code_attempts = db.Column(db.Integer, nullable=False, default=0)
    code_locked_until = db.Column(db.DateTime)
    subtotal = db.Column(db.BigInteger, nullable=False)
    confirmed_at = db.Column(db.DateTime)
    ready_at = db.Column(db.DateTime)
    collected_at = db.Column(db.DateTime)
    cancelled_at = db.Column(db.DateTime)
    cancel_reason = db.Column(db.Text)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    # The Hanoi day the shopper chose to collect (not before the earliest ready day).
    pickup_day = db.Column(db.Date, index=True)
    reminded_before_at = db.Column(db.DateTime)    # "tomorrow" reminder sent
    reminded_last_day_at = db.Column(db.DateTime)  # "last day of the window" reminder sent
    partial = db.Column(db.Boolean, nullable=False, default=False, server_default=db.false())

    order = db.relationship("Order", back_populates="pickups")
    outlet = db.relationship("Outlet")
    lines = db.relationship(
        "OrderLine", back_populates="pickup", order_by="OrderLine.id", cascade="all, delete-orphan"
    )

    __table_args__ = (
        one_of("status", PickupStatus, name="status_known"),
    )


class OrderLine(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    pickup_id = db.Column(db.Integer, db.ForeignKey("pickup.id"), nullable=False, index=True)
    product_id = db.Column(db.Integer, db.ForeignKey("product.id"), nullable=False, index=True)
    producer_id = db.Column(db.Integer, db.ForeignKey("producer.id"), nullable=False, index=True)
    product_name = db.Column(db.String(200), nullable=False)  # frozen at checkout
    unit = db.Column(db.String(60), nullable=False)
    quantity = db.Column(db.Integer, nullable=False)
    unit_price = db.Column(db.Integer, nullable=False)  # frozen at checkout
    stars = db.Column(db.SmallInteger)  # the OCOP stars it was sold under, for the programme's reports
    status = db.Column(db.String(20), nullable=False, default=LineStatus.AWAITING_DROPOFF)
    received_at = db.Column(db.DateTime)
    late_flagged_at = db.Column(db.DateTime)  # producer and outlet told it missed its pickup day

    pickup = db.relationship("Pickup", back_populates="lines")
    product = db.relationship("Product")
    producer = db.relationship("Producer")

    __table_args__ = (
        db.CheckConstraint("quantity > 0", name="quantity_positive"),
        db.CheckConstraint("unit_price >= 0", name="unit_price_not_negative"),
    )

    @property
    def amount(self) -> int:
        return self.quantity * self.unit_price

    @property
    def unit_shown(self) -> str:
        """Return the unit frozen at checkout in the reader's language (an English reader gets a known
        unit, or the producer's own English, in English), as ``Product.unit`` does for the shelf."""
        if current_language() != "en":
            return self.unit
        same_unit = self.product is not None and self.product.unit_vi == self.unit
        return english_unit(self.unit) or (self.product.unit_en if same_unit else None) or self.unit


class CounterMethod(enum.StrEnum):
    CASH = "cash"
    TRANSFER = "transfer"      # to the shop's account, seen in its bank app at the counter


COUNTER_METHOD_LABELS = {
    CounterMethod.CASH: _l("tiền mặt"),
    CounterMethod.TRANSFER: _l("chuyển khoản"),
}


class CounterPayment(db.Model):
    """Money outlet staff took at the counter for a pay-at-pickup pickup: how much, how, by whom, when."""

    id = db.Column(db.Integer, primary_key=True)
    order_id = db.Column(db.Integer, db.ForeignKey("order.id"), nullable=False, index=True)
    # One per pickup: a pickup is handed over once, and paid for once at its counter.
    pickup_id = db.Column(db.Integer, db.ForeignKey("pickup.id"), nullable=False, unique=True)
    amount = db.Column(db.BigInteger, nullable=False)  # whole đồng
    method = db.Column(db.String(20), nullable=False)
    collected_by_id = db.Column(db.Integer, db.ForeignKey("user.id"))
    collected_by = db.Column(db.String(254), nullable=False)  # the staff member's e-mail
    collected_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    order = db.relationship("Order", back_populates="counter_payments")
    pickup = db.relationship("Pickup")

    __table_args__ = (
        db.CheckConstraint("amount > 0", name="counter_amount_positive"),
        one_of("method", CounterMethod, name="counter_method_known"),
    )


class OrderEvent(db.Model):
    """One change of an order, pickup or line: what, who and when."""

    id = db.Column(db.Integer, primary_key=True)
    order_id = db.Column(db.Integer, db.ForeignKey("order.id"), nullable=False, index=True)
    pickup_id = db.Column(db.Integer, db.ForeignKey("pickup.id"))
    line_id = db.Column(db.Integer, db.ForeignKey("order_line.id"))
    kind = db.Column(db.String(40), nullable=False)
    from_status = db.Column(db.String(20))
    to_status = db.Column(db.String(20))
    actor_id = db.Column(db.Integer, db.ForeignKey("user.id"))
    actor_label = db.Column(db.String(254), nullable=False)  # "system", "stripe", a user's e-mail
    note = db.Column(db.Text)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    order = db.relationship("Order", back_populates="events")
    actor = db.relationship("User")

    @property
    def kind_label(self) -> str:
        """The kind in words; a kind this list does not know yet shows as stored."""
        return str(EVENT_KIND_LABELS.get(self.kind, self.kind))

    @property
    def who(self) -> str:
        return str(EVENT_ACTOR_LABELS.get(self.actor_label, self.actor_label))

    @property
    def to_status_label(self) -> str | None:
        """The status moved to, in words, read with the table its kind belongs to."""
        if not self.to_status:
            return None
        tables = {"payment_status": (PaymentStatus, PAYMENT_STATUS_LABELS),
                  "pickup_status": (PickupStatus, PICKUP_STATUS_LABELS),
                  "line_status": (LineStatus, LINE_STATUS_LABELS)}
        kind, labels = tables.get(self.kind, (None, {}))
        try:
            return str(labels[kind(self.to_status)])
        except (TypeError, ValueError, KeyError):
            return self.to_status
