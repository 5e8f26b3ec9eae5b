"""The coordinators' reports: every figure against a hand-counted fixture, CSV that Excel reads."""
import csv
import datetime as dt
import io

import pytest

from storefront.extensions import db
from storefront.orders.models import LineStatus, PickupStatus
from storefront.reports.catalogue import CATALOGUE_TABLES
from storefront.reports.sales import SALES_TABLES, Period
from tests.support.factories import (
    AdminFactory, OutletFactory, ProducerFactory, ProductFactory, ProducerUserFactory, VillageFactory,
)
from tests.support.order_builder import place_split

TODAY = dt.date(2026, 6, 1)
YEAR_2026 = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def _utc(*args):
    return dt.datetime(*args)


@pytest.fixture
def two_villages_two_outlets_four_orders(app):
    """Two villages, three producers, five products (three listed), two outlets, four orders.

    Listed: A (Bát Tràng, handicrafts, 5★, 200,000 ₫), B (Bát Tràng, food, 4★, 100,000 ₫),
    C (Vạn Phúc, handicrafts, 3★, 50,000 ₫). Not listed: D (draft), E (producer not verified).
    """
    bat_trang = VillageFactory(name="Bát Tràng", district="Gia Lâm")
    van_phuc = VillageFactory(name="Vạn Phúc", district="Hà Đông")
    p1 = ProducerFactory(village=bat_trang, kind="cooperative")
    p2 = ProducerFactory(village=van_phuc, kind="enterprise")
    p3 = ProducerFactory(village=bat_trang, kind="household", status="pending")
    a = ProductFactory(producer=p1, group="handicrafts", price=200000, stock=50, certified=5)
    b = ProductFactory(producer=p1, group="food", price=100000, stock=50, certified=4)
    c = ProductFactory(producer=p2, group="handicrafts", price=50000, stock=50, certified=3)
    d = ProductFactory(producer=p2, status="draft", certified=4)
    e = ProductFactory(producer=p3, certified=4)
    o1 = OutletFactory(name="Khu tinh hoa làng nghề Việt", village=bat_trang, place_type="craft_village")
    o2 = OutletFactory(name="MM Mega Market Thăng Long", place_type="supermarket")
    o1.products.extend([a, b, c])
    o2.products.extend([c, d, e])
    db.session.commit()

    def stars(order):
        for line in order.lines:
            line.stars = {a.id: 5, b.id: 4, c.id: 3}[line.product_id]

    first = place_split({o1: [(a, 2), (b, 1)]}, status=PickupStatus.COLLECTED,
                        created_at=_utc(2026, 1, 10, 3))
    # 20:00 UTC on 31 January is 03:00 on 1 February in Hanoi: a February order.
    second = place_split({o1: [(a, 1)]}, status=PickupStatus.NO_SHOW, created_at=_utc(2026, 1, 31, 20))
    third = place_split({o1: [(b, 2)], o2: [(c, 1)]}, status=PickupStatus.CONFIRMED,
                        created_at=_utc(2026, 2, 15, 5))
    cancelled = third.pickups[1]
    cancelled.status = PickupStatus.CANCELLED
    for line in cancelled.lines:
        line.status = LineStatus.CANCELLED
    outside = place_split({o1: [(a, 5)]}, status=PickupStatus.COLLECTED, created_at=_utc(2025, 12, 31, 5))
    for order in (first, second, third, outside):
        stars(order)
    db.session.commit()
    return {"o1": o1.name, "o2": o2.name}


def _table(name, **kwargs):
    build = CATALOGUE_TABLES.get(name) or SALES_TABLES[name]
    table = build(TODAY if name in CATALOGUE_TABLES else YEAR_2026)
    return [tuple(round(v, 4) if isinstance(v, float) else v for v in row) for row in table.rows]


def test_listed_products_by_star_group_district_and_village(two_villages_two_outlets_four_orders):
    assert _table("products_by_stars") == [(5, 1), (4, 1), (3, 1)]
    assert _table("products_by_group") == [("handicrafts", 2), ("food", 1)]
    assert _table("products_by_district") == [("Gia Lâm", 2, 1.0), ("Hà Đông", 1, 0.0)]
    assert _table("products_by_village") == [("Bát Tràng", "Gia Lâm", 2, 1.0), ("Vạn Phúc", "Hà Đông", 1, 0.0)]


def test_producers_by_kind(two_villages_two_outlets_four_orders):
    assert _table("producers_by_kind") == [("cooperative", 1, 1, 1), ("enterprise", 1, 1, 1),
                                           ("household", 1, 0, 0)]


