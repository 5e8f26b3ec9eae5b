"""Booking money in the books (issue 24 with issue 21): an experience is its producer's sale.

Paid at the venue, the check-in takes the money in one step (cash into the outlet's drawer, a
transfer into the bank; at a producer's own workshop, paid to the producer outside the shop);
checked in, or a paid no-show, the seats' amount less the operator's fee goes to the producer's
payable. The trial balance stays zero and each payable is right, on both backends.
"""
from datetime import timedelta

import pytest
from sqlalchemy import select

from storefront.booking_changes import services as changes
from storefront.bookings import money, tickets
from storefront.bookings.models import Booking, BookingPayment, BookingStatus
from storefront.extensions import db
from storefront.finance import ledger
from storefront.finance.models import AccountKind, JournalEntry
from storefront.timeutil import utcnow
from tests.support.bookings_support import book, workshop
from tests.support.transfer_support import app, notification, post  # noqa: F401 — app: with the bank account

K = AccountKind


def balance(kind, **owner) -> int:
    return ledger.balance(ledger.find_account(kind, **owner))


def booking_of(booking) -> Booking:
    return db.session.get(Booking, booking.id, populate_existing=True)


def test_paid_at_the_outlet_the_check_in_takes_the_cash_and_the_producer_gets_the_sale(app, client, login):
    from tests.support.factories import StaffUserFactory
    experience, session, adult, child = workshop()
    placed = book(session, (adult, 2), (child, 1))  # 650.000 ₫, paid at the venue
    booking, code = placed.order.bookings[0], placed.tickets[placed.order.bookings[0].id]
    producer_id = booking.producer_id
    login(StaffUserFactory(outlet=experience.outlet))
    day = session.day.isoformat()

    asked = client.post(f"/outlet/check-in?day={day}", data={"code": code})  # the code, then the money
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200 and 'id="collect-form"' in page and "650.000" in page
    assert booking_of(booking).status == BookingStatus.CONFIRMED

    wrong = client.post(f"/outlet/check-in?day={day}", data={"code": code, "collected": "cash", "amount": 600000})
    assert "650.000" in wrong.get_data(as_text=True) and booking_of(booking).status == BookingStatus.CONFIRMED

    done = client.post(f"/outlet/check-in?day={day}", data={"code": code, "collected": "cash", "amount": 650000},
                       follow_redirects=True)
    assert "Đã thu 650.000" in done.get_data(as_text=True)
    assert booking_of(booking).status == BookingStatus.CHECKED_IN
    paid = db.session.scalars(select(BookingPayment)).one()
    assert (paid.amount, paid.method, paid.outlet_id) == (650000, "cash", experience.outlet_id)

    assert balance(K.DRAWER, outlet_id=experience.outlet_id) == 650000
    assert balance(K.PAYABLE, producer_id=producer_id) == -585000  # a credit: 650.000 less 10 %
    assert balance(K.FEE_INCOME) == -65000 and balance(K.DEPOSITS) == 0
    assert ledger.trial_balance() == 0
    given = db.session.scalars(select(JournalEntry).where(JournalEntry.kind == "booking_attended")).one()
    assert given.cause == placed.order.number and f"booking {booking.id}" in given.narration


def test_at_the_producers_workshop_the_money_is_paid_to_the_producer_outside_the_shop(app, client, login):
    from tests.support.factories import ProducerUserFactory
    experience, session, adult, child = workshop()
    experience.place_kind, experience.outlet_id, experience.address = "workshop", None, "Xóm 3, Bát Tràng"
    db.session.commit()
    producer_user = ProducerUserFactory(producer=experience.product.producer)
    placed = book(session, (adult, 1))  # 250.000 ₫
    booking, code = placed.order.bookings[0], placed.tickets[placed.order.bookings[0].id]
    producer_id = booking.producer_id
    login(producer_user)
    day = session.day.isoformat()

    client.post(f"/producer/experiences/check-in?day={day}",
                data={"code": code, "collected": "transfer", "amount": 250000})

    assert booking_of(booking).status == BookingStatus.CHECKED_IN
    assert db.session.scalars(select(BookingPayment)).one().outlet_id is None
    # The producer kept 250.000 and owes the operator its 25.000 fee (taken off the next payout).
    assert balance(K.PAYABLE, producer_id=producer_id) == 25000
    assert balance(K.FEE_INCOME) == -25000 and balance(K.BANK) == 0 and balance(K.DEPOSITS) == 0
    assert ledger.trial_balance() == 0


