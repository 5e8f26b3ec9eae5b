"""The outlet staff dashboard: only the outlet's own pickups, receiving, hand-over, cancelling."""
from datetime import datetime, timedelta

import pytest

from storefront.extensions import db
from storefront.models import Product
from storefront.notifications.models import OutboxMessage
from storefront.orders.models import LineStatus, PaymentMethod, Pickup, PickupStatus
from storefront.timeutil import utcnow
from tests.support.factories import (
    OutletFactory, ProducerUserFactory, ProductFactory, StaffUserFactory, UserFactory,
)
from tests.support.order_builder import CODE, place

P = PickupStatus


@pytest.fixture
def outlet(db):
    return OutletFactory(name="Điểm bán Bát Tràng")


@pytest.fixture
def staff(outlet):
    return StaffUserFactory(outlet=outlet)


@pytest.fixture
def signed_in(client, login, staff):
    login(staff)
    return client


@pytest.fixture
def foreign_pickup(db):
    """A confirmed pickup at another outlet, with one line of 2 units."""
    return place(OutletFactory(name="Điểm bán khác"), (ProductFactory(stock=5), 2))


def fresh(pickup) -> Pickup:
    return db.session.get(Pickup, pickup.id, populate_existing=True)


def stock_of(product) -> int:
    return db.session.get(Product, product.id, populate_existing=True).stock


def page(response) -> str:
    return response.get_data(as_text=True)


# --- who sees what --------------------------------------------------------------------------

def test_staff_see_only_their_outlets_pickups(signed_in, outlet, foreign_pickup):
    own = place(outlet, (ProductFactory(), 1))

    text = page(signed_in.get("/outlet/"))

    assert own.order.number in text
    assert foreign_pickup.order.number not in text


@pytest.mark.parametrize("action", ["detail", "receive", "hand-over", "cancel"])
def test_another_outlets_pickup_is_not_found_and_left_unchanged(signed_in, foreign_pickup, action):
    pickup_id, line = foreign_pickup.id, foreign_pickup.lines[0]
    url = f"/outlet/pickups/{pickup_id}"
    response = {
        "detail": lambda: signed_in.get(url),
        "receive": lambda: signed_in.post(f"{url}/lines/{line.id}/receive"),
        "hand-over": lambda: signed_in.post(f"{url}/hand-over", data={"code": CODE}),
        "cancel": lambda: signed_in.post(f"{url}/cancel", data={"reason": "thử"}),
    }[action]()

    assert response.status_code == 404
    pickup = fresh(foreign_pickup)
    assert pickup.status == P.CONFIRMED and pickup.failed_code_attempts == 0
    assert pickup.lines[0].status == LineStatus.AWAITING_DROPOFF
    assert stock_of(line.product) == 3


def test_a_line_of_another_pickup_cannot_be_received_through_ones_own(signed_in, outlet, foreign_pickup):
    own = place(outlet, (ProductFactory(), 1))

    response = signed_in.post(f"/outlet/pickups/{own.id}/lines/{foreign_pickup.lines[0].id}/receive")

    assert response.status_code == 404
    assert fresh(foreign_pickup).lines[0].status == LineStatus.AWAITING_DROPOFF


@pytest.mark.parametrize("make_user", [UserFactory, ProducerUserFactory])
def test_other_roles_are_turned_away(client, login, make_user):
    login(make_user())

    assert client.get("/outlet/").status_code == 403


def test_visitors_are_sent_to_sign_in(client, db):
    response = client.get("/outlet/")

    assert response.status_code == 302 and "/auth/login" in response.location


# --- the list ---------------------------------------------------------------------------------

def test_the_default_tab_lists_open_pickups_newest_first(signed_in, outlet):
    product = ProductFactory()
    older = place(outlet, (product, 1), created_at=utcnow() - timedelta(hours=3))
    newer = place(outlet, (product, 1), status=P.READY)
    done = place(outlet, (product, 1), status=P.COLLECTED)
    unpaid = place(outlet, (product, 1), status=P.AWAITING_PAYMENT, method=PaymentMethod.CARD)

    text = page(signed_in.get("/outlet/"))

    assert text.index(newer.order.number) < text.index(older.order.number)
    assert done.order.number not in text and unpaid.order.number not in text