def test_sales_points_with_what_they_carry_and_their_share_of_4_and_5_stars(two_villages_two_outlets_four_orders):
    assert _table("outlets") == [(two_villages_two_outlets_four_orders["o1"], "craft_village", "Gia Lâm", 3, 2, 0.6667),
                                 (two_villages_two_outlets_four_orders["o2"], "supermarket", "", 1, 1, 0.0)]
    assert _table("outlets_by_type_and_district") == [("craft_village", "Gia Lâm", 1, 3, 2, 0.6667),
                                                      ("supermarket", "", 1, 1, 1, 0.0)]


def test_sales_by_month_in_hanoi_time(two_villages_two_outlets_four_orders):
    # month, orders, units, revenue, pickups concluded, no-show rate
    assert _table("sales_by_month") == [("2026-01", 1, 3, 500000, 1, 0.0),
                                        ("2026-02", 1, 2, 200000, 1, 1.0)]


def test_sales_by_outlet_village_stars_and_group(two_villages_two_outlets_four_orders):
    assert _table("sales_by_outlet") == [(two_villages_two_outlets_four_orders["o1"], 2, 5, 700000, 2, 0.5),
                                         (two_villages_two_outlets_four_orders["o2"], 0, 0, 0, 0, None)]
    assert _table("sales_by_village") == [("Bát Tràng", 2, 5, 700000, 2, 0.5), ("Vạn Phúc", 0, 0, 0, 0, None)]
    assert _table("sales_by_stars") == [(5, 1, 2, 400000, 2, 0.5), (4, 2, 3, 300000, 1, 0.0),
                                        (3, 0, 0, 0, 0, None)]
    assert _table("sales_by_group") == [("food", 2, 3, 300000, 1, 0.0), ("handicrafts", 1, 2, 400000, 2, 0.5)]


def test_the_date_range_narrows_the_sales(two_villages_two_outlets_four_orders):
    january = Period(dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    assert [tuple(r[:4]) for r in SALES_TABLES["sales_by_month"](january).rows] == [("2026-01", 1, 3, 500000)]


def test_the_pages_show_tables_and_charts_and_refuse_a_wrong_period(client, login,
                                                                    two_villages_two_outlets_four_orders):
    login(AdminFactory())
    catalogue = client.get("/admin/reports/").get_data(as_text=True)
    assert catalogue.count('<svg class="chart"') == 1 and "Khu tinh hoa làng nghề Việt" in catalogue
    page = client.get("/admin/reports/sales?start=2026-01-01&end=2026-12-31")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert html.count('<svg class="chart"') == 2 and "Khu tinh hoa làng nghề Việt" in html and "700.000" in html
    by_stars = client.get("/admin/reports/sales?start=2026-01-01&end=2026-12-31&by=sales_by_stars")
    assert "400.000" in by_stars.get_data(as_text=True)
    assert client.get("/admin/reports/sales?by=nothing").status_code == 404
    wrong = client.get("/admin/reports/sales?start=2026-12-31&end=2026-01-01")
    assert wrong.status_code == 400 and "Ngày kết thúc phải sau ngày bắt đầu" in wrong.get_data(as_text=True)
    bad = client.get("/admin/reports/sales?start=hôm-qua&end=2026-01-01")
    assert bad.status_code == 400 and "Ngày không hợp lệ" in bad.get_data(as_text=True)


def test_a_long_table_shows_its_top_rows_and_the_csv_has_them_all(client, login, app):
    from storefront.reports import views

    villages = [VillageFactory(name=f"Làng {n:03d}") for n in range(views.ROWS_SHOWN + 5)]
    for village in villages:
        ProductFactory(producer=ProducerFactory(village=village))
    login(AdminFactory())
    page = client.get("/admin/reports/").get_data(as_text=True)
    assert f"{views.ROWS_SHOWN} dòng đầu trong {views.ROWS_SHOWN + 5}" in page
    rows = client.get("/admin/reports/products_by_village.csv").data.decode("utf-8-sig").splitlines()
    assert len(rows) == 1 + views.ROWS_SHOWN + 5


def test_each_table_downloads_as_csv_that_excel_opens_with_vietnamese_intact(client, login,
                                                                              two_villages_two_outlets_four_orders):
    login(AdminFactory())
    response = client.get("/admin/reports/sales_by_village.csv?start=2026-01-01&end=2026-12-31")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for UTF-8
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][0] == "Làng nghề" and rows[1][:4] == ["Bát Tràng", "2", "5", "700000"]
    assert rows[1][5] == "50.0"
    for name in list(CATALOGUE_TABLES) + list(SALES_TABLES):
        assert client.get(f"/admin/reports/{name}.csv").status_code == 200
    assert client.get("/admin/reports/nothing.csv").status_code == 404


def test_reports_are_for_admins_only(client, login, two_villages_two_outlets_four_orders):
    login(ProducerUserFactory())
    assert client.get("/admin/reports/").status_code == 403
    assert client.get("/admin/reports/outlets.csv").status_code == 403
