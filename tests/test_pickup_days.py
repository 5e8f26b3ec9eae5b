"""Pickup days end to end, on a frozen clock in Hanoi: checkout choice, moving the day, the API,
partial hand-over with balanced books, reminders once each, the no-show window in open days,
and the admin and producer settings.

The clock stands at Monday 01/03/2027 10:00 in Hanoi (03:00 UTC) unless a test moves it.
"""
import re
from datetime import date, datetime, time, timezone

import pytest
import time_machine

from storefront.extensions import db
from storefront.models import Order, OrderEvent, Pickup, Product
from storefront.notifications.models import OutboxMessage
from storefront.orders import services as order_services
from storefront.orders.models import LineStatus, PaymentMethod, PaymentStatus, PickupStatus
from storefront.orders.placement import PickupDayUnavailable
from storefront.payments.models import Refund
from storefront.pickup import services
from storefront.pickup.models import OutletClosure, OutletHours
from storefront.timeutil import utcnow
from tests.support.checkout_support import CONTACT, line, stock_of
from tests.support.factories import (
    AdminFactory, OutletFactory, ProducerUserFactory, ProductFactory, StaffUserFactory,
)
from tests.support.order_builder import CODE, place

P = PickupStatus
MONDAY_10 = datetime(2027, 3, 1, 3, 0, tzinfo=timezone.utc)
MON, TUE, WED, THU, FRI, SAT, SUN = (date(2027, 3, d) for d in range(1, 8))
NEXT_MON = date(2027, 3, 8)
CUSTOMER = {"name": CONTACT.name, "phone": CONTACT.phone, "email": CONTACT.email}


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(MONDAY_10, tick=False) as traveller:
        yield traveller


def weekdays_open(outlet, *, days=range(5), opens=time(8), closes=time(17, 30)):
    """Give the outlet hours on ``days`` only (Monday 0)."""
    for weekday in days:
        db.session.add(OutletHours(outlet=outlet, weekday=weekday, opens=opens, closes=closes))
    db.session.commit()


@pytest.fixture
def weekday_outlet_with_vase_and_cup(db):
    outlet = OutletFactory(name="Khu tinh hoa làng nghề Việt", instructions_vi="Quầy số 2, gửi xe cổng sau",
                           instructions_en="Counter 2, park at the back gate")
    weekdays_open(outlet)
    vase = ProductFactory(name_vi="Bình gốm", price=150_000, stock=5, outlets=[outlet])
    cup = ProductFactory(name_vi="Chén gốm", price=40_000, stock=10, outlets=[outlet])
    return outlet, vase, cup


def checkout(client, outlet, product, day=None, quantity=1):
    client.post("/cart/add", data={"product_id": product.id, "quantity": quantity})
    data = {**CUSTOMER, "payment_method": "at_pickup", "review": "1", "outlet_id": outlet.id}
    if day is not None:
        data[f"pickup_day-{outlet.id}"] = day.isoformat()
    return client.post("/checkout", data=data)


def place_reviewed(client):
    page = client.get("/checkout/review").get_data(as_text=True)
    token = re.search(r'name="checkout_token" type="hidden" value="([^"]+)"', page)[1]
    return client.post("/checkout/place", data={"accept_terms": "y", "checkout_token": token})


def only_order() -> Order:
    db.session.expire_all()
    return db.session.scalars(db.select(Order)).one()


def outbox(kind):
    return db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.kind == kind)
                              .order_by(OutboxMessage.id)).all()


# --- checkout: the shopper chooses the day ---------------------------------------------------

