"""The producer's order pages: goods to bring to each outlet, and sales of collected goods."""
from datetime import date, datetime

import pytest

from storefront.orders.models import LineStatus, PaymentMethod, PickupStatus
from storefront.producers.fulfilment_queries import sales_report
from tests.support.factories import (
    OutletFactory, ProducerUserFactory, ProductFactory, StaffUserFactory, UserFactory,
)
from tests.support.order_builder import place, place_split

P = PickupStatus


@pytest.fixture
def maker(db):
    return ProducerUserFactory(producer__name="HTX Gốm Bát Tràng")


@pytest.fixture
def vase(maker):
    return ProductFactory(producer=maker.producer, name_vi="Bình gốm men lam", price=200000,
                          stock=50)


@pytest.fixture
def bowl(maker):
    return ProductFactory(producer=maker.producer, name_vi="Bát gốm men rạn", price=50000,
                          stock=50)


@pytest.fixture
def rival_product(db):
    return ProductFactory(name_vi="Khăn lụa Vạn Phúc", stock=50)


@pytest.fixture
def signed_in(client, login, maker):
    login(maker)
    return client


def page(response) -> str:
    return response.get_data(as_text=True)


# --- goods to bring ---------------------------------------------------------------------------

def test_lines_to_bring_are_grouped_under_their_outlet(signed_in, vase, bowl):
    market = OutletFactory(name="An Điểm chợ", address="12 Chợ Đồng Xuân",
                           opening_hours="7:00–18:00")
    village = OutletFactory(name="Bảo Điểm làng", address="Thôn 5, xã Bát Tràng")
    at_market = place(market, (vase, 2))
    at_village = place(village, (bowl, 4))

    text = page(signed_in.get("/producer/orders"))

    assert text.index("An Điểm chợ") < text.index(at_market.order.number) \
        < text.index("Bảo Điểm làng") < text.index(at_village.order.number)
    assert "12 Chợ Đồng Xuân" in text and "7:00–18:00" in text and "Thôn 5, xã Bát Tràng" in text
    assert "Bình gốm men lam" in text and "Bát gốm men rạn" in text
    assert "data-print" in text  # the print button (static/js/print.js)


def test_another_producers_lines_are_never_shown(signed_in, vase, rival_product):
    outlet = OutletFactory()
    shared = place(outlet, (vase, 1), (rival_product, 3))
    theirs_only = place(outlet, (rival_product, 1))

    text = page(signed_in.get("/producer/orders?show=history"))
    text += page(signed_in.get("/producer/orders"))

    assert shared.order.number in text and "Bình gốm men lam" in text
    assert "Khăn lụa Vạn Phúc" not in text and theirs_only.order.number not in text


def test_only_lines_awaiting_drop_off_in_confirmed_pickups_are_to_bring(signed_in, db, vase, bowl):
    outlet = OutletFactory()
    todo = place(outlet, (vase, 1))
    received = place(outlet, (vase, 1), (bowl, 1))
    received.lines[0].status = LineStatus.RECEIVED
    db.session.commit()
    unpaid = place(outlet, (vase, 1), method=PaymentMethod.CARD, status=P.AWAITING_PAYMENT)
    ended = [place(outlet, (vase, 1), status=s) for s in (P.READY, P.COLLECTED, P.CANCELLED)]

    text = page(signed_in.get("/producer/orders"))

    assert todo.order.number in text and received.order.number in text  # its bowl is still due
    assert text.count("Bình gốm men lam") == 1
    assert unpaid.order.number not in text
    assert not [p.order.number for p in ended if p.order.number in text]


def test_history_shows_received_and_ended_lines_but_never_unpaid_ones(signed_in, vase):
    outlet = OutletFactory()
    collected = place(outlet, (vase, 1), status=P.COLLECTED)
    unpaid = place(outlet, (vase, 1), method=PaymentMethod.CARD, status=P.AWAITING_PAYMENT)

    text = page(signed_in.get("/producer/orders?show=history"))

    assert collected.order.number in text and "Điểm bán đã nhận" in text
    assert unpaid.order.number not in text


def test_nothing_to_bring_is_said_plainly(signed_in, db):
    assert "Hiện không có hàng nào cần mang" in page(signed_in.get("/producer/orders"))


@pytest.mark.parametrize("make_user", [UserFactory, StaffUserFactory])
def test_other_roles_cannot_see_a_producers_orders(client, login, make_user):
    login(make_user())

    assert client.get("/producer/orders").status_code == 403
    assert client.get("/producer/sales").status_code == 403


# --- sales ------------------------------------------------------------------------------------

@pytest.fixture
def sold(vase, bowl, rival_product):
    """Collected: 2 vases in January, 1 vase + 3 bowls on 1 Feb in Hanoi (31 Jan in UTC)."""
    outlet, other = OutletFactory(), OutletFactory()
    place(outlet, (vase, 2), status=P.COLLECTED, collected_at=datetime(2026, 1, 10, 3, 0))
    place_split({outlet: [(vase, 1), (rival_product, 5)], other: [(bowl, 3)]},
                status=P.COLLECTED, collected_at=datetime(2026, 1, 31, 18, 0))
    # Neither counts: not collected, or collected outside the period.
    place(outlet, (vase, 7), status=P.READY)
    place(outlet, (vase, 9), status=P.COLLECTED, collected_at=datetime(2025, 12, 20, 3, 0))


def test_sales_are_summed_by_product_and_hanoi_month(maker, sold):
    report = sales_report(maker.producer, date(2026, 1, 1), date(2026, 2, 28))

    assert (report.total.quantity, report.total.revenue) == (6, 750000)
    assert [(name, t.quantity, t.revenue) for name, _, t in report.by_product] == [
        ("Bình gốm men lam", 3, 600000), ("Bát gốm men rạn", 3, 150000)]
    assert [(month, t.quantity, t.revenue) for month, t in report.by_month] == [
        (date(2026, 1, 1), 2, 400000), (date(2026, 2, 1), 4, 350000)]


def test_the_sales_page_shows_the_chosen_periods_totals(signed_in, sold):
    text = page(signed_in.get("/producer/sales?first=2026-02-01&last=2026-02-28"))

    assert "Bình gốm men lam" in text and "Bát gốm men rạn" in text
    assert "350.000 ₫" in text and "Khăn lụa Vạn Phúc" not in text


def test_a_period_ending_before_it_starts_is_explained(signed_in, db):
    text = page(signed_in.get("/producer/sales?first=2026-02-01&last=2026-01-01"))

    assert "Ngày kết thúc phải sau ngày bắt đầu" in text
