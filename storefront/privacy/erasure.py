"""Forgetting a person: an account deleted at its owner's request, an order's contact forgotten.

Orders, their lines, payments and the books are accounting records the law keeps (Law on
Accounting 88/2015: ten years), so they stay and still add up; only who placed them is replaced
by a placeholder that names no one. Mail about them is cut down to its subject, complaint texts
and photos are removed, consents are withdrawn. An erased account can never sign in again.
"""
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, select, update

from ..accounts.models import Role, User
from ..accounts.passwords import hash_password
from ..cart.models import CartItem
from ..complaints.models import Author, Complaint, ComplaintMessage
from ..complaints.services import discard_photo
from ..extensions import db
from ..notifications.models import OutboxMessage, OutboxStatus
from ..orders.models import Order, OrderEvent, Pickup, PickupStatus
from ..timeutil import utcnow
from . import consents
from .models import DataRequest

ERASED_NAME = "—"
ERASED_DOMAIN = "erased.invalid"  # RFC 2606: can never be anyone's address
ERASED_TEXT = "[…]"
ERASED_MAIL = "data_erased"  # the confirmation sent to an address as it is forgotten
OPEN_STATUSES = (PickupStatus.AWAITING_PAYMENT, PickupStatus.CONFIRMED, PickupStatus.READY)


class ErasureRefused(Exception):
    """The account or order cannot be forgotten now; the message says why, for the person."""


class OrdersStillOpen(ErasureRefused):
    """An order still waits for payment or pickup: the shop needs the contact to finish it."""


class NotAShopper(ErasureRefused):
    """Staff, producer and admin accounts are closed by an admin, not deleted by their owner."""


def is_erased(address: str | None) -> bool:
    return bool(address) and address.endswith("@" + ERASED_DOMAIN)


def _has_open_pickup(orders) -> bool:
    return any(pickup.status in OPEN_STATUSES for order in orders for pickup in order.pickups)


def check_erasable(user: User) -> list[Order]:
    """Return the user's orders when the account may be deleted now.

    :raises NotAShopper: a staff, producer or admin account.
    :raises OrdersStillOpen: an order is still to be paid or collected.
    """
    if user.role != Role.SHOPPER:
        raise NotAShopper(_("Chỉ tài khoản khách mua hàng mới tự xoá được; tài khoản khác do quản "
                            "trị viên đóng."))
    orders = list(db.session.scalars(select(Order).where(Order.user_id == user.id)))
    if _has_open_pickup(orders):
        raise OrdersStillOpen(_("Bạn còn đơn hàng chưa nhận hoặc chưa thanh toán. Hãy nhận hoặc huỷ "
                                "các đơn đó rồi xoá tài khoản."))
    return orders


def erase_account(user: User) -> None:
    """Anonymise the account and its orders in the caller's transaction; it can never sign in again.

    :raises ErasureRefused: see ``check_erasable``.
    """
    orders = check_erasable(user)
    old_addresses = {user.email}
    consents.withdraw_all(user, consents.CHANNEL_ERASURE)
    for order in orders:
        old_addresses.add(order.email)
        forget_order(order)
    _forget_mail(old_addresses)
    db.session.execute(update(OrderEvent).where(OrderEvent.actor_id == user.id)
                       .values(actor_label="shopper"))
    db.session.execute(update(DataRequest).where(DataRequest.user_id == user.id)
                       .values(message=None))
    db.session.execute(delete(CartItem).where(CartItem.user_id == user.id))
    user.name = ERASED_NAME
    user.email = f"erased-u{user.id}@{ERASED_DOMAIN}"
    user.phone = None
    user.active = False
    user.email_confirmed_at = None
    user.password_hash = hash_password(secrets.token_urlsafe(32))  # no one knows it
    user.end_sessions()


def forget_order(order: Order) -> None:
    """Replace the order's contact by a placeholder and remove what the shopper wrote about it.

    A guest's consents given at its checkout are withdrawn first: the addresses they were for are
    gone (an account's are withdrawn with the account).
    """
    if is_erased(order.email):
        return
    if order.user_id is None:
        consents.withdraw_all(order, consents.CHANNEL_ERASURE)
    _forget_mail({order.email}, order_id=order.id)
    order.name = ERASED_NAME
    order.phone = ""
    order.email = f"erased-o{order.id}@{ERASED_DOMAIN}"
    db.session.execute(update(DataRequest).where(DataRequest.order_id == order.id)
                       .values(message=None))
    for complaint in db.session.scalars(select(Complaint).where(Complaint.order_id == order.id)):
        discard_photo(complaint)
        for message in complaint.messages:
            if message.author == Author.SHOPPER:
                message.body = ERASED_TEXT


def _forget_mail(addresses: set[str], order_id: int | None = None) -> None:
    """Drop unsent mail to these addresses (or about this order); keep only the subject of sent mail."""
    to_them = OutboxMessage.to_email.in_(addresses)
    if order_id is not None:
        to_them = to_them | (OutboxMessage.order_id == order_id)
    db.session.execute(delete(OutboxMessage).where(to_them, OutboxMessage.status != OutboxStatus.SENT),
                       execution_options={"synchronize_session": False})
    db.session.execute(update(OutboxMessage).where(to_them)
                       .values(to_email=f"erased@{ERASED_DOMAIN}", body=ERASED_TEXT),
                       execution_options={"synchronize_session": False})


def forget_old_guest_orders(now=None) -> int:
    """Forget the contact of every finished guest order older than ``GUEST_DATA_RETENTION_DAYS``.

    A finished order is one with no pickup still to be paid or collected. Returns how many were
    forgotten; the caller owns the transaction.
    """
    now = now or utcnow()
    cutoff = now - timedelta(days=current_app.config["GUEST_DATA_RETENTION_DAYS"])
    still_open = select(Pickup.order_id).where(Pickup.status.in_(OPEN_STATUSES))
    orders = db.session.scalars(
        select(Order).where(Order.user_id.is_(None), Order.created_at < cutoff,
                            ~Order.email.like(f"%@{ERASED_DOMAIN}"), Order.id.not_in(still_open))
        .order_by(Order.id))
    count = 0
    for order in orders:
        forget_order(order)
        count += 1
    return count


def forget_sent_confirmations() -> int:
    """Cut down the erasure confirmations once sent: they were the last use of those addresses."""
    result = db.session.execute(
        update(OutboxMessage).where(OutboxMessage.kind == ERASED_MAIL,
                                    OutboxMessage.status == OutboxStatus.SENT,
                                    ~OutboxMessage.to_email.like(f"%@{ERASED_DOMAIN}"))
        .values(to_email=f"erased@{ERASED_DOMAIN}", body=ERASED_TEXT),
        execution_options={"synchronize_session": False})
    return result.rowcount or 0
