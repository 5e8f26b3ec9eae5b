"""Cancelling a whole order gives its bookings' seats back and refunds them by method (issue 24)."""
import pytest
from sqlalchemy import func, select

from storefront.bookings.models import Booking, BookingStatus
from storefront.extensions import db
from storefront.finance import ledger
from storefront.finance.models import AccountKind
from storefront.models import Order
from storefront.orders import services as order_services
from storefront.orders.models import PaymentStatus, PickupStatus
from storefront.payments.transfer_models import TransferRefund
from tests.support.bookings_support import book, seats_taken, workshop
from tests.support.factories import ProductFactory
from tests.support.transfer_support import app, notification, post  # noqa: F401 — app: with the bank account


def fresh(model, row):
    return db.session.get(model, row.id, populate_existing=True)


def test_cancelling_a_paid_order_releases_its_seats_and_owes_back_goods_and_tickets(app, client):
    experience, session, adult, child = workshop()
    tea = ProductFactory(price=120_000, stock=5, outlets=[experience.outlet])
    order = book(session, (adult, 2), (child, 1), goods=[(tea, 1)], outlet=experience.outlet,
                 method="vietqr").order  # 650.000 + 120.000
    assert post(client, notification(order.payment_code, order.total)).status_code == 200
    assert seats_taken(session) == 3

    order_services.cancel_order(fresh(Order, order), "admin@example.com", "Cửa hàng huỷ đơn")

    order = fresh(Order, order)
    booking = fresh(Booking, order.bookings[0])
    assert booking.status == BookingStatus.CANCELLED and booking.cancel_reason == "Cửa hàng huỷ đơn"
    assert seats_taken(session) == 0 and order.pickups[0].status == PickupStatus.CANCELLED
    owed = db.session.scalar(select(func.sum(TransferRefund.amount)).where(TransferRefund.order_id == order.id))
    assert owed == 770000  # the ticket and the goods, each once
    assert ledger.balance(ledger.find_account(AccountKind.REFUNDS_OWED)) == -770000
    assert ledger.trial_balance() == 0


def test_a_bookings_only_order_paid_at_the_venue_is_cancelled_with_nothing_to_refund(app):
    experience, session, adult, child = workshop()
    order = book(session, (adult, 1)).order

    order_services.cancel_order(order, "guest", "Khách hàng huỷ đơn", by_shopper=True)

    assert fresh(Booking, order.bookings[0]).status == BookingStatus.CANCELLED and seats_taken(session) == 0
    assert db.session.scalar(select(func.count()).select_from(TransferRefund)) == 0
    with pytest.raises(order_services.InvalidTransition):  # nothing left to cancel
        order_services.cancel_order(fresh(Order, order), "guest", "again", by_shopper=True)


def test_an_unpaid_transfer_order_of_bookings_cancelled_fails_its_payment(app):
    experience, session, adult, child = workshop()
    order = book(session, (adult, 1), method="vietqr").order

    order_services.cancel_order(order, "admin@example.com", "Huỷ")

    order = fresh(Order, order)
    assert order.payment_status == PaymentStatus.FAILED and seats_taken(session) == 0
    assert order.bookings[0].status == BookingStatus.CANCELLED


def test_the_shopper_cannot_cancel_a_whole_order_past_a_bookings_free_cancellation(app):
    experience, session, adult, child = workshop(days_ahead=1)
    experience.cancel_free_hours = 72
    db.session.commit()
    order = book(session, (adult, 1)).order

    with pytest.raises(order_services.InvalidTransition, match="quá hạn huỷ miễn phí"):
        order_services.cancel_order(order, "guest", "Khách hàng huỷ đơn", by_shopper=True)
    assert fresh(Booking, order.bookings[0]).status == BookingStatus.CONFIRMED and seats_taken(session) == 1

    order_services.cancel_order(fresh(Order, order), "admin@example.com", "Cửa hàng huỷ")  # staff may
    assert fresh(Booking, order.bookings[0]).status == BookingStatus.CANCELLED and seats_taken(session) == 0