def test_checkout_offers_open_days_from_the_ready_day_and_stores_the_choice(client, weekday_outlet_with_vase_and_cup):
    outlet, vase, _cup = weekday_outlet_with_vase_and_cup
    client.post("/cart/add", data={"product_id": vase.id, "quantity": 1})
    start = client.get("/checkout").get_data(as_text=True)
    offered = re.findall(rf'name="pickup_day-{outlet.id}".*?</select>', start, re.S)[0]
    values = re.findall(r'value="([\d-]+)"', offered)
    # Lead 2 days from Monday: Wednesday first; weekends skipped; up to 14 days ahead (15/03).
    assert values[0] == WED.isoformat() and values[-1] == "2027-03-15"
    assert SAT.isoformat() not in values and SUN.isoformat() not in values
    assert "Quầy số 2, gửi xe cổng sau" in start and "Đang mở cửa" in start

    response = client.post("/checkout", data={**CUSTOMER, "payment_method": "at_pickup", "review": "1",
                                              "outlet_id": outlet.id, f"pickup_day-{outlet.id}": FRI.isoformat()})
    assert response.status_code == 303
    assert "Th 6 05/03" in client.get("/checkout/review").get_data(as_text=True)
    place_reviewed(client)

    order = only_order()
    assert order.pickups[0].pickup_day == FRI
    page = client.get(f"/orders/{order.number}").get_data(as_text=True)
    assert 'data-pickup-day="2027-03-05"' in page and "Quầy số 2" in page
    for kind in ("order_placed", "outlet_new_order", "producer_new_order"):
        assert all("Ngày nhận hàng: Th 6 05/03" in m.body for m in outbox(kind)), kind


def test_a_weekend_day_is_refused_with_a_message_and_nothing_is_placed(client, weekday_outlet_with_vase_and_cup):
    outlet, vase, _cup = weekday_outlet_with_vase_and_cup
    page = checkout(client, outlet, vase, day=SAT).get_data(as_text=True)
    assert "không hợp lệ hoặc đã hết chỗ" in page
    assert db.session.scalar(db.select(db.func.count()).select_from(Order)) == 0


def test_a_full_day_cannot_be_chosen_nor_placed(client, weekday_outlet_with_vase_and_cup):
    outlet, vase, cup = weekday_outlet_with_vase_and_cup
    outlet.pickups_per_day = 1
    db.session.commit()
    booked = place(outlet, (cup, 1))
    booked.pickup_day = WED
    db.session.commit()

    client.post("/cart/add", data={"product_id": vase.id, "quantity": 1})
    start = client.get("/checkout").get_data(as_text=True)
    assert f'value="{WED.isoformat()}"' not in start and f'value="{THU.isoformat()}"' in start
    with pytest.raises(PickupDayUnavailable):
        from storefront.orders.placement import place_order

        place_order([line(vase)], CONTACT, {vase.id: outlet.id}, "at_pickup", "tok-full",
                    pickup_days={outlet.id: WED})
    assert stock_of(vase) == 5  # nothing was taken


def test_without_a_choice_the_earliest_ready_day_is_stored_and_the_cutoff_counts(client,
                                                                                   weekday_outlet_with_vase_and_cup,
                                                                                   clock):
    from storefront.orders.placement import place_order

    outlet, vase, _cup = weekday_outlet_with_vase_and_cup
    placed = place_order([line(vase)], CONTACT, {vase.id: outlet.id}, "at_pickup", "tok-1")
    assert placed.order.pickups[0].pickup_day == WED
    clock.move_to(datetime(2027, 3, 1, 10, 30, tzinfo=timezone.utc))  # 17:30 in Hanoi
    placed = place_order([line(vase)], CONTACT, {vase.id: outlet.id}, "at_pickup", "tok-2")
    assert placed.order.pickups[0].pickup_day == THU


# --- product page, cart and API -----------------------------------------------------------------