def test_paid_by_transfer_the_check_in_takes_nothing_and_posts_the_sale(app, client):
    experience, session, adult, child = workshop()
    placed = book(session, (adult, 2), method="vietqr")
    order = placed.order
    assert post(client, notification(order.payment_code, order.total)).status_code == 200
    booking = booking_of(order.bookings[0])
    assert money.amount_due(booking) == 0

    tickets.check_in(booking, placed.tickets[booking.id], by="staff")

    assert balance(K.BANK) == 500000 and balance(K.DEPOSITS) == 0
    assert balance(K.PAYABLE, producer_id=booking.producer_id) == -450000
    assert ledger.trial_balance() == 0


def test_a_paid_no_show_is_the_producers_sale_and_an_unpaid_one_moves_nothing(app, client):
    experience, session, adult, child = workshop()
    paid = book(session, (adult, 1), (child, 1), method="vietqr").order  # 400.000 ₫
    assert post(client, notification(paid.payment_code, paid.total)).status_code == 200
    at_venue = book(session, (adult, 1)).order
    producer_id = paid.bookings[0].producer_id

    assert changes.record_no_shows(now=session.ends_at + timedelta(minutes=1)) == 2
    assert changes.record_no_shows(now=session.ends_at + timedelta(minutes=6)) == 0  # once

    assert {booking_of(b).status for b in (paid.bookings[0], at_venue.bookings[0])} == {BookingStatus.NO_SHOW}
    assert balance(K.PAYABLE, producer_id=producer_id) == -360000 and balance(K.FEE_INCOME) == -40000
    assert balance(K.DEPOSITS) == 0 and ledger.trial_balance() == 0
    assert db.session.scalars(select(JournalEntry).where(JournalEntry.kind == "booking_attended")).one()


def test_the_fee_is_rounded_half_up_as_for_goods(app):
    from storefront.finance import fees
    experience, session, adult, child = workshop()
    adult.price = 12345
    db.session.commit()
    placed = book(session, (adult, 1))
    booking = placed.order.bookings[0]
    tickets.check_in(booking, placed.tickets[booking.id], by="staff", collected="cash", amount=12345)
    fee = fees.fee_on(12345, fees.rate_for(booking.producer_id))
    assert fee == 1235  # 1234.5 half up
    assert balance(K.PAYABLE, producer_id=booking.producer_id) == -(12345 - fee)
    assert ledger.trial_balance() == 0


def test_the_check_in_refuses_without_the_money_and_writes_nothing(app):
    experience, session, adult, child = workshop()
    placed = book(session, (adult, 1))
    booking = placed.order.bookings[0]
    with pytest.raises(money.MoneyNotCollected) as error:
        tickets.check_in(booking, placed.tickets[booking.id], by="staff")
    assert error.value.amount == 250000
    assert booking_of(booking).status == BookingStatus.CONFIRMED
    assert db.session.scalar(select(db.func.count()).select_from(JournalEntry)) == 0


def test_the_admins_order_page_lists_the_orders_bookings_and_their_tickets(app, client, login):
    from tests.support.factories import AdminFactory

    _experience, session, adult, child = workshop(capacity=10)
    placed = book(session, (adult, 2), (child, 1))
    (booking,) = placed.order.bookings
    login(AdminFactory())
    page = client.get(f"/admin/orders/{placed.order.number}").get_data(as_text=True)
    section = page.split(f'id="booking-{booking.id}"')[1].split("</section>")[0]
    assert booking.experience_name in section and "Đã xác nhận" in section
    assert f"2 × {adult.label_vi}" in section and f"1 × {child.label_vi}" in section
    assert f"{booking.subtotal:,}".replace(",", ".") in section
