"""Delivery reports from the providers, verified by the views and recorded here.

Zalo posts ``user_received_message`` with the message's ``msg_id`` and our ``tracking_id`` when
the phone got it; eSMS calls the callback URL with ``SMSID``, ``RequestId`` and ``SendStatus``
(5: sent to the phone, 4: refused). A report may come late (after a retry, after the row fell back)
and may repeat; ``dispatch.reported`` keeps what is settled.
"""
import re

from ..extensions import db
from ..unit_of_work import on_commit, transaction
from . import dispatch
from .models import Channel, NoticeDelivery

_TRACKING = re.compile(r"^ocop-(\d{1,12})$")
ZALO_DELIVERED = "user_received_message"
ESMS_SENT, ESMS_REFUSED = "5", "4"


def _by_tracking_id(tracking_id, channel: str) -> NoticeDelivery | None:
    match = _TRACKING.match(str(tracking_id or ""))
    if match is None:
        return None
    delivery = db.session.get(NoticeDelivery, int(match.group(1)), with_for_update=True)
    return delivery if delivery is not None and delivery.channel == channel else None


def zalo_report(payload: dict) -> str:
    """Record a Zalo webhook event; return what became of it."""
    if payload.get("event_name") != ZALO_DELIVERED:
        return "ignored"
    message = payload.get("message") or {}
    with transaction():
        delivery = _by_tracking_id(message.get("tracking_id"), Channel.ZALO)
        if delivery is None:
            return "unknown tracking id"
        dispatch.reported(delivery, True, f"Zalo: received at {message.get('delivery_time', '?')}",
                          provider_id=str(message.get("msg_id") or "") or None)
    return "delivered"


def sms_report(args) -> str:
    """Record an eSMS callback (its query string); return what became of it."""
    status = str(args.get("SendStatus", ""))
    if status not in (ESMS_SENT, ESMS_REFUSED):
        return "ignored"
    with transaction():
        delivery = _by_tracking_id(args.get("RequestId"), Channel.SMS)
        if delivery is None and args.get("SMSID"):
            delivery = db.session.scalars(db.select(NoticeDelivery).filter_by(
                channel=Channel.SMS, provider_id=str(args["SMSID"])).with_for_update()).first()
        if delivery is None:
            return "unknown request id"
        said = f"eSMS: SendStatus {status}, SendSuccess {args.get('SendSuccess', '?')}, " \
               f"SendFailed {args.get('SendFailed', '?')}"
        following = dispatch.reported(delivery, status == ESMS_SENT and
                                      str(args.get("SendFailed", "0")) in ("0", ""), said,
                                      provider_id=args.get("SMSID"))
        if following is not None:
            on_commit(lambda: dispatch.hand_over(following))
    return "recorded"
