"""Tickets: each booking's single-use code, under the same rules as a pickup's code.

Like ``orders.codes.pickup_code_of`` the code is derived from the shop's key and the order's
token hash (the owner sees it again on any device, the database alone cannot make it), only a
keyed hash bound to the booking is stored, it is used once, and ``PICKUP_CODE_MAX_TRIES`` wrong
codes lock the booking's check-in for 15 minutes. (``orders`` places bookings, so this module
cannot import ``orders.codes``; it follows the same construction with its own message prefix.)
"""
import hashlib
import hmac
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..orders.locks import lock_order
from ..orders.services import settle_at_pickup
from ..text import CODE_ALPHABET
from ..timeutil import utcnow
from ..unit_of_work import transaction
from . import money
from .models import Booking, BookingStatus

CODE_LENGTH = 8  # shown as ABCD-EFGH, the format the counter's scanner reads
LOCK_MINUTES = 15


class TicketError(Exception):
    """A check-in that cannot be done; the message is for the staff member."""


class WrongTicketCode(TicketError):
    """The code does not open this booking (the failed try is recorded)."""


class TicketLocked(TicketError):
    """Too many wrong codes: check-in is paused for this booking."""


class NotCheckable(TicketError):
    """The booking is not confirmed (unpaid, cancelled) or was already checked in."""


def normalize_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def _key() -> bytes:
    return current_app.config["SECRET_KEY"].encode()


def hash_code(booking_id: int, code: str) -> str:
    """Hash a ticket code bound to its booking, so it opens no other booking."""
    return hmac.new(_key(), f"ticket:{booking_id}:{normalize_code(code)}".encode(),
                    hashlib.sha256).hexdigest()


def code_of(order, booking_id: int) -> str:
    """Derive a booking's ticket code from the shop's key and the order's token hash."""
    digest = hmac.new(_key(), f"ticket-code:{booking_id}:{order.access_token_hash}".encode(),
                      hashlib.sha256).digest()
    number, chars = int.from_bytes(digest, "big"), []
    for _ in range(CODE_LENGTH):
        number, index = divmod(number, len(CODE_ALPHABET))
        chars.append(CODE_ALPHABET[index])
    return f"{''.join(chars[:4])}-{''.join(chars[4:])}"


def code_matches(booking: Booking, code: str) -> bool:
    return hmac.compare_digest(booking.code_hash, hash_code(booking.id, code))


def set_codes(order) -> dict[int, str]:
    """Give each of the order's bookings its code (after flush: ids known); return them in plain."""
    found = {}
    for booking in order.bookings:
        code = code_of(order, booking.id)
        booking.code_hash = hash_code(booking.id, code)
        found[booking.id] = code
    return found


def code_to_show(booking: Booking) -> str | None:
    """Return the booking's working code, or None when it cannot be worked out."""
    code = code_of(booking.order, booking.id)
    return code if code_matches(booking, code) else None


def check_in(booking: Booking, code: str, by, *, collected: str | None = None,
             amount: int | None = None) -> Booking:
    """Let the ticket's holders in against its code, once; the code then opens nothing.

    A booking paid at the venue is paid in the same step: ``collected`` (cash or transfer) and
    the ``amount`` the page showed are recorded and posted (``money.collect``); the experience
    given becomes the producer's sale in the books (``money.given``), in this transaction; and
    its order is marked paid when that was the last of it to settle
    (``orders.services.settle_at_pickup``). The order is locked first, as every change to a
    booking locks it (``booking_changes``), so a cancel and a check-in cannot deadlock.

    :raises TicketLocked: after too many wrong codes, for a while.
    :raises NotCheckable: unpaid, cancelled, or already checked in (with when).
    :raises WrongTicketCode: the code is wrong (the failed try is committed first).
    :raises money.MoneyNotCollected, money.AmountChanged: the code is right but money is due.
    """
    with transaction():
        order = lock_order(booking.order_id)
        booking = db.session.scalars(select(Booking).where(Booking.id == booking.id)
                                     .with_for_update(key_share=True)
                                     .execution_options(populate_existing=True)).one()
        now = utcnow()
        if booking.code_locked_until and booking.code_locked_until > now:
            raise TicketLocked(_("Nhập sai mã quá nhiều lần. Vui lòng thử lại sau 15 phút."))
        if booking.status == BookingStatus.CHECKED_IN:
            raise NotCheckable(_("Vé này đã được check-in rồi."))
        if booking.status != BookingStatus.CONFIRMED:
            raise NotCheckable(_("Vé này chưa được xác nhận (chưa thanh toán) hoặc đã huỷ."))
        right = code_matches(booking, code)
        if right:
            money.collect(booking, by, collected, amount)
            booking.status, booking.checked_in_at = BookingStatus.CHECKED_IN, now
            booking.checked_in_by_id = getattr(by, "id", None)
            booking.failed_code_attempts = 0
            money.given(booking, "check-in")
            settle_at_pickup(order, by)
        else:
            _note_wrong_code(booking, now)
    if not right:
        raise WrongTicketCode(_("Mã vé không đúng."))
    return booking


def _note_wrong_code(booking: Booking, now) -> None:
    booking.failed_code_attempts += 1
    if booking.failed_code_attempts >= current_app.config["PICKUP_CODE_MAX_TRIES"]:
        booking.code_locked_until = now + timedelta(minutes=LOCK_MINUTES)
        booking.failed_code_attempts = 0
