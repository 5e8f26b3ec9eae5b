"""Order use cases after placement: payment, receiving goods, hand-over, cancellation, expiry.

Functions marked *in the caller's transaction* are building blocks for the payment
webhook; the rest own their unit of work.
"""
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _

from ..unit_of_work import transaction
from ..extensions import db
from ..notifications import services as notify
from ..timeutil import local_date_of, utc_start_of, utcnow
from ..i18n import format_vnd
from . import codes, dues, hooks, payment
from .locks import lock_order, lock_pickups
from .money_events import MoneyKind, announce
from .models import (
    COUNTER_METHOD_LABELS, CounterMethod, CounterPayment, LineStatus, Order, PaymentMethod,
    PaymentStatus, Pickup, PickupStatus,
)
from .signals import order_cancelled, payment_expired, pickup_ended
from .transitions import (
    OPEN_PICKUP, Actor, InvalidTransition, OrderError, actor_label, end_pickup, move_line, move_pickup,
    record,
    shopper_may_cancel, shopper_may_cancel_order,
)

P = PickupStatus
__all__ = ["OrderError", "InvalidTransition", "WrongPickupCode", "CodeLocked", "PaymentNotCollected",
           "AmountDueChanged"]


class WrongPickupCode(OrderError):
    """The code entered does not open this pickup."""


class CodeLocked(OrderError):
    """Too many wrong codes: hand-over is paused for this pickup."""


class PaymentNotCollected(OrderError):
    """A pay-at-pickup pickup still owes money: the counter must say it took it before handing over."""

    def __init__(self, message: str, amount: int):
        super().__init__(message)
        self.amount = amount


class AmountDueChanged(PaymentNotCollected):
    """The amount the counter confirmed is no longer what is due (a transfer came in meanwhile)."""


# --- payment (in the caller's transaction) -------------------------------------------------

def mark_paid(order: Order, by: Actor, payment_intent: str | None = None) -> None:
    """Confirm a card order's pickups once Stripe says it is paid (in the caller's transaction)."""
    payment.mark_paid(order, by)
    order.stripe_payment_intent = payment_intent or order.stripe_payment_intent
    for pickup in order.pickups:
        if pickup.status == P.AWAITING_PAYMENT:
            move_pickup(pickup, P.CONFIRMED, by)
    hooks.bookings.confirm(order)  # their seats were held; each gets its ticket now
    notify.new_order(order)


def expire_payment(order: Order, by: Actor, note: str) -> None:
    """Cancel an unpaid card order and return its stock (in the caller's transaction)."""
    for pickup in order.pickups:
        if pickup.status == P.AWAITING_PAYMENT:
            end_pickup(pickup, P.CANCELLED, by, note)
    hooks.bookings.release_unpaid(order, note)  # the seats held while the shopper paid return too
    payment.mark_failed(order, by, note)
    record(order, "payment_expired", by, note=note)
    payment_expired.send(order, reason=note)  # payments owes back a transfer that fell short


# --- outlet work ------------------------------------------------------------------------------

def receive_line(line, by: Actor) -> None:
    """Record that the producer brought a line to the outlet; the pickup is ready when all are."""
    with transaction():
        lock_pickups([line.pickup])
        if line.pickup.status != P.CONFIRMED:
            raise InvalidTransition(_("Chỉ nhận hàng cho đơn đã xác nhận."))
        move_line(line, LineStatus.RECEIVED, by)
        if all(l.status == LineStatus.RECEIVED for l in line.pickup.lines
               if l.status != LineStatus.CANCELLED):
            move_pickup(line.pickup, P.READY, by)
            notify.pickup_ready(line.pickup)


def hand_over(pickup: Pickup, code: str, by: Actor, *, collected: CounterMethod | None = None,
              amount: int | None = None) -> CounterPayment | None:
    """Hand a ready pickup to the shopper against its code; the code then stops working.

    On a pay-at-pickup pickup that still owes money, the counter says how it took ``amount``
    (``collected``: cash or transfer); that payment is recorded with the hand-over and returned.

    :raises CodeLocked: after too many wrong codes, for a while.
    :raises WrongPickupCode: the code is wrong (the failed try is recorded).
    :raises PaymentNotCollected: the code is right but money is due and none was said taken.
    :raises AmountDueChanged: the amount confirmed is not what is due now.
    :raises InvalidTransition: the pickup is not ready.
    """
    with transaction():
        lock_pickups([pickup])  # two staff handing over at once take turns
        lock_order(pickup.order_id)  # after the pickups, as cancelling does: then transfers wait
        _refuse_while_locked(pickup)
        if pickup.status != P.READY or pickup.code_used_at is not None:
            raise InvalidTransition(_("Đơn này chưa sẵn sàng hoặc đã được giao."))
        right = code_opens(pickup, code, by)
        if right:
            payment = take_counter_payment(pickup, by, collected, amount)
            pickup.code_used_at = utcnow()
            pickup.failed_code_attempts = 0
            move_pickup(pickup, P.COLLECTED, by)
            settle_at_pickup(pickup.order, by)
    if not right:  # the failed try was committed: it counts towards the lock
        raise WrongPickupCode(_("Mã nhận hàng không đúng."))
    return payment