def test_product_page_cart_and_api_show_the_earliest_ready_day(client, weekday_outlet_with_vase_and_cup):
    outlet, vase, _cup = weekday_outlet_with_vase_and_cup
    vase.producer.delivery_weekdays = "3"  # Thursdays only
    db.session.add(OutletClosure(outlet=outlet, first_day=THU, last_day=THU, reason="Nghỉ lễ"))
    db.session.commit()

    page = client.get(f"/products/{vase.slug}").get_data(as_text=True)
    assert "Sẵn sàng tại Khu tinh hoa làng nghề Việt từ Th 5 11/03" in page
    client.post("/cart/add", data={"product_id": vase.id, "quantity": 1})
    assert "từ Th 5 11/03" in client.get("/cart").get_data(as_text=True)

    product = client.get(f"/api/products/{vase.slug}").get_json()
    assert product["outlets"][0]["earliest_ready_day"] == "2027-03-11"

    listing = client.get("/api/outlets").get_json()
    (item,) = [o for o in listing["items"] if o["slug"] == outlet.slug]
    assert item["opening_hours"]["monday"] == [{"opens": "08:00", "closes": "17:30"}]
    assert item["opening_hours"]["sunday"] == []
    assert item["closures"] == [{"date": "2027-03-04", "until": "2027-03-04", "reason": "Nghỉ lễ"}]
    assert item["instructions"] == {"vi": "Quầy số 2, gửi xe cổng sau",
                                    "en": "Counter 2, park at the back gate"}
    assert item["open_now"] is True and item["listed_products"] == 2
    assert client.get(f"/api/outlets/{outlet.slug}").get_json()["slug"] == outlet.slug
    assert client.get("/api/outlets/no-such-outlet").status_code == 404


def test_the_outlet_page_says_when_it_opens_again(client, weekday_outlet_with_vase_and_cup, clock):
    outlet, _vase, _cup = weekday_outlet_with_vase_and_cup
    clock.move_to(datetime(2027, 3, 6, 3, 0, tzinfo=timezone.utc))  # Saturday 10:00
    page = client.get(f"/outlets/{outlet.slug}").get_data(as_text=True)
    assert "Đang đóng cửa · mở lại Th 2 08/03 lúc 08:00" in page
    clock.move_to(datetime(2027, 3, 8, 0, 0, tzinfo=timezone.utc))  # Monday 07:00
    assert "mở lúc 08:00" in client.get(f"/outlets/{outlet.slug}").get_data(as_text=True)


# --- the shopper moves the day -----------------------------------------------------------------

def test_the_shopper_moves_the_day_until_the_pickup_is_ready(client, weekday_outlet_with_vase_and_cup):
    outlet, vase, _cup = weekday_outlet_with_vase_and_cup
    staff = StaffUserFactory(outlet=outlet)
    checkout(client, outlet, vase, day=WED)
    place_reviewed(client)
    order = only_order()
    pickup = order.pickups[0]

    bad = client.post(f"/orders/{order.number}/pickups/{pickup.id}/day", data={"day": SUN.isoformat()})
    assert bad.status_code == 422 and "Ngày này không nhận đơn" in bad.get_data(as_text=True)
    assert db.session.get(Pickup, pickup.id).pickup_day == WED
    client.post(f"/orders/{order.number}/pickups/{pickup.id}/day", data={"day": NEXT_MON.isoformat()})
    db.session.expire_all()
    pickup = db.session.get(Pickup, pickup.id)
    assert pickup.pickup_day == NEXT_MON
    assert [e.note for e in pickup.order.events if e.kind == "pickup_day_moved"] == [
        "2027-03-03 → 2027-03-08"]
    assert [m.to_email for m in outbox("pickup_day_moved")] == [staff.email]

    order_services.receive_line(pickup.lines[0], by=staff)
    assert pickup.status == P.READY
    with pytest.raises(services.PickupDayRefused):
        services.move_day(pickup, FRI, by="guest")


# --- partial hand-over -------------------------------------------------------------------------

def test_partial_hand_over_returns_the_missing_stock_and_refunds_exactly_its_price(db,
                                                                                    weekday_outlet_with_vase_and_cup):
    outlet, vase, cup = weekday_outlet_with_vase_and_cup
    staff = StaffUserFactory(outlet=outlet)
    pickup = place(outlet, (vase, 2), (cup, 3), method=PaymentMethod.CARD)
    assert pickup.order.payment_status == PaymentStatus.PAID
    vase_line, cup_line = pickup.lines
    order_services.receive_line(vase_line, by=staff)
    assert services.can_hand_over_partially(pickup)

    refunded = services.hand_over_partially(pickup, CODE, by=staff)

    db.session.expire_all()
    pickup = db.session.get(Pickup, pickup.id)
    assert refunded == 3 * 40_000
    assert (pickup.status, pickup.partial) == (P.COLLECTED, True)
    assert [l.status for l in pickup.lines] == [LineStatus.RECEIVED, LineStatus.CANCELLED]
    assert (stock_of(vase), stock_of(cup)) == (3, 10)  # the cups came back; the vases left
    [refund] = db.session.scalars(db.select(Refund)).all()
    assert (refund.amount, refund.pickup_id) == (120_000, pickup.id)
    # The books balance: paid = taken away + refunded.
    assert pickup.order.total == services.collected_amount(pickup) + refund.amount
    kinds = [e.kind for e in db.session.scalars(db.select(OrderEvent).where(
        OrderEvent.pickup_id == pickup.id))]
    assert "partial_hand_over" in kinds


