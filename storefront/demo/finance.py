"""Five weeks of money for the demo, written through the real use cases at past moments
(``timeutil.clock_at``): orders paid by transfer and in cash, handed over (one in part), a
cancellation refunded from the bank, closed settlement periods with statements, a paid payout and
a pending one, a shift with a difference and a confirmed remittance. Runs once (skipped when the
books hold anything)."""
import itertools
import secrets
from datetime import datetime, time, timedelta, timezone

from sqlalchemy import select

from ..accounts.models import User
from ..catalog.models import Product
from ..extensions import db
from ..finance import cash, payouts, settlement
from ..finance.models import JournalEntry
from ..orders import payment, services as orders
from ..orders.codes import hash_access_token, hash_pickup_code, new_payment_code
from ..orders.models import (
    CounterMethod, LineStatus, Order, OrderLine, PaymentMethod, Pickup, PickupStatus,
)
from ..payments import transfers
from ..timeutil import HANOI, clock_at, utcnow
from ..unit_of_work import transaction

CODE = "DEMO-CODE"
_tokens = itertools.count(1)


def _at(day, hour: int) -> datetime:
    """Return ``hour`` o'clock Hanoi on ``day`` as naive UTC."""
    return datetime.combine(day, time(hour), HANOI).astimezone(timezone.utc).replace(tzinfo=None)


def seed_finance(today) -> int:
    """Write the demo's money history unless the books already hold some; return orders made."""
    if db.session.scalar(select(JournalEntry.id).limit(1)) is not None:
        return 0
    producer_user = db.session.scalar(select(User).where(User.email == "producer@ocop.local"))
    staff = db.session.scalar(select(User).where(User.email == "outlet@ocop.local"))
    admin = db.session.scalar(select(User).where(User.email == "admin@ocop.local"))
    if producer_user is None or staff is None or admin is None:
        return 0
    products = db.session.scalars(select(Product).where(
        Product.producer_id == producer_user.producer_id, Product.stock > 20)
        .order_by(Product.id).limit(2)).all()
    if not products or not any(staff.outlet_id == o.id for o in products[0].outlets):
        return 0
    with clock_at(_at(today - timedelta(days=36), 9)):
        account = payouts.change_account(producer_user.producer, producer_user, "demo-password-2026",
                                         "970436", "0011002233445", "HTX GOM BAT TRANG",
                                         lambda email: None)
        payouts.verify_account(account.id, admin.email)
    made = 0
    for days_ago in range(35, 1, -3):
        day = today - timedelta(days=days_ago)
        made += _a_day(day, products, staff, admin, days_ago)
        if day.day in (1, 16) or days_ago == 35:
            with clock_at(_at(day, 23)):
                start, end = settlement.previous_period(day)
                settlement.close_period(start, end)
        if days_ago in (20, 8):
            with clock_at(_at(day, 16)):
                batch = payouts.make_batch(admin.email)
                if batch is not None and days_ago == 20:
                    for payout in batch.payouts:
                        payouts.mark_paid(payout.id, f"FT{secrets.randbelow(10**9):09d}", admin.email)
    with clock_at(_at(today - timedelta(days=1), 20)):
        shift = cash.close_shift(staff.outlet_id, max(cash.expected_in_drawer(staff.outlet_id) - 20_000, 0),
                                 staff.email, "Thiếu 20.000 ₫, đang kiểm tra")
        if shift.counted:
            remittance = cash.record_remittance(staff.outlet_id, shift.counted, "NOP-DEMO-01",
                                                staff.email)
            cash.confirm_remittance(remittance.id, admin.email)
    return made


def _a_day(day, products, staff, admin, days_ago: int) -> int:
    """Two orders on ``day``: one paid ahead by transfer and handed over, one paid in cash at pickup."""
    first, second = products[0], products[-1]
    with clock_at(_at(day, 9)):
        paid = _order(PaymentMethod.AT_PICKUP, [(first, 1), (second, 1)], staff.outlet_id)
        transfers.record_counter_transfer(paid.pickups[0], paid.total,
                                          f"FT{secrets.randbelow(10**9):09d}", staff)
        cash_order = _order(PaymentMethod.AT_PICKUP, [(first, 2)], staff.outlet_id)
    with clock_at(_at(day, 15)):
        if days_ago == 23:  # the shopper cancels: the transfer is owed back, then sent
            orders.cancel_order(paid, "system", "Khách đổi ý")
            for owed in transfers.refunds_owed():
                transfers.settle_refund(owed.id, f"FT-HOAN-{owed.id}", admin)
        elif days_ago == 14:  # one product never came: the shopper takes the other
            from ..pickup import services as pickup_services
            orders.receive_line(paid.pickups[0].lines[0], staff)
            pickup_services.hand_over_partially(paid.pickups[0], CODE, staff, "Khách đồng ý")
        else:
            _hand_over(paid, staff)
        _hand_over(cash_order, staff, collect=True)
    return 2


def _order(method, items, outlet_id) -> Order:
    now = utcnow()
    with transaction():
        order = Order(name="Khách demo", phone="0987654321", email="shopper@ocop.local",
                      locale="vi", payment_method=method,
                      payment_status=payment.opening_status(method), total=0,
                      access_token_hash=hash_access_token(secrets.token_urlsafe(16)),
                      checkout_token=f"demo-finance-{next(_tokens)}-{secrets.token_hex(4)}",
                      payment_deadline=now + timedelta(hours=1), created_at=now)
        status = PickupStatus.AWAITING_PAYMENT if method == PaymentMethod.VIETQR \
            else PickupStatus.CONFIRMED
        pickup = Pickup(outlet_id=outlet_id, status=status, code_hash="-", subtotal=0,
                        created_at=now, pickup_day=now.date(),
                        confirmed_at=None if status == PickupStatus.AWAITING_PAYMENT else now)
        for product, quantity in items:
            product.stock -= quantity
            pickup.lines.append(OrderLine(product=product, producer_id=product.producer_id,
                                          product_name=product.name_vi, unit=product.unit_vi,
                                          quantity=quantity, unit_price=product.price,
                                          status=LineStatus.AWAITING_DROPOFF))
        pickup.subtotal = sum(line.amount for line in pickup.lines)
        order.pickups.append(pickup)
        order.total = pickup.subtotal
        db.session.add(order)
        db.session.flush()
        order.number = f"OC-{now.year}-{order.id:06d}"
        order.payment_code = new_payment_code()
        pickup.code_hash = hash_pickup_code(pickup.id, CODE)
    return order


def _hand_over(order: Order, staff, collect: bool = False) -> None:
    db.session.refresh(order)
    pickup = order.pickups[0]
    if pickup.status not in (PickupStatus.CONFIRMED, PickupStatus.READY):
        return
    for line in pickup.lines:
        if line.status == LineStatus.AWAITING_DROPOFF:
            orders.receive_line(line, staff)
    if collect:
        try:
            orders.hand_over(pickup, CODE, staff)
        except orders.PaymentNotCollected as due:
            orders.hand_over(pickup, CODE, staff, collected=CounterMethod.CASH, amount=due.amount)
    else:
        orders.hand_over(pickup, CODE, staff)