@pytest.mark.parametrize(("tab", "status"), [
    ("confirmed", P.CONFIRMED), ("ready", P.READY), ("collected", P.COLLECTED),
    ("ended", P.NO_SHOW), ("ended", P.CANCELLED), ("unpaid", P.AWAITING_PAYMENT),
])
def test_each_tab_lists_its_statuses_only(signed_in, outlet, tab, status):
    product = ProductFactory()
    wanted = place(outlet, (product, 1), status=status)
    others = [place(outlet, (product, 1), status=s) for s in P if s != status
              and not (tab == "ended" and s in (P.CANCELLED, P.NO_SHOW))]

    text = page(signed_in.get(f"/outlet/?tab={tab}"))

    assert wanted.order.number in text
    assert not [o.order.number for o in others if o.order.number in text]


def test_the_day_filter_lists_pickups_created_that_hanoi_day(signed_in, outlet):
    product = ProductFactory()
    # 2026-03-10 00:30 in Hanoi is still 9 March in UTC.
    early = place(outlet, (product, 1), created_at=datetime(2026, 3, 9, 17, 30))
    before = place(outlet, (product, 1), created_at=early.created_at - timedelta(hours=1))

    text = page(signed_in.get("/outlet/?tab=open&day=2026-03-10"))

    assert early.order.number in text and before.order.number not in text


def test_a_bad_day_is_explained_and_the_list_still_shown(signed_in, outlet):
    pickup = place(outlet, (ProductFactory(), 1))

    text = page(signed_in.get("/outlet/?day=10/03/2026"))

    assert "Ngày không hợp lệ" in text and pickup.order.number in text


def test_long_lists_are_paged(signed_in, outlet):
    product = ProductFactory(stock=100)
    start = utcnow() - timedelta(days=1)
    pickups = [place(outlet, (product, 1), created_at=start + timedelta(minutes=i)) for i in range(21)]

    first, second = page(signed_in.get("/outlet/")), page(signed_in.get("/outlet/?page=2"))

    assert pickups[-1].order.number in first and pickups[0].order.number not in first
    assert pickups[0].order.number in second and pickups[-1].order.number not in second


# --- the pickup page --------------------------------------------------------------------------

def test_the_pickup_page_shows_who_to_call_and_what_to_collect(signed_in, outlet):
    maker = ProducerUserFactory(producer__name="HTX Gốm Quang Vinh", producer__phone="0911222333")
    pickup = place(outlet, (ProductFactory(producer=maker.producer, price=150000), 2))

    text = page(signed_in.get(f"/outlet/pickups/{pickup.id}"))

    assert pickup.order.number in text
    assert "Nguyễn Thị Khách" in text and "tel:0987654321" in text
    assert "HTX Gốm Quang Vinh" in text and "0911222333" in text
    assert "Số tiền cần thu" in text and "300.000 ₫" in text


def test_a_card_pickup_asks_for_no_money(signed_in, outlet):
    pickup = place(outlet, (ProductFactory(), 1), method=PaymentMethod.CARD)

    response = signed_in.get(f"/outlet/pickups/{pickup.id}")

    assert response.status_code == 200 and pickup.order.number in page(response)
    assert "Số tiền cần thu" not in page(response)


def test_receiving_every_line_makes_the_pickup_ready_and_tells_the_shopper(signed_in, outlet):
    pickup = place(outlet, (ProductFactory(), 1), (ProductFactory(), 3))
    first, second = pickup.lines

    signed_in.post(f"/outlet/pickups/{pickup.id}/lines/{first.id}/receive")
    assert fresh(pickup).status == P.CONFIRMED

    response = signed_in.post(f"/outlet/pickups/{pickup.id}/lines/{second.id}/receive",
                              follow_redirects=True)

    assert fresh(pickup).status == P.READY
    assert "sẵn sàng giao" in page(response)
    [mail] = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.kind == "pickup_ready"))
    assert mail.to_email == pickup.order.email


