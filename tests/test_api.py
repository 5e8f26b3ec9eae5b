"""The read-only JSON catalogue for partner sites and maps."""
import pytest

from storefront.catalog.models import product_outlets

from tests.support.catalogue import SLUGS
from tests.support.factories import OutletFactory, PhotoFactory


def slugs(response) -> list[str]:
    return [item["slug"] for item in response.get_json()["items"]]


def test_api_lists_listed_products_newest_first_with_paging_totals(client, catalogue):
    body = client.get("/api/products").get_json()

    assert [item["slug"] for item in body["items"]] == list(reversed(SLUGS))
    assert (body["page"], body["per_page"], body["total"], body["pages"]) == (1, 24, 9, 1)


def test_api_item_has_the_documented_shape(client, db, catalogue):
    product = catalogue.products["binh-gom"]
    PhotoFactory(product=product, position=0, alt_vi="Bình men lam",
                 small_key="photos/x-400.webp", large_key="photos/x-1200.webp")
    closed = OutletFactory(slug="closed", active=False)
    db.session.execute(product_outlets.insert().values(product_id=product.id, outlet_id=closed.id))
    db.session.commit()

    [item] = client.get("/api/products?q=binh+gom").get_json()["items"]

    assert item == {
        "id": product.id, "slug": "binh-gom", "name_vi": "Bình gốm men lam", "name_en": None,
        "group": "handicrafts", "stars": 5, "price": 500000, "currency": "VND",
        "unit_vi": "chiếc", "unit_en": None, "stock_status": "in_stock",
        "village": {"slug": "bat-trang", "name": "Bát Tràng", "name_en": None},
        "producer": {"slug": catalogue.producers["bat-trang"].slug, "name": "HTX Gốm Bát Tràng"},
        "photos": [{"small": "http://localhost/media/photos/x-400.webp",
                    "large": "http://localhost/media/photos/x-1200.webp", "alt": "Bình men lam"}],
        "outlets": [{"slug": "quang-vinh", "name": "Khu tinh hoa làng nghề Việt",
                     "latitude": 21.0, "longitude": 105.9}],
        "url": "http://localhost/products/binh-gom",
    }


def test_api_marks_sold_out_products(client, catalogue):
    [item] = client.get("/api/products?q=mut+dua").get_json()["items"]

    assert item["stock_status"] == "sold_out"


def test_api_takes_the_same_filters_as_the_page(client, catalogue):
    response = client.get("/api/products?village=bat-trang&village=van-phuc&stars=4&stars=5"
                          "&group=handicrafts&q=gom&sort=price_desc")

    assert slugs(response) == ["binh-gom", "chen-gom"]
    assert response.get_json()["total"] == 2


def test_api_pages_by_24(client, catalogue):
    body = client.get("/api/products?page=2").get_json()

    assert body["items"] == [] and body["page"] == 2 and body["total"] == 9


def test_an_unknown_village_matches_nothing_rather_than_failing(client, catalogue):
    body = client.get("/api/products?village=atlantis").get_json()

    assert body["items"] == [] and body["total"] == 0


@pytest.mark.parametrize("query, mentions", [
    ("stars=7", "3, 4 hoặc 5"), ("stars=abc", "3, 4 hoặc 5"), ("page=0", "Số trang"),
    ("group=unknown", "nhóm sản phẩm"), ("sort=random", "sắp xếp"), ("village=%3Cscript%3E", "làng nghề"),
])
def test_a_bad_filter_is_a_400_with_a_json_error(client, catalogue, query, mentions):
    response = client.get(f"/api/products?{query}")

    assert response.status_code == 400
    assert response.is_json
    assert mentions in response.get_json()["error"]


def test_api_product_by_slug_only_for_listed_products(client, catalogue):
    assert client.get("/api/products/ao-dai").get_json()["stars"] == 5
    missing = client.get("/api/products/draft-gom")
    assert missing.status_code == 404 and missing.get_json() == {"error": "not found"}
