"""The public catalogue pages as a shopper sees them."""
import datetime as dt
import html
import re
from urllib.parse import unquote

import pytest

from storefront.catalog import services
from storefront.catalog.models import Outlet
from storefront.extensions import db as _db
from storefront.text import fold
from tests.support.factories import (
    CertificateFactory, OutletFactory, PhotoFactory, ProducerFactory, ProductFactory, VillageFactory,
)
from tests.support.sql import recorded_statements

CARD_LINK = re.compile(r'class="stretched-link[^"]*" href="/products/([a-z0-9-]+)"')


def cards(page: str) -> list[str]:
    return CARD_LINK.findall(page)


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


# --- /products ---------------------------------------------------------------------------

def test_catalogue_lists_listed_products_with_counts_and_sold_out_mark(client, catalogue):
    page = text_of(client.get("/products"))

    assert len(cards(page)) == 9
    assert "draft-gom" not in page and "khan-het-han" not in page
    assert "9 sản phẩm" in page
    assert 'value="bat-trang"' in page and "Bát Tràng" in page
    assert page.count("Hết hàng") == 1  # Mứt dừa has no stock
    assert 'aria-label="5 sao"' in page


def test_filters_from_the_query_string_narrow_the_page(client, catalogue):
    page = text_of(client.get("/products?village=bat-trang&village=van-phuc&stars=4&stars=5"
                              "&group=handicrafts&q=gom"))

    assert sorted(cards(page)) == ["binh-gom", "chen-gom"]
    assert "2 sản phẩm" in page
    assert 'name="village" value="van-phuc" id="village-van-phuc" checked' in page


def test_a_bad_filter_value_is_ignored_with_a_notice(client, catalogue):
    response = client.get("/products?stars=7&village=van-phuc&page=abc")
    page = text_of(response)

    assert response.status_code == 200
    assert "Hạng sao phải là 3, 4 hoặc 5" in page
    assert "Số trang phải là số nguyên" in page
    assert sorted(cards(page)) == ["ao-dai", "khan-lua", "mut-dua"]


def test_empty_result_names_each_active_filter_and_offers_to_clear_it(client, catalogue):
    page = text_of(client.get("/products?q=gốm+xyz&village=duong-lam&stars=5"))

    assert cards(page) == []
    assert "Không tìm thấy sản phẩm nào phù hợp" in page
    assert "từ khóa “gốm xyz”" in page
    assert "làng nghề Đường Lâm" in page
    assert "hạng 5 sao" in page
    assert "Hãy thử bỏ từ khóa" in page
    assert 'href="/products?village=duong-lam&stars=5">bỏ từ khóa' in page
    assert 'href="/products?stars=5&q=gốm+xyz">bỏ lọc này' in unquote(page)
    assert 'href="/products">Xóa tất cả bộ lọc' in page


def test_the_catalogue_pages_by_24_and_links_keep_the_filters(client):
    village = VillageFactory(slug="van-tu")
    producer = ProducerFactory(village=village)
    for n in range(30):
        ProductFactory(producer=producer, slug=f"ao-{n:02d}", name_vi=f"Áo may {n}", certified=4)
    ProductFactory(slug="other-village", certified=4)

    first = text_of(client.get("/products?village=van-tu&stars=4&q=ao&sort=price_asc"))
    second = text_of(client.get("/products?village=van-tu&stars=4&q=ao&sort=price_asc&page=2"))

    assert len(cards(first)) == 24 and len(cards(second)) == 6
    assert set(cards(first)).isdisjoint(cards(second))
    assert 'href="/products?village=van-tu&stars=4&q=ao&sort=price_asc&page=2" rel="next"' in first
    assert 'href="/products?village=van-tu&stars=4&q=ao&sort=price_asc" rel="prev"' in second


def test_a_page_past_the_end_says_so(client, catalogue):
    page = text_of(client.get("/products?page=5"))

    assert "Trang 5 không có sản phẩm" in page
    assert "Không tìm thấy sản phẩm nào phù hợp" not in page


# --- /products/<slug> ----------------------------------------------------------------------

