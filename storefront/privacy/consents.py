"""Consent per purpose: every grant and withdrawal is a new record with its wording, time and channel.

Handling an order needs no consent: it is the contract the shopper asked for (Law 91/2025, the
contract ground). News and offers by Zalo, SMS or e-mail each need their own opt-in, never
pre-ticked (Decree 13/2023: silence is not consent); the latest record per purpose is the one in
force.

Whose consent: an account's (given on the account page, at registration, or at checkout signed in)
or a guest's, recorded against the order whose phone and e-mail they gave at checkout (the way
guests' data requests are: ``DataRequest.order_id``). A guest is who those addresses reach.

A grant lifts a stop made from a notice's link (``notifications.stops.lift``) only where ticking
the box proves the address is the person's: an account's own e-mail, confirmed from a mail sent to
it. A phone or e-mail typed at checkout or on a profile proves nothing (no OTP), so there the grant
is recorded and waits: the stop holds until the person turns the channel back on from the stop
link itself (``stops.resume``), which only the address's owner has. The account page shows such a
yes ticked, with a note saying so (``waiting_on_stop``).
"""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from ..accounts.models import User
from ..extensions import db
from ..notifications import stops
from ..notifications.models import Channel
from ..notifications.routing import international, stopped_channels
from ..orders.models import Order
from ..timeutil import utcnow
from ..unit_of_work import transaction
from .models import ConsentRecord, Purpose

# The version of the wording below and of CONSENT_NOTE (templates/privacy/_consent_boxes.html);
# change it whenever the wording changes. 2026-01: the account page's boxes; 2026-12: the same
# boxes at registration and checkout, saying how to withdraw.
TEXT_VERSION = "consent-2026-12"

PURPOSE_LABELS = {
    Purpose.NEWS_ZALO: _l("Nhận tin mới và ưu đãi qua Zalo"),
    Purpose.NEWS_SMS: _l("Nhận tin mới và ưu đãi qua SMS"),
    Purpose.NEWS_EMAIL: _l("Nhận tin mới và ưu đãi qua e-mail"),
}
CONSENT_NOTE = _l("Không bắt buộc, không ảnh hưởng đến đơn hàng: thông báo về đơn hàng vẫn được "
                  "gửi. Chỉ khi bạn đánh dấu, OCOP Hà Nội gửi tin về sản phẩm OCOP mới và ưu đãi qua "
                  "đúng kênh bạn chọn, đến số điện thoại hoặc e-mail của bạn. Rút lại lúc nào cũng "
                  "được: bấm đường dẫn dừng nhận có trong mỗi tin, hoặc bỏ dấu ở trang Dữ liệu của "
                  "tôi nếu bạn có tài khoản.")

def labels_of(purposes) -> list:
    """Return the labels of ``purposes`` in the order the boxes show them."""
    return [PURPOSE_LABELS[purpose] for purpose in Purpose if purpose in set(purposes)]


CHANNEL_OF_PURPOSE = {Purpose.NEWS_ZALO: Channel.ZALO, Purpose.NEWS_SMS: Channel.SMS,
                      Purpose.NEWS_EMAIL: Channel.EMAIL}

CHANNEL_ACCOUNT = "web:account"
CHANNEL_REGISTER = "web:register"
CHANNEL_CHECKOUT = "web:checkout"
CHANNEL_ERASURE = "web:erasure"
CHANNEL_STOP_LINK = "link:notice-stop"  # a notice's stop link (privacy/notices.py)


@dataclass(frozen=True)
class Subject:
    """Whose consent: an account, or a guest through the order they gave it at."""

    user_id: int | None
    order_id: int | None  # a guest's order, or where an account holder ticked at checkout
    phone: str | None     # as stored (0…)
    email: str | None

    @property
    def is_guest(self) -> bool:
        return self.user_id is None

    def address_for(self, channel: str) -> str | None:
        """Return the address a stop for ``channel`` names (a phone as 84…, an e-mail lowercased)."""
        if channel == Channel.EMAIL:
            return (self.email or "").lower() or None
        return international(self.phone)


def subject_of(who, order: Order | None = None) -> Subject:
    """Return the subject of an account (``order``: where it ticked) or of a guest's order."""
    if isinstance(who, Subject):
        return who
    if isinstance(who, Order):
        return Subject(None, who.id, who.phone, who.email)
    return Subject(who.id, order.id if order is not None else None, who.phone, who.email)


def _records_of(subject: Subject):
    if subject.is_guest:
        return ConsentRecord.order_id == subject.order_id, ConsentRecord.user_id.is_(None)
    return (ConsentRecord.user_id == subject.user_id,)


def history(who) -> list[ConsentRecord]:
    """Return every consent record of an account (or a guest's order), oldest first."""
    return list(db.session.scalars(select(ConsentRecord).where(*_records_of(subject_of(who)))
                                   .order_by(ConsentRecord.id)))


def in_force(who) -> dict[Purpose, ConsentRecord | None]:
    """Return, per purpose, the record in force (None: never asked, which counts as no)."""
    found: dict[Purpose, ConsentRecord | None] = {purpose: None for purpose in Purpose}
    for record in history(who):
        found[Purpose(record.purpose)] = record
    return found


def granted(who) -> set[Purpose]:
    """Return the purposes whose latest record is a grant."""
    return {purpose for purpose, record in in_force(who).items() if record and record.granted}


