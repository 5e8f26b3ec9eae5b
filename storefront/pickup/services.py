"""Pickup-day use cases: move the day, hand over partially, remind shoppers.

Each owns its unit of work; the order moves themselves go through ``orders.transitions``.
"""
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..catalog import stock
from ..catalog.models import Outlet
from ..extensions import db
from ..notifications import services as notify
from ..orders import services as order_services
from ..orders.locks import lock_pickups
from ..orders.models import (
    LineStatus, OrderLine, PaymentMethod, PaymentStatus, Pickup, PickupStatus,
)
from ..orders.transitions import Actor, InvalidTransition, OrderError, move_line, move_pickup, record
from ..payments import bank_account
from ..payments.refunds import give_back
from ..timeutil import utcnow
from ..unit_of_work import transaction
from . import calendars, schedule
from .models import OutletClosure, OutletHours

P = PickupStatus
MOVABLE = (P.AWAITING_PAYMENT, P.CONFIRMED)
REMINDER_HOUR = 8  # Hanoi time: reminders go out from 08:00


class PickupDayRefused(OrderError):
    """The pickup day cannot be moved as asked; the message is for the shopper."""


# --- the shopper moves the day ----------------------------------------------------------------

def can_move_day(pickup: Pickup) -> bool:
    """Tell whether the shopper may still move the pickup day: until the pickup is ready."""
    return pickup.status in MOVABLE


def day_choices_for(pickup: Pickup, now: datetime | None = None) -> list[date]:
    """Return the days this pickup may move to (its own booking does not count against the limit)."""
    return calendars.day_choices(pickup.outlet, [line.product for line in _open_lines(pickup)],
                                 now, exclude_pickup_id=pickup.id)


def move_day(pickup: Pickup, day: date | None, by: Actor, now: datetime | None = None) -> None:
    """Move a pickup to another day offered under the checkout's rules, and tell the outlet.

    :raises PickupDayRefused: the pickup is ready or ended, or the day is not offered.
    """
    if not can_move_day(pickup):
        raise PickupDayRefused(_("Đơn đã sẵn sàng hoặc đã kết thúc nên không đổi được ngày nhận."))
    with transaction():
        # The outlet row is locked so two shoppers cannot both take a day's last place.
        db.session.execute(select(Outlet.id).where(Outlet.id == pickup.outlet_id).with_for_update())
        if day is None or day not in day_choices_for(pickup, now):
            raise PickupDayRefused(_("Ngày này không nhận đơn tại %(outlet)s (điểm bán nghỉ, đã đủ "
                                     "lượt hoặc trước ngày hàng sẵn sàng). Vui lòng chọn ngày khác.",
                                     outlet=pickup.outlet.display_name))
        before = pickup.pickup_day
        pickup.pickup_day = day
        pickup.reminded_before_at = None  # a new day earns its own reminder
        record(pickup.order, "pickup_day_moved", by, pickup=pickup,
               note=f"{before.isoformat() if before else '-'} → {day.isoformat()}")
        for user in notify.outlet_staff(pickup.outlet):
            notify.queue("pickup_day_moved", user.email, user.locale, pickup.order, pickup=pickup,
                         before=before)


# --- partial hand-over ------------------------------------------------------------------------

def can_hand_over_partially(pickup: Pickup) -> bool:
    """Tell whether some lines are at the outlet while others are still awaited."""
    if pickup.status != P.CONFIRMED or pickup.code_used_at is not None:
        return False
    statuses = {line.status for line in pickup.lines}
    return LineStatus.RECEIVED in statuses and LineStatus.AWAITING_DROPOFF in statuses