@pytest.fixture
def vase(app):
    village = VillageFactory(slug="bat-trang", name="Bát Tràng")
    producer = ProducerFactory(slug="quang-vinh", name="Công ty Gốm Quang Vinh", village=village)
    open_outlet = OutletFactory(slug="tinh-hoa", name="Khu tinh hoa làng nghề Việt")
    closed = OutletFactory(slug="da-dong", name="Điểm đã đóng", active=False)
    product = ProductFactory(slug="binh-hut-loc", name_vi="Bình hút lộc", producer=producer,
                             price=1_250_000, unit_vi="chiếc cao 30 cm", stock=3, certified=False,
                             outlets=[open_outlet, closed])
    CertificateFactory(product=product, stars=5, score=92, issuing_level="central",
                       decision_number="123/QĐ-BNN", decision_date=dt.date(2025, 9, 15),
                       expires_on=dt.date(2028, 9, 15))
    PhotoFactory(product=product, position=0, alt_vi="Bình hút lộc men lam",
                 small_key="photos/a-400.webp", large_key="photos/a-1200.webp")
    PhotoFactory(product=product, position=1, alt_vi="Đáy bình",
                 small_key="photos/b-400.webp", large_key="photos/b-1200.webp")
    return product


def test_product_page_shows_everything_a_shopper_needs(client, vase):
    page = text_of(client.get("/products/binh-hut-loc"))

    assert "<title>Bình hút lộc · OCOP Hà Nội</title>" in page
    assert '<meta property="og:image" content="http://localhost/media/photos/a-1200.webp">' in page
    assert 'aria-label="5 sao"' in page and "★★★★★" in page
    assert "92/100" in page and "Cấp trung ương" in page and "123/QĐ-BNN" in page
    assert "15/09/2025" in page                # decision date
    assert "14/09/2028" in page                # last valid day: the day before expiry
    assert 'href="/producers/quang-vinh">Công ty Gốm Quang Vinh' in page
    assert 'href="/villages/bat-trang">Bát Tràng' in page
    assert "1.250.000 ₫" in page and "chiếc cao 30 cm" in page
    assert 'src="/media/photos/b-400.webp" alt="Đáy bình"' in page
    assert 'href="/outlets/tinh-hoa"' in page
    assert "Điểm đã đóng" not in page


def test_product_page_offers_add_to_cart_up_to_the_stock(client, vase):
    page = text_of(client.get("/products/binh-hut-loc"))

    assert 'action="/cart/add"' in page
    assert f'name="product_id" value="{vase.id}"' in page
    assert 'name="quantity" value="1" min="1" max="3"' in page
    assert 'name="csrf_token"' in page


def test_a_sold_out_product_stays_visible_without_add_to_cart(client, vase):
    vase.stock = 0
    _db.session.commit()

    page = text_of(client.get("/products/binh-hut-loc"))

    assert "Hết hàng" in page
    assert 'action="/cart/add"' not in page


@pytest.mark.parametrize("change", ["draft", "producer_pending", "certificate_expired"])
def test_an_unlisted_product_page_is_not_found(client, vase, change):
    if change == "draft":
        vase.status = "draft"
    elif change == "producer_pending":
        vase.producer.status = "pending"
    else:
        vase.certificates[0].expires_on = dt.date(2020, 1, 1)
    _db.session.commit()

    response = client.get("/products/binh-hut-loc")

    assert response.status_code == 404
    assert "Không tìm thấy trang" in text_of(response)


# --- villages, producers, outlets, home, sitemap ---------------------------------------------

def test_villages_list_counts_only_listed_products(client, catalogue):
    VillageFactory(slug="hong-van", name="Hồng Vân")
    page = text_of(client.get("/villages"))

    assert re.search(r"Vạn Phúc</a></h2>.*?3 sản phẩm OCOP", page, re.S)  # the expired one is left out
    assert re.search(r"Hồng Vân</a></h2>.*?0 sản phẩm OCOP", page, re.S)


def test_villages_list_pages_in_name_order_and_finds_a_village_by_name_without_accents(app, client, catalogue):
    for n in range(7):
        VillageFactory(slug=f"lang-{n}", name=f"Làng Thử {n}", district="Chương Mỹ")
    _db.session.commit()
    with app.test_request_context():
        first = services.village_directory(per_page=4)
        assert (first.total, first.pages, len(first.villages)) == (10, 3, 4)  # 3 in the catalogue
        names = [v.name for p in (1, 2, 3) for v, _n in services.village_directory(page=p, per_page=4).villages]
        assert names == sorted(names, key=fold) and len(set(names)) == 10
        assert services.village_directory(page=99, per_page=4).page == 3

    found = text_of(client.get("/villages?q=lang+thu+3"))
    assert "Làng Thử 3</a>" in found and "Làng Thử 4" not in found and "1 làng nghề" in found
    assert "Làng Thử 5</a>" in text_of(client.get("/villages?q=chuong+my"))
    nothing = text_of(client.get("/villages?q=zzz"))
    assert "Không có làng nghề nào khớp “zzz”." in nothing
    assert client.get("/villages?page=abc").status_code == 200