def receiving(who) -> set[Purpose]:
    """Return the purposes granted and not stopped since from a link at the subject's address.

    What the boxes show ticked: a consent a stop overtook (the address was stopped later, or the
    account took a stopped address) is no longer a yes, and ticking it again is a fresh grant.
    """
    subject = subject_of(who)
    stopped = stopped_channels(international(subject.phone), subject.email)
    return {purpose for purpose in granted(subject) if CHANNEL_OF_PURPOSE[purpose] not in stopped}


def waiting_on_stop(who) -> set[Purpose]:
    """The purposes granted whose channel a stop holds at the subject's address, and which ticking
    the box again would not lift (the address is not proven): they wait for ``stops.resume``."""
    subject = subject_of(who)
    return {purpose for purpose in granted(subject) - receiving(subject)
            if not _proves(subject, CHANNEL_OF_PURPOSE[purpose])}


def _fresh(subject: Subject, ticked: set[Purpose]) -> set[Purpose]:
    """The boxes ticked that need a new grant: not received now, and not a yes already waiting
    on a stop (writing it again would change nothing but add a record)."""
    return ticked - receiving(subject) - waiting_on_stop(subject)


def record_choices(who, wanted: set[Purpose], channel: str = CHANNEL_ACCOUNT) -> list[ConsentRecord]:
    """Record the account page's answer: a grant for each box ticked that is not in force (or was
    stopped since, and ticking proves the address), a withdrawal for each unticked one in force;
    return the new records."""
    with transaction():
        subject = subject_of(who)
        wanted = {Purpose(purpose) for purpose in wanted}
        return _write(subject, _fresh(subject, wanted), granted(subject) - wanted, channel)


def give(who, purposes: set[Purpose], channel: str, order: Order | None = None) -> list[ConsentRecord]:
    """Record the boxes ticked at registration or checkout, in the caller's transaction.

    Only grants: a box left unticked there withdraws nothing (the account page is where a yes
    becomes a no). ``who`` is an account (``order``: the order it ticked at) or a guest's order.
    """
    subject = subject_of(who, order)
    purposes = {Purpose(purpose) for purpose in purposes}
    return _write(subject, _fresh(subject, purposes), set(), channel)


def give_at_registration(user, purposes: set[Purpose]) -> list[ConsentRecord]:
    """Record the boxes ticked on the register page against the new account (caller's transaction)."""
    return give(user, purposes, CHANNEL_REGISTER)


def withdraw(who, purposes: set[Purpose], channel: str) -> list[ConsentRecord]:
    """Withdraw ``purposes`` where in force, in the caller's transaction; return the new records."""
    subject = subject_of(who)
    return _write(subject, set(), granted(subject) & set(purposes), channel)


def withdraw_all(who, channel: str) -> list[ConsentRecord]:
    """Withdraw every consent in force, in the caller's transaction (an erasure)."""
    return withdraw(who, set(Purpose), channel)


def _write(subject: Subject, grants: set[Purpose], withdrawals: set[Purpose],
           channel: str) -> list[ConsentRecord]:
    now = utcnow()
    written = [ConsentRecord(user_id=subject.user_id, order_id=subject.order_id, purpose=purpose,
                             granted=purpose in grants, text_version=TEXT_VERSION,
                             channel=channel, created_at=now)
               for purpose in Purpose if purpose in grants or purpose in withdrawals]
    db.session.add_all(written)
    db.session.flush()
    for record in written:
        channel_of = CHANNEL_OF_PURPOSE[Purpose(record.purpose)]
        if record.granted and _proves(subject, channel_of):  # the owner's yes after a stop
            stops.lift(channel_of, subject.address_for(channel_of), by=f"consent:{record.id}")
    return written


def _proves(subject: Subject, channel: str) -> bool:
    """Whether a box ticked by ``subject`` proves the channel's address is theirs: only an account's
    own e-mail, confirmed from a mail sent to it. Phones are never confirmed here (no OTP)."""
    if channel != Channel.EMAIL or subject.user_id is None or not subject.email:
        return False
    user = db.session.get(User, subject.user_id)
    return bool(user and user.email_confirmed and user.email.lower() == subject.email.lower())


# --- who an address is: the accounts and guests a stop link reaches ---------------------------------

def _phone_is(column, address: str):
    """Match a stored phone (0…, or as typed long ago) to a link's ``84…``."""
    national = "0" + address[2:] if address.startswith("84") else address
    return or_(column == national, column == address, column == "+" + address)


def accounts_at(channel: str, address: str) -> list[User]:
    """Return the accounts a stop link's address belongs to (a phone ``84…``, or an e-mail)."""
    if channel == Channel.EMAIL:
        where = func.lower(User.email) == address.strip().lower()
    else:
        where = _phone_is(User.phone, address)
    return list(db.session.scalars(select(User).where(where).order_by(User.id)))


def guest_orders_at(channel: str, address: str) -> list[Order]:
    """Return the guests' orders with a consent record whose contact is ``address``."""
    if channel == Channel.EMAIL:
        where = func.lower(Order.email) == address.strip().lower()
    else:
        where = _phone_is(Order.phone, address)
    with_records = select(ConsentRecord.order_id).where(ConsentRecord.user_id.is_(None))
    return list(db.session.scalars(select(Order).where(where, Order.id.in_(with_records))
                                   .order_by(Order.id)))