def hand_over_partially(pickup: Pickup, code: str, by: Actor, note: str = "", *,
                        collected=None, amount: int | None = None) -> int:
    """Hand over the received lines, with the shopper's agreement; cancel the rest.

    The lines not brought are cancelled and their stock returned; what was paid for them is
    refunded (card through Stripe, transfer owed back by an admin). Returns that amount.

    On a pay-at-pickup order, the counter says how it took what the lines handed over cost
    (``collected``, ``amount``), as for a whole hand-over (``orders.services.take_counter_payment``).

    :raises InvalidTransition: nothing or everything has been received, or the pickup is not open.
    :raises orders.services.WrongPickupCode, CodeLocked: as for a whole hand-over.
    :raises orders.services.PaymentNotCollected: money is due and was not said taken.
    """
    reason = _("Giao một phần: khách đồng ý nhận các sản phẩm đã về điểm bán")
    with transaction():
        lock_pickups([pickup])  # two staff acting on one pickup at once take turns
        if not can_hand_over_partially(pickup):
            raise InvalidTransition(_("Chỉ giao một phần khi đã nhận một số (không phải tất cả) "
                                      "sản phẩm của đơn."))
        right = order_services.code_opens(pickup, code, by)
        if right:
            refunded = _hand_over_received(pickup, by, reason, note, collected, amount)
    if not right:  # the failed try was committed: it counts towards the lock
        raise order_services.WrongPickupCode(_("Mã nhận hàng không đúng."))
    return refunded


def _hand_over_received(pickup: Pickup, by: Actor, reason: str, note: str, collected,
                        paid: int | None) -> int:
    missing = [l for l in pickup.lines if l.status == LineStatus.AWAITING_DROPOFF]
    amount = sum(line.amount for line in missing)
    for line in missing:  # in line-id order, as the pickup lists them
        move_line(line, LineStatus.CANCELLED, by, note=reason)
        stock.release(line.product_id, line.quantity)
    pickup.partial = True
    record(pickup.order, "partial_hand_over", by, pickup=pickup,
           note=f"{reason}. {note}".strip() if note else reason)
    move_pickup(pickup, P.READY, by)
    order_services.take_counter_payment(pickup, by, collected, paid)
    pickup.code_used_at = utcnow()
    pickup.failed_code_attempts = 0
    move_pickup(pickup, P.COLLECTED, by)
    _refund_missing(pickup, amount, reason)
    order_services.settle_at_pickup(pickup.order, by)
    return amount


def _refund_missing(pickup: Pickup, amount: int, reason: str) -> None:
    if amount > 0:
        give_back(pickup.order, amount, reason, key=f"pickup-{pickup.id}-partial", pickup=pickup)


def collected_amount(pickup: Pickup) -> int:
    """Return the value of what the shopper takes: the lines not cancelled."""
    return sum(line.amount for line in pickup.lines if line.status != LineStatus.CANCELLED)


# --- reminders ----------------------------------------------------------------------------------

def send_reminders(now: datetime | None = None) -> tuple[int, int]:
    """Queue the day-before and last-day reminders due now; each is sent once. Return both counts.

    Day before: the pickup day is tomorrow (Hanoi) and the pickup is confirmed or ready.
    Last day: a ready pickup's window (open days from its pickup day) ends today.
    Nothing goes out before ``REMINDER_HOUR`` in Hanoi.
    """
    now = now or utcnow()
    if schedule.local(now).hour < REMINDER_HOUR:  # no mail in the night; the 08:00 run sends them
        return 0, 0
    today = schedule.local(now).date()
    before = _remind_day_before(today + timedelta(days=1), now)
    last = _remind_last_day(today, now)
    return before, last


def _remind_day_before(tomorrow: date, now: datetime) -> int:
    with transaction():
        pickups = db.session.scalars(
            select(Pickup).where(Pickup.pickup_day == tomorrow, Pickup.reminded_before_at.is_(None),
                                 Pickup.status.in_((P.CONFIRMED, P.READY)))
            .order_by(Pickup.id).with_for_update(skip_locked=True)
            .options(selectinload(Pickup.order), selectinload(Pickup.lines))
        ).all()
        for pickup in pickups:
            pickup.reminded_before_at = now
            notify.queue("pickup_reminder", pickup.order.email, pickup.order.locale, pickup.order,
                         pickup=pickup, last_day=False, day=pickup.pickup_day)
    return len(pickups)


