"""VietQR bank transfers: the QR an order shows, and what a transfer received does to an order.

A transfer is recorded once (a notification's id is unique) in the same unit of work as its
effect, with the order's row locked, so replays and parallel duplicates change nothing and two
transfers for one order add up one after the other.
"""
import logging
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..accounts.models import User
from ..extensions import db
from ..notifications import services as notify
from ..orders import payment, services as orders
from ..orders.money_events import MoneyKind, announce
from ..orders.locks import lock_order
from ..orders.models import Order, PaymentMethod, PaymentStatus, PickupStatus
from ..orders.transitions import OPEN_PICKUP, actor_label, record
from ..timeutil import utcnow
from ..unit_of_work import transaction
from . import bank_account, bank_apps, vietqr
from .bank_account import Account, codes_in, owe_refund, shop_account
from .models import Refund, RefundStatus
from .transfer_models import (
    BankTransfer, RefundOwedStatus, TransferOutcome, TransferRefund, TransferSource, TransferStatus,
)

log = logging.getLogger(__name__)
BANK = "bank"  # the actor recorded for changes a bank notification caused
O = TransferOutcome


class TransferError(Exception):
    """A transfer action that cannot be done; the message is for the person who tried."""


@dataclass(frozen=True)
class PaymentRequest:
    """What a shopper (or a counter) needs to pay by transfer: the account, amount, note, QR."""

    account: Account
    amount: int
    note: str
    payload: str
    deadline: datetime | None

    def app_links(self) -> list[tuple[str, str]]:
        """Return (bank app, link) for the apps that open with this transfer filled in."""
        return bank_apps.app_links(self.account.bank.bin, self.account.number, self.amount, self.note,
                                   self.account.name)

    def minutes_left(self, now: datetime | None = None) -> int:
        """Return whole minutes until the deadline, rounded up (0 once it has passed)."""
        if self.deadline is None:
            return 0
        seconds = (self.deadline - (now or utcnow())).total_seconds()
        return max(int(-(-seconds // 60)), 0)


def payment_request(order: Order, amount: int | None = None) -> PaymentRequest | None:
    """Return the VietQR for what is still due on ``order`` (or ``amount``), or None without one."""
    account = shop_account()
    due = amount if amount is not None else order.total - (order.amount_received or 0)
    if account is None or not order.payment_code or due <= 0:
        return None
    payload = vietqr.encode(vietqr.Transfer(account.bank.bin, account.number, due,
                                            order.payment_code))
    deadline = order.payment_deadline if order.payment_method == PaymentMethod.VIETQR else None
    return PaymentRequest(account, due, order.payment_code, payload, deadline)


def awaiting_transfer(order: Order) -> bool:
    """Tell whether the order page should ask for a transfer now."""
    return (order.payment_method == PaymentMethod.VIETQR
            and order.payment_status == PaymentStatus.PENDING
            and any(p.status == PickupStatus.AWAITING_PAYMENT for p in order.pickups))


# --- notifications from the bank ----------------------------------------------------------------

@dataclass(frozen=True)
class Notification:
    """One transaction the bank-transaction service reports (SePay's fields)."""

    id: str
    gateway: str | None
    transaction_at: datetime | None
    account_number: str | None
    code: str | None
    content: str | None
    transfer_type: str
    amount: int
    reference: str | None


def record_notification(note: Notification) -> str:
    """Record a notification once and apply it; return its outcome (``duplicate`` for a replay)."""
    try:
        with transaction():
            transfer = BankTransfer(
                source=TransferSource.WEBHOOK, notification_id=note.id, gateway=note.gateway,
                account_number=note.account_number, transfer_type=note.transfer_type,
                amount=note.amount, reference=note.reference, code=note.code,
                content=note.content, transaction_at=note.transaction_at, received_at=utcnow(),
                recorded_by=BANK, status=TransferStatus.TO_RESOLVE, outcome=O.UNMATCHED)
            db.session.add(transfer)
            db.session.flush()  # a duplicate id stops here, before anything else changes
            outcome = _apply_notification(transfer)
    except IntegrityError:
        if _recorded(note.id) is None:
            raise
        return "duplicate"
    log.info("bank notification %s (%s ₫): %s", note.id, note.amount, outcome)
    return outcome


def _recorded(notification_id: str) -> BankTransfer | None:
    return db.session.scalar(db.select(BankTransfer)
                             .where(BankTransfer.notification_id == notification_id))


def _apply_notification(transfer: BankTransfer) -> TransferOutcome:
    account = shop_account()
    if transfer.transfer_type != "in":
        if account is not None and _digits(transfer.account_number) == _digits(account.number):
            # A payout to a producer carries its PO code: the books mark it paid.
            announce(MoneyKind.BANK_OUT, f"bank-out-{transfer.id}", amount=transfer.amount,
                     channel="bank", reference=transfer.reference,
                     text=" ".join(filter(None, [transfer.code, transfer.content])))
        return _ignore(transfer, O.NOT_INCOMING)
    if account is None or _digits(transfer.account_number) != _digits(account.number):
        return _ignore(transfer, O.OTHER_ACCOUNT)
    for code in codes_in(transfer.code, transfer.content):
        order = _lock_order_with_code(code)
        if order is not None:
            return apply_to_order(transfer, order, BANK)
    _arrived_unallocated(transfer)
    return O.UNMATCHED  # stays to resolve


def _arrived_unallocated(transfer: BankTransfer) -> None:
    """Money in the shop's account that no order takes (yet): held for the shopper."""
    announce(MoneyKind.UNALLOCATED, f"transfer-{transfer.id}", amount=transfer.amount,
             order=transfer.order, channel="bank", reference=transfer.reference)


def _ignore(transfer: BankTransfer, outcome: TransferOutcome) -> TransferOutcome:
    transfer.status, transfer.outcome = TransferStatus.IGNORED, outcome
    return outcome


def _digits(value: str | None) -> str:
    return "".join(ch for ch in (value or "") if ch.isalnum()).lstrip("0").upper()


def _lock_order_with_code(code: str) -> Order | None:
    return db.session.scalar(
        db.select(Order).where(Order.payment_code == code).with_for_update()
        .execution_options(populate_existing=True))


# --- applying a transfer to an order (in the caller's transaction, order row locked) -------------

def apply_to_order(transfer: BankTransfer, order: Order, by, *,
                   arrived: bool = True) -> TransferOutcome:
    """Count a transfer towards an order: paid, overpaid, partial, or late (left to resolve).

    ``arrived``: the money came in just now (not an admin matching what already had).
    """
    transfer.order = order
    if not _can_take_payment(order):
        transfer.status, transfer.outcome = TransferStatus.TO_RESOLVE, O.LATE
        record(order, "transfer_late", by, note=_amount_note(transfer))
        if arrived:
            _arrived_unallocated(transfer)
        return O.LATE
    was_due = order.total - (order.amount_received or 0)
    order.amount_received = (order.amount_received or 0) + transfer.amount
    transfer.status = TransferStatus.APPLIED
    record(order, "transfer_received", by, note=_amount_note(transfer))
    announce(MoneyKind.TRANSFER_RECEIVED if arrived else MoneyKind.ALLOCATED,
             f"{'transfer' if arrived else 'allocated'}-{transfer.id}", amount=transfer.amount,
             order=order, channel="bank", over=max(transfer.amount - max(was_due, 0), 0),
             reference=transfer.reference)
    if transfer.amount < was_due:
        transfer.outcome = O.PARTIAL
        return O.PARTIAL
    _settle(order, by)
    over = order.amount_received - order.total
    transfer.outcome = O.OVERPAID if over > 0 else O.PAID
    if over > 0:
        owe_refund(order, over, _("Chuyển khoản thừa"), key=f"overpaid-{transfer.id}",
                   transfer=transfer)
    notify.queue("transfer_paid", order.email, order.locale, order, transfer=transfer, over=over)
    return TransferOutcome(transfer.outcome)


def _can_take_payment(order: Order) -> bool:
    if order.paid_at is not None or order.payment_status == PaymentStatus.PAID:
        return False
    if order.payment_method == PaymentMethod.VIETQR:
        return order.payment_status == PaymentStatus.PENDING and (any(
            p.status == PickupStatus.AWAITING_PAYMENT for p in order.pickups) or any(
            b.status == "awaiting_payment" for b in order.bookings))  # seats held (bookings.models)
    if order.payment_method == PaymentMethod.AT_PICKUP:
        return order.payment_status == PaymentStatus.UNPAID and any(
            p.status in OPEN_PICKUP for p in order.pickups)
    return False


def _settle(order: Order, by) -> None:
    if order.payment_method == PaymentMethod.VIETQR:
        orders.mark_paid(order, by)  # confirms the pickups and tells outlets and producers
    else:
        payment.mark_paid(order, by)


def _amount_note(transfer: BankTransfer) -> str:
    return " ".join(filter(None, [f"{transfer.amount} VND", transfer.reference]))


# --- at the counter -------------------------------------------------------------------------------

def record_counter_transfer(pickup, amount: int, reference: str, by: User) -> TransferOutcome:
    """Record a transfer outlet staff saw arrive for a pickup's order, with the bank's reference.

    :raises TransferError: the order cannot take a payment any more, or has no payment code.
    """
    with transaction():
        order = lock_order(pickup.order_id)
        if not order.payment_code or not _can_take_payment(order):
            raise TransferError(_("Đơn này không còn chờ thanh toán."))
        transfer = BankTransfer(source=TransferSource.COUNTER, amount=amount, reference=reference,
                                content=order.payment_code, received_at=utcnow(),
                                transaction_at=utcnow(), recorded_by=actor_label(by),
                                status=TransferStatus.APPLIED, outcome=O.PARTIAL)
        db.session.add(transfer)
        db.session.flush()
        return apply_to_order(transfer, order, by)


# --- admins resolving --------------------------------------------------------------------------

def _open_transfer(transfer_id: int) -> BankTransfer:
    transfer = db.session.scalar(
        db.select(BankTransfer).where(BankTransfer.id == transfer_id).with_for_update()
        .execution_options(populate_existing=True))
    if transfer is None or transfer.status != TransferStatus.TO_RESOLVE:
        raise TransferError(_("Giao dịch này đã được xử lý."))
    return transfer


def match_transfer(transfer_id: int, order_number: str, by: User) -> TransferOutcome:
    """Count a transfer left to resolve towards the order an admin names.

    :raises TransferError: unknown order, or one that can no longer take a payment.
    """
    with transaction():
        transfer = _open_transfer(transfer_id)
        order_id = db.session.scalar(db.select(Order.id).where(Order.number == order_number.strip()))
        order = lock_order(order_id) if order_id is not None else None
        if order is None:
            raise TransferError(_("Không tìm thấy đơn hàng %(number)s.", number=order_number))
        if not _can_take_payment(order):
            raise TransferError(_("Đơn %(number)s không còn chờ thanh toán: hãy hoàn tiền cho "
                                  "người chuyển.", number=order.number))
        outcome = apply_to_order(transfer, order, by, arrived=False)
        transfer.status = TransferStatus.MATCHED
        _resolved(transfer, by, _("Ghép với đơn %(number)s", number=order.number))
        return outcome


def refund_transfer(transfer_id: int, reference: str, by: User) -> TransferRefund:
    """Record that an admin sent a transfer left to resolve back from the bank; tell the shopper."""
    with transaction():
        transfer = _open_transfer(transfer_id)
        now = utcnow()
        refund = TransferRefund(order=transfer.order, transfer=transfer, amount=transfer.amount,
                                reason=_("Hoàn chuyển khoản không dùng được"),
                                key=f"transfer-{transfer.id}", status=RefundOwedStatus.OWED)
        db.session.add(refund)
        db.session.flush()
        bank_account.owed_back(refund)
        bank_account.mark_refunded(refund, reference, actor_label(by), now)
        transfer.status = TransferStatus.REFUNDED
        _resolved(transfer, by, reference)
        return refund


def settle_refund(refund_id: int, reference: str, by: User) -> TransferRefund:
    """Record that an admin sent a refund owed; the shopper is told."""
    with transaction():
        refund = db.session.scalar(
            db.select(TransferRefund).where(TransferRefund.id == refund_id).with_for_update()
            .execution_options(populate_existing=True))
        if refund is None or refund.status != RefundOwedStatus.OWED:
            raise TransferError(_("Khoản hoàn tiền này đã được ghi nhận."))
        if refund.order_id is not None:
            lock_order(refund.order_id)
        bank_account.mark_refunded(refund, reference, actor_label(by), utcnow())
        return refund


def repay_failed_card_refund(refund_id: int, reference: str, by: User) -> TransferRefund:
    """Record that an admin sent from the bank a card refund Stripe failed; the shopper is told.

    The money was already owed back (since the refund was planned); this only sends it, once.

    :raises TransferError: not a card refund Stripe failed, or one paid back already.
    """
    with transaction():
        refund = db.session.get(Refund, refund_id)
        if refund is None or refund.status != RefundStatus.FAILED:
            raise TransferError(_("Khoản hoàn tiền này không bị lỗi."))
        lock_order(refund.order_id)
        key = f"card-refund-{refund.id}"
        if db.session.scalar(db.select(TransferRefund.id).where(TransferRefund.key == key)):
            raise TransferError(_("Khoản hoàn tiền này đã được ghi nhận."))
        paid_back = TransferRefund(order=refund.order, pickup=refund.pickup, amount=refund.amount,
                                   reason=refund.reason[:TransferRefund.reason.type.length],
                                   key=key, status=RefundOwedStatus.OWED)
        db.session.add(paid_back)
        db.session.flush()  # a second click waits on this key's unique index, then fails
        bank_account.mark_refunded(paid_back, reference, actor_label(by), utcnow())
        return paid_back


def _resolved(transfer: BankTransfer, by, note: str) -> None:
    transfer.resolved_by, transfer.resolved_at, transfer.resolution_note = \
        actor_label(by), utcnow(), note


# --- what admins see ----------------------------------------------------------------------------

def to_resolve_query():
    """Transfers an admin must match or refund, oldest first (a select, for paging)."""
    return (db.select(BankTransfer).where(BankTransfer.status == TransferStatus.TO_RESOLVE)
            .order_by(BankTransfer.received_at, BankTransfer.id))


def to_resolve() -> list[BankTransfer]:
    return db.session.scalars(to_resolve_query()).all()


def refunds_owed_query():
    """Refunds owed to shoppers by bank transfer, oldest first (a select, for paging)."""
    return (db.select(TransferRefund).where(TransferRefund.status == RefundOwedStatus.OWED)
            .order_by(TransferRefund.created_at, TransferRefund.id))


def refunds_owed() -> list[TransferRefund]:
    return db.session.scalars(refunds_owed_query()).all()


def partly_paid() -> list[Order]:
    """Orders still waiting for payment that received part of it."""
    return db.session.scalars(db.select(Order).where(
        Order.amount_received > 0, Order.amount_received < Order.total,
        Order.payment_status.in_([PaymentStatus.PENDING, PaymentStatus.UNPAID]))
        .order_by(Order.id)).all()


def recent(limit: int = 20) -> list[BankTransfer]:
    return db.session.scalars(db.select(BankTransfer).order_by(BankTransfer.id.desc())
                              .limit(limit)).all()


def transfers_of(order: Order) -> list[BankTransfer]:
    return db.session.scalars(db.select(BankTransfer).where(BankTransfer.order_id == order.id)
                              .order_by(BankTransfer.id)).all()


# --- the deadline ------------------------------------------------------------------------------

def expire_unpaid_transfers(now=None) -> int:
    """Cancel transfer orders still unpaid at their deadline, returning their stock; return how many.

    Rows are locked in id order and ones being paid right now are skipped (PostgreSQL): a
    notification that holds the order's lock wins, one that comes after finds it closed.
    """
    now = now or utcnow()
    due = db.session.scalars(
        db.select(Order).where(Order.payment_method == PaymentMethod.VIETQR,
                               Order.payment_status == PaymentStatus.PENDING,
                               Order.payment_deadline < now)
        .order_by(Order.id).with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    ).all()
    with transaction():
        expired = [order for order in due if order.payment_status == PaymentStatus.PENDING]
        for order in expired:
            orders.expire_payment(order, "system", _("Quá hạn chuyển khoản"))
    return len(expired)