def test_partial_hand_over_at_pickup_needs_the_code_and_settles_what_is_taken(client, login,
                                                                               weekday_outlet_with_vase_and_cup):
    outlet, vase, cup = weekday_outlet_with_vase_and_cup
    staff = StaffUserFactory(outlet=outlet)
    pickup = place(outlet, (vase, 1), (cup, 1))
    order_services.receive_line(pickup.lines[1], by=staff)
    login(staff)

    page = client.get(f"/outlet/pickups/{pickup.id}").get_data(as_text=True)
    assert "Giao một phần" in page
    url = f"/outlet/pickups/{pickup.id}/hand-over-partial"
    wrong = client.post(url, data={"code": "ZZZZ-ZZZZ", "agreed": "y"})
    assert wrong.status_code == 422 and "Mã nhận hàng không đúng" in wrong.get_data(as_text=True)
    unagreed = client.post(url, data={"code": CODE})
    assert unagreed.status_code == 422 and "Cần khách đồng ý" in unagreed.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Pickup, pickup.id).status == P.CONFIRMED
    assert 'name="amount" value="40000"' in page  # the cup that came in: its money is taken in the same step
    unpaid = client.post(url, data={"code": CODE, "agreed": "y"})
    assert unpaid.status_code == 422 and "Thu 40.000" in unpaid.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Pickup, pickup.id).status == P.CONFIRMED
    client.post(url, data={"code": CODE, "agreed": "y", "collected": "cash", "amount": "40000"})

    db.session.expire_all()
    pickup = db.session.get(Pickup, pickup.id)
    assert pickup.status == P.COLLECTED and pickup.partial
    [taken] = pickup.order.counter_payments
    assert (taken.amount, taken.method, taken.collected_by) == (40_000, "cash", staff.email)
    assert pickup.order.payment_status == PaymentStatus.PAID
    assert services.collected_amount(pickup) == 40_000
    assert (stock_of(vase), stock_of(cup)) == (5, 9)
    assert db.session.scalars(db.select(Refund)).all() == []


def test_partial_hand_over_is_refused_when_nothing_or_everything_arrived(db, weekday_outlet_with_vase_and_cup):
    outlet, vase, cup = weekday_outlet_with_vase_and_cup
    pickup = place(outlet, (vase, 1), (cup, 1))
    with pytest.raises(order_services.InvalidTransition):
        services.hand_over_partially(pickup, CODE, by="staff")
    assert stock_of(vase) == 4


# --- reminders ------------------------------------------------------------------------------

def test_day_before_and_last_day_reminders_go_out_once_each(db, weekday_outlet_with_vase_and_cup, clock):
    outlet, vase, cup = weekday_outlet_with_vase_and_cup
    tomorrow = place(outlet, (vase, 1))
    tomorrow.pickup_day = TUE
    later = place(outlet, (cup, 1))
    later.pickup_day = THU
    # Chosen for Friday 19/02 and ready then: its 7 open days (Mon–Fri) end today, Monday 01/03.
    due = place(outlet, (cup, 1), status=P.READY, ready_at=datetime(2027, 2, 19, 3))
    due.pickup_day = date(2027, 2, 19)
    db.session.commit()

    clock.move_to(datetime(2027, 3, 1, 0, 30, tzinfo=timezone.utc))  # 07:30 Hanoi: too early
    assert services.send_reminders() == (0, 0)
    clock.move_to(MONDAY_10)
    assert services.send_reminders() == (1, 1)
    assert services.send_reminders() == (0, 0)

    before, last = outbox("pickup_reminder")
    assert "ngày mai Th 3 02/03" in before.subject and before.order_id == tomorrow.order_id
    assert "ngày cuối" in last.subject and last.order_id == due.order_id
    assert "Quầy số 2" in before.body


