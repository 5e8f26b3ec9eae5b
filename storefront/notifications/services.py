"""Notifications: written to the outbox in the caller's transaction, delivered after commit."""
from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import inspect

from ..unit_of_work import on_commit
from ..extensions import db
from ..queue import enqueue
from . import channels
from .events import EVENTS, event_of_mail
from .mailer import deliver_message
from .models import OutboxMessage


def queue(kind: str, to_email: str, locale: str, order=None, **context) -> OutboxMessage:
    """Render ``mail/<kind>.txt`` in ``locale`` (first line ``Subject: ...``) into the outbox."""
    with force_locale(locale):
        text = render_template(f"mail/{kind}.txt", order=order, **context)
        footer = render_template("mail/_footer.txt")  # the operator's identity, in every mail
    first, _, body = text.strip().partition("\n")
    body = body.strip() + "\n\n" + footer.strip()
    subject = first.removeprefix("Subject:").strip()
    event = event_of_mail(kind, order)
    if event is not None and channels.on():  # Zalo, else SMS, else this mail
        # A notice with no order (a waitlist offer) names its phone in ``context``: passed once.
        context["phone"] = _phone_of(event, order, context)
        return channels.notify(event, locale=locale, order=order, email=to_email,
                               mail=(kind, subject, body), **context)
    message = OutboxMessage(kind=kind, to_email=to_email, locale=locale,
                            order_id=order.id if order is not None else None,
                            subject=subject, body=body)
    db.session.add(message)
    db.session.info.setdefault(_WRITTEN, []).append(message)
    on_commit(_deliver_soon, once=True)
    return message


_WRITTEN = "outbox_written"


def _phone_of(event: str, order, context) -> str | None:
    """Return the phone of the event's recipient: the shopper's, the producer's or the staff's."""
    audience = EVENTS[event].audience
    if audience == "shopper":
        return order.phone if order is not None else context.get("phone")
    holder = context.get("producer") if audience == "producer" else context.get("user")
    return getattr(holder, "phone", None)


def _deliver_soon() -> None:
    """Hand each message the unit of work wrote to a worker; no request waits for SMTP."""
    written = db.session.info.pop(_WRITTEN, [])
    if not current_app.config.get("MAIL_SEND_AFTER_COMMIT"):
        return  # the periodic sweep (or `flask outbox send`) delivers them
    for message in written:
        identity = inspect(message).identity
        if identity is not None:
            enqueue(deliver_message, identity[0])


def outlet_staff(outlet) -> list:
    """Return the outlet's active staff accounts, by id (an account with an outlet is its staff)."""
    return sorted((user for user in outlet.staff if user.active), key=lambda user: user.id)


def new_order(order) -> None:
    """Tell each outlet's staff and each producer what the new order asks of them."""
    for pickup in order.pickups:
        for user in outlet_staff(pickup.outlet):
            queue("outlet_new_order", user.email, user.locale, order, pickup=pickup)
    producers = {line.producer for line in order.lines}
    for producer in sorted(producers, key=lambda p: p.id):
        lines = [line for line in order.lines if line.producer_id == producer.id]
        for address, locale in producer_addresses(producer):
            queue("producer_new_order", address, locale, order, producer=producer, lines=lines)


def producer_addresses(producer) -> list[tuple[str, str]]:
    addresses = {u.email: u.locale for u in producer.users if u.active}
    if producer.email and producer.email not in addresses:
        addresses[producer.email] = "vi"
    return sorted(addresses.items())


def order_placed(order, access_token: str) -> None:
    """Send the shopper the order's private link: the only way back to its codes for a guest."""
    queue("order_placed", order.email, order.locale, order, access_token=access_token)


def pickup_ready(pickup) -> None:
    order = pickup.order
    queue("pickup_ready", order.email, order.locale, order, pickup=pickup)


def pickup_cancelled(pickup, reason: str) -> None:
    order = pickup.order
    queue("pickup_cancelled", order.email, order.locale, order, pickup=pickup, reason=reason)


def collected(pickup) -> None:
    """Tell the shopper what they took (by Zalo or SMS only: the shop never mailed this)."""
    if not channels.on():
        return
    order = pickup.order
    taken = sum(line.amount for line in pickup.lines if line.status != "cancelled")
    channels.notify("collected", locale=order.locale, order=order, phone=order.phone,
                    email=order.email, pickup=pickup, values={"amount": f"{taken:,} đ".replace(",", ".")})


def refunded(refund) -> None:
    order = refund.order
    queue("refunded", order.email, order.locale, order, refund=refund)