def _remind_last_day(today: date, now: datetime) -> int:
    with transaction():
        candidates = db.session.scalars(
            select(Pickup).where(Pickup.status == P.READY, Pickup.reminded_last_day_at.is_(None))
            .order_by(Pickup.id).with_for_update(skip_locked=True)
        ).all()
        due = [p for p in candidates if calendars.window_last_day(p) == today]
        for pickup in due:
            pickup.reminded_last_day_at = now
            notify.queue("pickup_reminder", pickup.order.email, pickup.order.locale, pickup.order,
                         pickup=pickup, last_day=True, day=today)
    return len(due)


def _open_lines(pickup: Pickup):
    return [line for line in pickup.lines if line.status != LineStatus.CANCELLED]



# --- admin: hours, closures, instructions, capacity -------------------------------------------

def save_outlet_pickup(outlet: Outlet, week: dict, *, instructions_vi: str | None,
                       instructions_en: str | None, pickups_per_day: int | None) -> None:
    """Replace the outlet's weekly hours and save its pickup instructions and daily limit."""
    with transaction():
        outlet.hours_rows.clear()
        db.session.flush()
        for weekday, intervals in sorted(week.items()):
            for interval in intervals:
                outlet.hours_rows.append(OutletHours(weekday=weekday, opens=interval.opens,
                                                     closes=interval.closes))
        outlet.instructions_vi = instructions_vi or None
        outlet.instructions_en = instructions_en or None
        outlet.pickups_per_day = pickups_per_day


def add_closure(outlet: Outlet, first: date, last: date | None, reason: str,
                reason_en: str | None = None) -> None:
    with transaction():
        db.session.add(OutletClosure(outlet=outlet, first_day=first, last_day=last or first,
                                     reason=reason, reason_en=reason_en or None))


def remove_closure(outlet: Outlet, closure_id: int) -> bool:
    """Remove one closure of ``outlet``; a closure of another outlet is simply not found."""
    closure = db.session.scalar(select(OutletClosure).where(OutletClosure.id == closure_id,
                                                            OutletClosure.outlet_id == outlet.id))
    if closure is None:
        return False
    with transaction():
        db.session.delete(closure)
    return True


# --- producer: lead time and delivery days ----------------------------------------------------

def save_delivery(producer, lead_days: int, weekdays, product_leads: dict | None = None) -> None:
    """Save a producer's lead time, delivery weekdays and per-product lead times (None: default)."""
    with transaction():
        producer.lead_days = lead_days
        producer.delivery_weekdays = "".join(str(d) for d in sorted(set(weekdays)))
        for product in producer.products:
            if product_leads is not None and product.id in product_leads:
                product.lead_days = product_leads[product.id]


# --- late drop-offs ---------------------------------------------------------------------------

def flag_late_dropoffs(now: datetime | None = None) -> int:
    """Tell producer and outlet, once per line, that goods missed their pickup day; return how many."""
    now = now or utcnow()
    today = schedule.local(now).date()
    with transaction():
        lines = db.session.scalars(
            select(OrderLine).join(OrderLine.pickup)
            .where(OrderLine.status == LineStatus.AWAITING_DROPOFF, OrderLine.late_flagged_at.is_(None),
                   Pickup.status == P.CONFIRMED, Pickup.pickup_day < today)
            .order_by(OrderLine.id).with_for_update(of=OrderLine, skip_locked=True)
        ).all()
        for line in lines:
            line.late_flagged_at = now
            pickup = line.pickup
            people = [(u.email, u.locale) for u in notify.outlet_staff(pickup.outlet)]
            people += notify.producer_addresses(line.producer)
            for address, locale in people:
                notify.queue("late_dropoff", address, locale, pickup.order, pickup=pickup, line=line)
    return len(lines)