def take_counter_payment(pickup: Pickup, by: Actor, method: CounterMethod | None,
                         amount: int | None) -> CounterPayment | None:
    """Record what the counter took for a pickup about to be handed over (in the caller's transaction).

    Nothing is recorded when nothing is due.

    :raises PaymentNotCollected: money is due and ``method`` does not say how it was taken.
    :raises AmountDueChanged: ``amount`` is not what is due.
    """
    due = dues.amount_due(pickup)
    if due <= 0:
        return None
    if method not in set(CounterMethod):
        raise PaymentNotCollected(_("Thu %(amount)s của khách, rồi bấm “đã thu” để giao hàng.",
                                    amount=format_vnd(due)), due)
    if amount != due:
        raise AmountDueChanged(_("Số tiền cần thu bây giờ là %(amount)s. Vui lòng kiểm tra rồi "
                                 "xác nhận lại.", amount=format_vnd(due)), due)
    payment = CounterPayment(order=pickup.order, pickup=pickup, amount=due, method=method,
                             collected_by_id=getattr(by, "id", None),
                             collected_by=actor_label(by), collected_at=utcnow())
    db.session.add(payment)
    cash = CounterMethod(method) == CounterMethod.CASH
    announce(MoneyKind.COUNTER_CASH if cash else MoneyKind.COUNTER_TRANSFER,
             f"counter-pickup-{pickup.id}", amount=due, order=pickup.order, pickup=pickup,
             channel="cash" if cash else "bank")
    record(pickup.order, "counter_payment", by, pickup=pickup,
           note=f"{due} VND, {COUNTER_METHOD_LABELS[CounterMethod(method)]}")
    return payment


def code_opens(pickup: Pickup, code: str, by: Actor) -> bool:
    """Tell whether the shopper's code opens the pickup, for any hand-over, whole or partial.

    In the caller's transaction, with the pickup locked (``lock_pickups``): a wrong code is
    noted there and counts towards the lock, so the caller commits before it refuses.

    :raises CodeLocked: after too many wrong codes, for a while.
    """
    _refuse_while_locked(pickup)
    if codes.code_matches(pickup, code):
        return True
    _note_wrong_code(pickup, by, utcnow())
    return False


def _refuse_while_locked(pickup: Pickup) -> None:
    if pickup.code_locked_until and pickup.code_locked_until > utcnow():
        raise CodeLocked(_("Nhập sai mã quá nhiều lần. Vui lòng thử lại sau 15 phút."))


def settle_at_pickup(order: Order, by: Actor = "system") -> None:
    """Mark a pay-at-pickup (or at-the-venue) order paid once every pickup and booking has ended
    and the money held covers what was handed over and checked in (``dues.fully_paid``; in the
    caller's transaction, with the order locked). Never on a hand-over or check-in alone.

    Called after a hand-over, a check-in, and after a pickup or booking of the order ended
    otherwise (cancelled, no-show), since the last part to end may be any of them.
    """
    if order.payment_method != PaymentMethod.AT_PICKUP or order.paid_at is not None:
        return
    if dues.fully_paid(order):
        payment.mark_paid(order, by)


def note_wrong_code(pickup: Pickup, by: Actor, note: str | None = None):
    """Count a wrong code typed where the server could not check it (a counter device with no
    network, replayed later) towards the pickup's lock, as ``code_opens`` counts one here.

    In the caller's transaction, with the pickup locked (``lock_pickups``). A try made while the
    pickup is locked still counts (towards the next lock): the device did not know. Return the
    lock this try set (the lock starts now, when the server learns of it), or None.
    """
    return _note_wrong_code(pickup, by, utcnow(), note=note)


def _note_wrong_code(pickup: Pickup, by: Actor, now, note: str | None = None):
    pickup.failed_code_attempts += 1
    locked = None
    if pickup.failed_code_attempts >= current_app.config["PICKUP_CODE_MAX_TRIES"]:
        pickup.code_locked_until = locked = now + timedelta(minutes=15)
        pickup.failed_code_attempts = 0
    record(pickup.order, "wrong_pickup_code", by, pickup=pickup, note=note)
    return locked


# --- cancellation and expiry ------------------------------------------------------------------