def test_flask_pickups_remind(app, weekday_outlet_with_vase_and_cup):
    outlet, vase, _cup = weekday_outlet_with_vase_and_cup
    pickup = place(outlet, (vase, 1))
    pickup.pickup_day = TUE
    db.session.commit()
    output = app.test_cli_runner().invoke(args=["pickups", "remind"]).output
    assert "Queued 1 day-before and 0 last-day reminder(s); flagged 0 late drop-off(s)." in output
    output = app.test_cli_runner().invoke(args=["pickups", "remind"]).output
    assert "Queued 0 day-before" in output


def test_a_late_dropoff_is_flagged_once_to_the_producer_and_the_outlet(db, weekday_outlet_with_vase_and_cup):
    outlet, vase, cup = weekday_outlet_with_vase_and_cup
    staff = StaffUserFactory(outlet=outlet)
    maker = ProducerUserFactory(producer=vase.producer)
    late = place(outlet, (vase, 1), (cup, 1))
    late.pickup_day = date(2027, 2, 26)
    on_time = place(outlet, (vase, 1))
    on_time.pickup_day = MON  # due today: not late yet
    db.session.commit()
    order_services.receive_line(late.lines[1], by=staff)  # the cups came

    assert services.flag_late_dropoffs() == 1
    assert services.flag_late_dropoffs() == 0
    recipients = sorted(m.to_email for m in outbox("late_dropoff"))
    assert recipients == sorted([staff.email, maker.email])
    assert all("Bình gốm" in m.subject for m in outbox("late_dropoff"))


def test_demo_outlets_get_hours_instructions_and_the_coming_years_public_holidays(db):
    from storefront.demo.pickup import seed_pickup

    outlet = OutletFactory()
    seed_pickup({"px": outlet}, {}, MON)
    db.session.commit()
    assert {r.weekday for r in outlet.hours_rows} == {0, 1, 2, 3, 4, 5}  # Phú Xuyên: Mon–Sat
    reasons = {(c.first_day, c.last_day): c.reason for c in outlet.closures}
    assert reasons[(date(2027, 4, 30), date(2027, 4, 30))] == "Ngày Chiến thắng"
    assert reasons[(date(2027, 9, 2), date(2027, 9, 3))] == "Quốc khánh"
    tet = next(c for c in outlet.closures if c.first_day <= date(2028, 1, 26) <= c.last_day)
    assert (tet.first_day, tet.last_day) == (date(2028, 1, 24), date(2028, 1, 29))  # one closure
    assert all(c.first_day >= MON for c in outlet.closures)
    seed_pickup({"px": outlet}, {}, MON)  # a second run adds nothing
    db.session.commit()
    assert len(outlet.hours_rows) == 12


# --- no-show window in open days ---------------------------------------------------------------

def test_the_no_show_window_counts_open_days_from_the_chosen_day(app, db, weekday_outlet_with_vase_and_cup, clock):
    outlet, vase, _cup = weekday_outlet_with_vase_and_cup
    app.config["PICKUP_WINDOW_DAYS"] = 3
    pickup = place(outlet, (vase, 1), status=P.READY, ready_at=datetime(2027, 3, 1, 3))
    pickup.pickup_day = FRI  # Fri, Mon, Tue are its three open days
    db.session.commit()

    clock.move_to(datetime(2027, 3, 9, 3, tzinfo=timezone.utc))  # Tuesday: last day
    assert order_services.expire_no_shows() == 0
    clock.move_to(datetime(2027, 3, 10, 3, tzinfo=timezone.utc))  # Wednesday
    assert order_services.expire_no_shows() == 1
    assert db.session.get(Pickup, pickup.id).status == P.NO_SHOW
    assert stock_of(vase) == 5


# --- outlet board ------------------------------------------------------------------------------