def test_receiving_a_line_twice_is_explained_not_applied_twice(signed_in, outlet):
    pickup = place(outlet, (ProductFactory(), 1), (ProductFactory(), 1))
    url = f"/outlet/pickups/{pickup.id}/lines/{pickup.lines[0].id}/receive"
    signed_in.post(url)

    response = signed_in.post(url, follow_redirects=True)

    assert "không thể chuyển trạng thái" in page(response)
    assert fresh(pickup).status == P.CONFIRMED


def test_the_right_code_hands_over_once(signed_in, outlet):
    pickup = place(outlet, (ProductFactory(), 1), status=P.READY, method=PaymentMethod.CARD)
    url = f"/outlet/pickups/{pickup.id}/hand-over"

    first = signed_in.post(url, data={"code": "abcd-efgh"}, follow_redirects=True)
    assert fresh(pickup).status == P.COLLECTED
    assert "Đã giao đơn" in page(first)

    second = signed_in.post(url, data={"code": CODE}, follow_redirects=True)
    assert "đã được giao" in page(second)
    assert fresh(pickup).status == P.COLLECTED


def test_a_wrong_code_is_refused_counted_and_changes_nothing_else(signed_in, outlet):
    pickup = place(outlet, (ProductFactory(), 1), status=P.READY)

    response = signed_in.post(f"/outlet/pickups/{pickup.id}/hand-over", data={"code": "ZZZZ-ZZZZ"},
                              follow_redirects=True)

    assert "Mã nhận hàng không đúng" in page(response) and "Còn 4 lần thử" in page(response)
    pickup = fresh(pickup)
    assert pickup.status == P.READY and pickup.code_used_at is None
    assert pickup.failed_code_attempts == 1


def test_a_code_of_the_wrong_shape_is_not_counted(signed_in, outlet):
    pickup = place(outlet, (ProductFactory(), 1), status=P.READY)

    response = signed_in.post(f"/outlet/pickups/{pickup.id}/hand-over", data={"code": "ABC"})

    assert "gồm 8 chữ và số" in page(response) and 'value="ABC"' in page(response)
    assert fresh(pickup).failed_code_attempts == 0


def test_too_many_wrong_codes_lock_the_hand_over(app, signed_in, outlet):
    pickup = place(outlet, (ProductFactory(), 1), status=P.READY)
    url = f"/outlet/pickups/{pickup.id}/hand-over"
    for _ in range(app.config["PICKUP_CODE_MAX_TRIES"] - 1):
        signed_in.post(url, data={"code": "ZZZZ-ZZZZ"})

    last = signed_in.post(url, data={"code": "ZZZZ-ZZZZ"}, follow_redirects=True)
    assert "tạm khoá giao hàng" in page(last)

    right = signed_in.post(url, data={"code": CODE}, follow_redirects=True)
    assert "Nhập sai mã quá nhiều lần" in page(right)
    assert fresh(pickup).status == P.READY


def test_cancelling_needs_a_reason(signed_in, outlet):
    product = ProductFactory(stock=5)
    pickup = place(outlet, (product, 2))

    response = signed_in.post(f"/outlet/pickups/{pickup.id}/cancel", data={"reason": "  "})

    assert "Vui lòng nhập lý do huỷ" in page(response)
    assert fresh(pickup).status == P.CONFIRMED and stock_of(product) == 3


def test_cancelling_with_a_reason_returns_the_stock(signed_in, outlet):
    product = ProductFactory(stock=5)
    pickup = place(outlet, (product, 2))

    response = signed_in.post(f"/outlet/pickups/{pickup.id}/cancel",
                              data={"reason": "Cơ sở báo hết hàng"}, follow_redirects=True)

    assert "Đã huỷ đơn nhận hàng" in page(response)
    pickup = fresh(pickup)
    assert pickup.status == P.CANCELLED and pickup.cancel_reason == "Cơ sở báo hết hàng"
    assert stock_of(product) == 5