def test_village_page_shows_its_listed_products(client, catalogue):
    page = text_of(client.get("/villages/van-phuc"))

    assert "<h1 class=\"h3\">Vạn Phúc</h1>" in page
    assert sorted(cards(page)) == ["ao-dai", "khan-lua", "mut-dua"]
    assert client.get("/villages/nowhere").status_code == 404


def test_producer_page_is_for_verified_producers_only(client, catalogue):
    producer = catalogue.producers["duong-lam"]
    page = text_of(client.get(f"/producers/{producer.slug}"))

    assert "Hộ Đỗ Văn Đức" in page and 'href="/villages/duong-lam"' in page
    assert sorted(cards(page)) == ["che-lam", "gom-duong-lam", "tuong"]
    pending = ProducerFactory(status="pending")
    assert client.get(f"/producers/{pending.slug}").status_code == 404


def test_outlets_list_active_outlets_with_contact_and_map_links(client):
    OutletFactory(slug="bigc", name="Góc OCOP BigC Thăng Long", place_type="supermarket",
                  phone="024 3793 1111", latitude=21.0367, longitude=105.7906,
                  opening_hours="8:00–22:00")
    OutletFactory(slug="van-phuc-point", name="Điểm bán Vạn Phúc", place_type="craft_village")
    OutletFactory(slug="closed", name="Điểm đã đóng", active=False)

    page = text_of(client.get("/outlets"))
    supermarkets = text_of(client.get("/outlets?type=supermarket"))

    assert "Góc OCOP BigC Thăng Long" in page and "Điểm bán Vạn Phúc" in page
    assert "Điểm đã đóng" not in page
    assert "Siêu thị" in page and "8:00–22:00" in page
    assert 'href="tel:02437931111"' in page
    assert 'href="geo:21.0367,105.7906?q=21.0367,105.7906"' in page
    assert "https://www.openstreetmap.org/?mlat=21.0367&mlon=105.7906" in page
    assert "Góc OCOP BigC" in supermarkets and "Điểm bán Vạn Phúc" not in supermarkets


def test_an_unknown_outlet_type_shows_all_outlets_with_a_notice(client):
    OutletFactory(name="Điểm bán Vạn Phúc")

    page = text_of(client.get("/outlets?type=spaceport"))

    assert "Không có loại điểm bán “spaceport”" in page and "Điểm bán Vạn Phúc" in page


def test_outlet_page_lists_the_products_it_carries(client, catalogue):
    page = text_of(client.get("/outlets/quang-vinh"))

    assert "Khu tinh hoa làng nghề Việt" in page
    assert sorted(cards(page)) == ["binh-gom", "chen-gom", "tra-sen"]
    inactive = OutletFactory(active=False)
    assert client.get(f"/outlets/{inactive.slug}").status_code == 404


def test_home_features_highest_stars_first(client, catalogue):
    page = text_of(client.get("/"))

    assert cards(page)[:3] == ["ao-dai", "binh-gom", "gom-duong-lam"]
    assert len(cards(page)) == 8
    assert 'href="/villages/bat-trang"' in page and 'href="/outlets/quang-vinh"' in page


def test_sitemap_lists_public_pages_with_absolute_addresses(client, catalogue):
    xml = client.get("/sitemap.xml").get_data(as_text=True)

    for path in ("/", "/products", "/villages", "/outlets", "/products/ao-dai", "/villages/duong-lam",
                 f"/producers/{catalogue.producers['van-phuc'].slug}", "/outlets/quang-vinh"):
        assert f"<loc>http://localhost{path}</loc>" in xml
    assert "draft-gom" not in xml and "khan-het-han" not in xml


# --- the number of SQL statements does not grow with the page ------------------------------

def count_statements(client, url: str) -> int:
    with recorded_statements() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def make_listed(n: int, outlet_id: int) -> None:
    outlet = _db.session.get(Outlet, outlet_id)
    for _ in range(n):
        product = ProductFactory(producer=ProducerFactory(village=VillageFactory()), outlets=[outlet])
        PhotoFactory(product=product)
        PhotoFactory(product=product)


@pytest.mark.parametrize("url", ["/products", "/products?stars=4&q=san+pham&sort=stars",
                                 "/api/products", "/", "/outlets/{outlet}", "/villages",
                                 "/sitemap.xml"])
def test_statements_per_page_do_not_grow_with_page_size(client, url):
    outlet = OutletFactory()
    outlet_id, url = outlet.id, url.format(outlet=outlet.slug)
    make_listed(3, outlet_id)
    with_three = count_statements(client, url)
    make_listed(21, outlet_id)
    with_twenty_four = count_statements(client, url)

    assert with_three == with_twenty_four
