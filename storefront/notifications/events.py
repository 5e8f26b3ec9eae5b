"""The notices the shop sends, each one event with its data: template parameters and SMS text.

An event's parameters are what its approved Zalo template is registered with (names and Zalo's
parameter types, whose length caps are cut to here) and what its SMS text says. The shop's e-mail
for the same event is the mail it always sent (``templates/mail/<kind>.txt``); ``MAIL_EVENTS``
says which mail is which event. Objects are read by their attributes only: this package imports
no domain (orders, pickup, payments import it).
"""
from dataclasses import dataclass
from datetime import datetime, timezone

from flask import current_app
from flask_babel import force_locale, gettext as _, lazy_gettext as _l
from unidecode import unidecode

from ..timeutil import HANOI

# Zalo's parameter types and their length caps (ZNS template parameters). Each parameter below is
# registered with the type named here; its value is cut to the cap before it is sent.
CAPS = {"name": 30, "code": 30, "label": 30, "address": 200, "amount": 20, "time": 20,
        "text": 200, "url": 200}
PARAM_TYPES = {
    "customer_name": "name", "producer_name": "name", "order_number": "code",
    "payment_code": "code", "complaint_ref": "code", "outlet_name": "label", "title": "label",
    "status": "label", "outlet_address": "address", "reason": "text", "amount": "amount",
    "pickup_date": "time", "last_day": "time", "deadline": "time", "date": "time",
    "link": "url",
}
# A single non-Unicode SMS: what one brandname message holds (eSMS splits longer ones and bills
# each part).
SMS_MAX = 160


@dataclass(frozen=True)
class Event:
    name: str
    audience: str          # "shopper", "producer" or "outlet"
    params: tuple[str, ...]
    sms: object | None     # the SMS text (lazy, with %(param)s); sent without accents
    mail: bool = True      # False: the shop sent no mail for it before, so no e-mail fallback


EVENTS = {event.name: event for event in (
    Event("order_placed", "shopper", ("customer_name", "order_number", "outlet_name", "pickup_date",
                                      "amount"),
          _l("OCOP Hà Nội: đã nhận đơn %(order_number)s, %(amount)s. Nhận tại %(outlet_name)s "
             "ngày %(pickup_date)s.")),
    Event("transfer_due", "shopper", ("customer_name", "order_number", "amount", "payment_code",
                                      "deadline"),
          _l("OCOP Hà Nội: đơn %(order_number)s chờ chuyển khoản %(amount)s, nội dung "
             "%(payment_code)s, trước %(deadline)s.")),
    Event("payment_received", "shopper", ("customer_name", "order_number", "amount"),
          _l("OCOP Hà Nội: đã nhận %(amount)s cho đơn %(order_number)s. Cảm ơn bạn.")),
    Event("pickup_ready", "shopper", ("customer_name", "order_number", "outlet_name",
                                      "outlet_address", "last_day"),
          _l("OCOP Hà Nội: đơn %(order_number)s đã sẵn sàng tại %(outlet_name)s. Nhận trước "
             "hết ngày %(last_day)s, mang theo mã nhận hàng.")),
    Event("pickup_reminder", "shopper", ("customer_name", "order_number", "outlet_name",
                                         "pickup_date", "status"),
          _l("OCOP Hà Nội: %(status)s %(pickup_date)s nhận đơn %(order_number)s tại "
             "%(outlet_name)s.")),
    Event("collected", "shopper", ("customer_name", "order_number", "outlet_name", "amount"),
          _l("OCOP Hà Nội: bạn đã nhận đơn %(order_number)s (%(amount)s) tại %(outlet_name)s. "
             "Cảm ơn bạn."), mail=False),
    Event("cancelled", "shopper", ("customer_name", "order_number", "reason"),
          _l("OCOP Hà Nội: đơn %(order_number)s đã bị huỷ: %(reason)s")),
    Event("refunded", "shopper", ("customer_name", "order_number", "amount"),
          _l("OCOP Hà Nội: đã hoàn %(amount)s cho đơn %(order_number)s.")),
    Event("experience_ticket", "shopper", ("customer_name", "order_number", "title", "date"),
          _l("OCOP Hà Nội: vé %(title)s ngày %(date)s, đơn %(order_number)s.")),
    # a waitlist offer: the seats are held for them until ``deadline`` (the offer's end)
    # (``link`` is the offer's short link: a person who gave only a phone has no mail to open)
    Event("waitlist_seat", "shopper", ("customer_name", "title", "date", "deadline", "link"),
          _l("OCOP Hà Nội: đã giữ chỗ %(title)s ngày %(date)s cho bạn đến %(deadline)s. "
             "Đặt: %(link)s")),
    Event("complaint_answered", "shopper", ("customer_name", "order_number", "complaint_ref"),
          _l("OCOP Hà Nội: phản ánh %(complaint_ref)s về đơn %(order_number)s đã được trả lời. "
             "Xem trên trang đơn hàng.")),
    # producers: what to bring where by which day; a payout paid
    Event("producer_dropoff", "producer", ("producer_name", "order_number", "outlet_name",
                                           "pickup_date"),
          _l("OCOP Hà Nội: đơn %(order_number)s, mang hàng đến %(outlet_name)s trước ngày "
             "%(pickup_date)s.")),
    Event("payout_paid", "producer", ("producer_name", "amount", "date"),
          _l("OCOP Hà Nội: đã chuyển %(amount)s cho %(producer_name)s ngày %(date)s."),
          mail=False),
    # outlets: a new pickup for tomorrow
    Event("outlet_pickup_tomorrow", "outlet", ("outlet_name", "order_number", "pickup_date"),
          _l("OCOP Hà Nội: ngày mai %(pickup_date)s có đơn %(order_number)s nhận tại "
             "%(outlet_name)s."), mail=False),
)}

