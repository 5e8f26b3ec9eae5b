"""What each kind of journal entry is, in the reader's words. The books keep a machine code
(``JournalEntry.kind``) and an English narration for the Beancount export; pages, statements and
their PDF show this instead, in the reader's language."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

ENTRY_KIND_LABELS = {
    "card_received": _l("Nhận tiền thẻ"),
    "transfer_received": _l("Nhận chuyển khoản"),
    "unallocated": _l("Chuyển khoản chưa gán đơn"),
    "allocated": _l("Gán chuyển khoản cho đơn"),
    "counter_cash": _l("Thu tiền mặt tại quầy"),
    "counter_transfer": _l("Chuyển khoản tại quầy"),
    "handed_over": _l("Hàng đã giao"),
    "goods_returned": _l("Trả hàng"),
    "refund_owed": _l("Nợ hoàn tiền"),
    "refund_sent": _l("Hoàn tiền đã gửi"),
    "refund_reversed": _l("Hoàn tiền bị đảo"),
    "bank_out": _l("Tiền ra khỏi tài khoản ngân hàng"),
    "booking_collected": _l("Thu tiền đặt chỗ tại nơi trải nghiệm"),
    "booking_attended": _l("Trải nghiệm đã diễn ra"),
    "stripe_payout": _l("Stripe chuyển tiền về ngân hàng"),
    "stripe_payout_failed": _l("Stripe chuyển tiền thất bại"),
    "stripe_fee": _l("Phí Stripe"),
    "payout_paid": _l("Chi trả cho nhà sản xuất"),
    "cash_remitted": _l("Nộp tiền mặt về ban quản lý"),
    "cash_difference": _l("Chênh lệch tiền mặt khi chốt ca"),
    "manual_adjustment": _l("Bút toán điều chỉnh"),
}


def entry_kind_label(kind: str) -> str:
    """The kind in words; a reversal is "Reversal: <kind>"; an unknown code is shown as it is."""
    if kind in ENTRY_KIND_LABELS:
        return str(ENTRY_KIND_LABELS[kind])
    if kind.endswith("_reversed") and kind[:-len("_reversed")] in ENTRY_KIND_LABELS:
        return _("Đảo: %(kind)s", kind=ENTRY_KIND_LABELS[kind[:-len("_reversed")]])
    return kind