def test_the_board_lists_today_tomorrow_and_late_dropoffs(client, login, weekday_outlet_with_vase_and_cup):
    outlet, vase, cup = weekday_outlet_with_vase_and_cup
    staff = StaffUserFactory(outlet=outlet)
    today = place(outlet, (vase, 1))
    today.pickup_day = MON
    tomorrow = place(outlet, (cup, 1))
    tomorrow.pickup_day = TUE
    late = place(outlet, (cup, 2))
    late.pickup_day = date(2027, 2, 26)
    db.session.commit()
    login(staff)

    page = client.get("/outlet/board").get_data(as_text=True)
    assert page.count("board-pickup") == 2 and page.count("overdue-line") == 1
    assert "Hàng giao trễ (1)" in page
    sheet = client.get("/outlet/board/sheet?day=2027-03-02").get_data(as_text=True)
    assert tomorrow.order.number in sheet and today.order.number not in sheet
    assert "late-dropoff" in client.get(f"/outlet/pickups/{late.id}").get_data(as_text=True)


# --- admin and producer settings --------------------------------------------------------------

def test_admin_edits_hours_closures_instructions_and_capacity(client, login, weekday_outlet_with_vase_and_cup):
    outlet, _vase, _cup = weekday_outlet_with_vase_and_cup
    login(AdminFactory())
    url = f"/admin/outlets/{outlet.id}/pickup"
    week = {"mon": "08:00-12:00, 13:30-17:30", "tue": "", "wed": "8:00-17:00", "thu": "",
            "fri": "", "sat": "07:00-11:00", "sun": ""}
    bad = client.post(url, data={**week, "mon": "17:00-08:00"})
    assert bad.status_code == 422 and "giờ đóng sau giờ mở" in bad.get_data(as_text=True)
    response = client.post(url, data={**week, "instructions_vi": "Quầy 1", "pickups_per_day": "20"})
    assert response.status_code == 303
    db.session.expire_all()
    rows = db.session.scalars(db.select(OutletHours).where(OutletHours.outlet_id == outlet.id)
                              .order_by(OutletHours.weekday, OutletHours.opens)).all()
    assert [(r.weekday, r.opens.hour, r.closes.hour) for r in rows] == [
        (0, 8, 12), (0, 13, 17), (2, 8, 17), (5, 7, 11)]
    assert (outlet.instructions_vi, outlet.pickups_per_day) == ("Quầy 1", 20)

    bad = client.post(f"/admin/outlets/{outlet.id}/closures",
                      data={"first_day": "2027-03-10", "last_day": "2027-03-09", "reason": "Tết"})
    assert bad.status_code == 422
    client.post(f"/admin/outlets/{outlet.id}/closures",
                data={"first_day": "2027-03-10", "last_day": "2027-03-12", "reason": "Sửa chữa"})
    (closure,) = db.session.scalars(db.select(OutletClosure)).all()
    assert (closure.first_day, closure.last_day) == (date(2027, 3, 10), date(2027, 3, 12))
    assert "Sửa chữa" in client.get(url).get_data(as_text=True)


def test_producer_sets_lead_time_weekdays_and_sees_what_to_bring_by_when(client, login,
                                                                          weekday_outlet_with_vase_and_cup):
    outlet, vase, cup = weekday_outlet_with_vase_and_cup
    user = ProducerUserFactory(producer=vase.producer)
    first = place(outlet, (vase, 1))
    first.pickup_day = FRI
    second = place(outlet, (vase, 2))
    second.pickup_day = date(2027, 2, 26)  # already late
    db.session.commit()
    login(user)

    page = client.get("/producer/deliveries").get_data(as_text=True)
    assert page.index(second.order.number) < page.index(first.order.number)
    assert "Trễ hẹn" in page
    bad = client.post("/producer/deliveries", data={"lead_days": "3"})
    assert bad.status_code == 422
    client.post("/producer/deliveries", data={"lead_days": "3", "weekdays": ["1", "3"],
                                              f"lead-{vase.id}": "5"})
    db.session.expire_all()
    producer = db.session.get(Product, vase.id).producer
    assert (producer.lead_days, producer.delivery_weekdays) == (3, "13")
    assert db.session.get(Product, vase.id).lead_days == 5
    assert utcnow() == MONDAY_10.replace(tzinfo=None)