# The mails the shop already sends that are channel events: mail kind -> event.
MAIL_EVENTS = {
    "order_placed": "order_placed",  # "transfer_due" for an order waiting for its transfer
    "transfer_paid": "payment_received",
    "pickup_ready": "pickup_ready",
    "pickup_reminder": "pickup_reminder",
    "pickup_cancelled": "cancelled",
    "booking_session_cancelled": "cancelled",
    "waitlist_offer": "waitlist_seat",
    "refunded": "refunded",
    "transfer_refunded": "refunded",
    "complaint_answered": "complaint_answered",
    "producer_new_order": "producer_dropoff",
    "experience_ticket": "experience_ticket",
}


def event_of_mail(kind: str, order) -> str | None:
    """Return the event a mail of ``kind`` about ``order`` is, or None (mail only)."""
    event = MAIL_EVENTS.get(kind)
    if event == "order_placed" and order is not None and order.payment_method == "vietqr" \
            and order.payment_status == "pending":
        return "transfer_due"
    return event


def cap(name: str, value) -> str:
    """Return ``value`` as text cut to the cap of its Zalo parameter type."""
    text = " ".join(str(value if value is not None else "").split())
    limit = CAPS[PARAM_TYPES.get(name, "text")]
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def params_for(event: str, locale: str, order=None, **context) -> dict[str, str]:
    """Return the event's parameters from the objects its mail was rendered with, capped."""
    with force_locale(locale):
        values = _values(order, context)
    return {name: cap(name, values.get(name, "")) for name in EVENTS[event].params}


def _values(order, context) -> dict:
    values = {}
    if order is not None:
        values.update(customer_name=order.name, order_number=order.number,
                      amount=_money(order.total), payment_code=order.payment_code or "",
                      deadline=_moment(order.payment_deadline))
        pickups = list(getattr(order, "pickups", []) or [])
        if pickups:
            values.update(outlet_name=pickups[0].outlet.display_name,
                          pickup_date=_day(pickups[0].pickup_day))
    pickup = context.get("pickup")
    if pickup is not None:
        values.update(outlet_name=pickup.outlet.display_name, outlet_address=pickup.outlet.address,
                      pickup_date=_day(pickup.pickup_day), last_day=_day(_last_day(pickup)),
                      amount=_money(pickup.subtotal))
    if "day" in context:
        values.update(pickup_date=_day(context["day"]),
                      status=_("Hôm nay là ngày cuối") if context.get("last_day") else _("Ngày mai"))
    for key in ("refund", "transfer"):
        if context.get(key) is not None:
            values["amount"] = _money(context[key].amount)
    if "reason" in context:
        values["reason"] = context["reason"]
    if context.get("complaint") is not None:
        values["complaint_ref"] = getattr(context["complaint"], "reference", "")
    if context.get("producer") is not None:
        values["producer_name"] = context["producer"].name
    booking = context.get("booking")
    if booking is not None:  # a ticket: the experience as sold, and its day
        values.update(title=booking.experience_name, date=_day(booking.session.local_day))
    values.update(_offer_values(context))
    values.update(context.get("values") or {})  # what the caller says outright wins
    return values


def _offer_values(context) -> dict:
    """A waitlist offer's name, experience, day and deadline (the end of its seats' hold)."""
    entry, session = context.get("entry"), context.get("session")
    if entry is None or getattr(entry, "offer_expires_at", None) is None:
        return {}
    values = {"customer_name": entry.name, "deadline": _moment(entry.offer_expires_at),
              "link": context.get("short_link") or context.get("link") or ""}
    if session is not None:
        values.update(title=session.experience.title, date=_day(session.day))
    return values


def _last_day(pickup):
    helper = current_app.jinja_env.globals.get("pickup_window_last_day")
    return helper(pickup) if helper is not None else None


def _money(amount) -> str:
    return f"{int(amount or 0):,}".replace(",", ".") + " đ"


def _day(day) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _moment(moment: datetime | None) -> str:
    """Return a naive UTC instant as Hanoi's hour and day (a transfer's or an offer's deadline)."""
    if moment is None:
        return ""
    return moment.replace(tzinfo=timezone.utc).astimezone(HANOI).strftime("%H:%M %d/%m")


def sms_text(event: str, locale: str, params: dict[str, str]) -> str | None:
    """Return the event's SMS in ``locale``, without accents (one non-Unicode SMS at most)."""
    text = EVENTS[event].sms
    if text is None:
        return None
    with force_locale(locale):
        said = str(text) % params
    plain = unidecode(said)
    return plain if len(plain) <= SMS_MAX else plain[:SMS_MAX - 3].rstrip() + "..."