def test_an_ended_pickup_cannot_be_cancelled_again(signed_in, outlet):
    pickup = place(outlet, (ProductFactory(), 1), status=P.COLLECTED)

    response = signed_in.post(f"/outlet/pickups/{pickup.id}/cancel", data={"reason": "nhầm"},
                              follow_redirects=True)

    assert "Không thể chuyển đơn nhận hàng" in page(response)
    assert fresh(pickup).status == P.COLLECTED


# --- look-up by code --------------------------------------------------------------------------

def test_a_code_finds_the_ready_pickup_it_opens(signed_in, outlet):
    place(outlet, (ProductFactory(), 1), status=P.READY, codes=["AAAA-BBBB"])
    wanted = place(outlet, (ProductFactory(), 1), status=P.READY, codes=["CCCC-DDDD"])

    response = signed_in.post("/outlet/lookup", data={"code": "cccc dddd"})

    assert wanted.order.number in page(response)
    assert f"/outlet/pickups/{wanted.id}/hand-over" in page(response)


def test_a_code_of_another_outlets_pickup_finds_nothing(signed_in, db):
    other = place(OutletFactory(), (ProductFactory(), 1), status=P.READY)

    response = signed_in.post("/outlet/lookup", data={"code": CODE})

    assert "Không có đơn sẵn sàng" in page(response) and other.order.number not in page(response)


def test_a_locked_pickup_is_not_found_by_its_code(signed_in, outlet):
    pickup = place(outlet, (ProductFactory(), 1), status=P.READY)
    pickup.code_locked_until = utcnow() + timedelta(minutes=10)
    db.session.commit()

    response = signed_in.post("/outlet/lookup", data={"code": CODE})

    assert response.status_code == 422 and "Không có đơn sẵn sàng" in page(response)
    assert pickup.order.number not in page(response)


def test_code_look_ups_are_rate_limited_per_staff_member(signed_in, outlet):
    responses = [signed_in.post("/outlet/lookup", data={"code": "ZZZZ-ZZZZ"}) for _ in range(31)]

    assert [r.status_code for r in responses[:30]] == [422] * 30
    assert responses[30].status_code == 429


# --- the counter on a phone -------------------------------------------------------------------

def test_the_counter_lists_todays_pickups_first_then_ready_ones(signed_in, outlet):
    from storefront.timeutil import local_today

    product, today = ProductFactory(stock=20), local_today()
    newest = place(outlet, (product, 1))
    ready = place(outlet, (product, 1), status=P.READY, created_at=utcnow() - timedelta(hours=2))
    for_today = place(outlet, (product, 1), created_at=utcnow() - timedelta(days=2))
    for_tomorrow = place(outlet, (product, 1), created_at=utcnow() - timedelta(hours=1))
    for_today.pickup_day, for_tomorrow.pickup_day = today, today + timedelta(days=1)
    db.session.commit()

    text = page(signed_in.get("/outlet/"))

    order = [text.index(p.order.number) for p in (for_today, ready, for_tomorrow, newest)]
    assert order == sorted(order)
    assert "Hẹn nhận hôm nay" in text


def test_only_the_scanning_pages_may_use_the_camera(signed_in, outlet):
    ready = place(outlet, (ProductFactory(), 1), status=P.READY)

    for url in ("/outlet/lookup", f"/outlet/pickups/{ready.id}"):
        response = signed_in.get(url)
        assert response.headers["Permissions-Policy"] == "camera=(self)", url
        assert "data-scanner" in page(response) and 'name="code"' in page(response)
    assert "camera=(self)" not in signed_in.get("/outlet/").headers.get("Permissions-Policy", "")


def test_the_scan_page_finds_a_code_typed_by_hand_without_javascript(signed_in, outlet):
    ready = place(outlet, (ProductFactory(), 1), status=P.READY)

    response = signed_in.post("/outlet/lookup", data={"code": "abcd efgh"})

    assert response.status_code == 200 and ready.order.number in page(response)
    assert f'action="/outlet/pickups/{ready.id}/hand-over"' in page(response)