def cancel_pickup(pickup: Pickup, by: Actor, reason: str, *, by_shopper: bool = False) -> None:
    """Cancel one pickup: stock returns, a paid amount is refunded, the shopper is told.

    :raises InvalidTransition: already ended, or (for the shopper) already ready.
    """
    with transaction():
        lock_pickups([pickup])
        if by_shopper and not shopper_may_cancel(pickup):
            raise InvalidTransition(_("Đơn đã sẵn sàng tại điểm bán nên không thể tự huỷ. "
                                      "Vui lòng liên hệ điểm bán."))
        _end_with_refund(pickup, P.CANCELLED, by, reason)
        lock_order(pickup.order_id)  # after the pickups, as a hand-over locks them
        settle_at_pickup(pickup.order, by)  # the other parts may all be settled already


def cancel_order(order: Order, by: Actor, reason: str, *, by_shopper: bool = False) -> None:
    """Cancel every open pickup and open booking of an order in one unit of work.

    The bookings go first (``order_cancelled``: seats given back through ``bookings.seats.release``,
    what was paid for them owed back by method through ``payments.refunds.give_back``), then the
    pickups. A shopper cannot cancel a whole order holding a booking past its free-cancellation
    deadline (the returns policy: experiences are cancelled for free until then).
    """
    with transaction():
        lock_pickups(order.pickups)
        lock_order(order.id)  # after the pickups, as a hand-over locks them
        open_pickups = [p for p in order.pickups if p.status in OPEN_PICKUP]
        open_bookings = hooks.bookings.open_of(order)
        if not open_pickups and not open_bookings:
            raise InvalidTransition(_("Đơn hàng này không còn gì để huỷ."))
        if by_shopper and not shopper_may_cancel_order(order):  # the order page's rule too
            if hooks.bookings.past_free_change(open_bookings):
                raise InvalidTransition(_("Một lượt đặt chỗ trong đơn đã quá hạn huỷ miễn phí nên "
                                          "không thể tự huỷ cả đơn. Vui lòng liên hệ cơ sở."))
            raise InvalidTransition(_("Một phần đơn đã sẵn sàng tại điểm bán nên không thể tự "
                                      "huỷ. Vui lòng liên hệ điểm bán."))
        if open_bookings:
            order_cancelled.send(order, reason=reason, by=by)
        for pickup in open_pickups:
            _end_with_refund(pickup, P.CANCELLED, by, reason)
        if not open_pickups and order.payment_status == PaymentStatus.PENDING:
            payment.mark_failed(order, by, reason)  # nothing left to pay for
        settle_at_pickup(order, by)  # what was handed over or checked in before is paid for


def _end_with_refund(pickup: Pickup, to: PickupStatus, by: Actor, reason: str) -> None:
    order = pickup.order
    end_pickup(pickup, to, by, reason)
    pickup_ended.send(pickup, reason=reason)  # payments plans what is paid back
    if all(p.status not in OPEN_PICKUP for p in order.pickups) \
            and order.payment_status == PaymentStatus.PENDING:
        payment.mark_failed(order, by, reason)
    notify.pickup_cancelled(pickup, reason)


def expire_no_shows(now=None, by: Actor = "system", days: int | None = None) -> int:
    """Mark ready pickups not collected within the pickup window as no-show; return how many.

    The window is ``days`` (default ``PICKUP_WINDOW_DAYS``) open days of the outlet, counted
    from the pickup day the shopper chose (or the day it became ready, if later): see
    ``pickup.calendars.window_last_day``.
    """
    now = now or utcnow()
    today = local_date_of(now)
    # Locked in id order so a concurrent run or hand-over can't deadlock with this one.
    ready = db.session.scalars(
        db.select(Pickup).where(Pickup.status == P.READY, Pickup.ready_at < utc_start_of(today))
        .order_by(Pickup.id).with_for_update(skip_locked=True)
    ).all()
    stale = [pickup for pickup in ready if hooks.window_passed(pickup, today, days)]
    with transaction():
        for pickup in stale:
            _end_with_refund(pickup, P.NO_SHOW, by, _("Quá hạn nhận hàng"))
    return len(stale)


def expire_unpaid_orders(now=None, by: Actor = "system") -> int:
    """Cancel card and transfer orders whose payment deadline passed; return how many."""
    now = now or utcnow()
    orders = db.session.scalars(
        db.select(Order).where(Order.payment_status == PaymentStatus.PENDING,
                               Order.payment_deadline < now)
        .order_by(Order.id).with_for_update(skip_locked=True)
    ).all()
    with transaction():
        for order in orders:
            expire_payment(order, by, _("Quá hạn thanh toán"))
    return len(orders)
