"""Words for channels, delivery states and events, as pages show them."""
from flask_babel import lazy_gettext as _l

from .models import Channel, DeliveryStatus as S

CHANNEL_LABELS = {Channel.ZALO: _l("Zalo"), Channel.SMS: _l("SMS"), Channel.EMAIL: _l("E-mail")}
STATUS_LABELS = {
    S.PENDING: _l("Chờ gửi"), S.SENDING: _l("Đang gửi"), S.UNCERTAIN: _l("Chờ Zalo báo"),
    S.ACCEPTED: _l("Đã gửi"), S.DELIVERED: _l("Đã đến máy"), S.FAILED: _l("Không gửi được"),
    S.STOPPED: _l("Người nhận đã tắt kênh này"),
}
EVENT_LABELS = {
    "order_placed": _l("Đã nhận đơn"), "transfer_due": _l("Chờ chuyển khoản"),
    "payment_received": _l("Đã nhận tiền"), "pickup_ready": _l("Hàng đã sẵn sàng"),
    "pickup_reminder": _l("Nhắc lịch nhận hàng"), "collected": _l("Đã nhận hàng"),
    "cancelled": _l("Đơn bị huỷ"), "refunded": _l("Đã hoàn tiền"),
    "experience_ticket": _l("Vé trải nghiệm"), "complaint_answered": _l("Phản ánh đã được trả lời"),
    "producer_dropoff": _l("Mang hàng đến điểm bán"), "payout_paid": _l("Đã chuyển tiền hàng"),
    "outlet_pickup_tomorrow": _l("Đơn nhận ngày mai"),
}
