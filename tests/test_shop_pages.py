"""Issue 8, shopper side, through the test client: one-screen checkout, the add-to-cart sheet's JSON,
fingerprinted and compressed assets, the header, staff landing on their dashboard, demo photos."""
import gzip
import io
import re

import brotli
import pytest
from PIL import Image

from storefront import assets
from storefront.demo.images import draw_photo
from storefront.extensions import db
from storefront.models import Order
from tests.support.checkout_support import make_shop
from tests.support.factories import StaffUserFactory

CUSTOMER = {"name": "Nguyễn Văn Khách", "phone": "0912345678", "email": "khach@example.com"}


@pytest.fixture
def three_outlets_stocked(db):
    return make_shop()


def orders() -> list[Order]:
    db.session.expire_all()
    return db.session.scalars(db.select(Order).order_by(Order.id)).all()


def hidden(page: str, name: str) -> str:
    return re.search(rf'name="{name}" type="hidden" value="([^"]*)"', page)[1]


def checkout_page(client) -> dict:
    page = client.get("/checkout").get_data(as_text=True)
    return {"checkout_token": hidden(page, "checkout_token"), "seen": hidden(page, "seen")}


# --- checkout on one screen ---------------------------------------------------------------------

def test_one_tap_on_the_checkout_page_places_the_order(client, three_outlets_stocked):
    client.post("/cart/add", data={"product_id": three_outlets_stocked.vase.id, "quantity": 2})
    form = checkout_page(client)
    response = client.post("/checkout", data={**CUSTOMER, **form, "outlet_id": three_outlets_stocked.b.id,
                                              "payment_method": "at_pickup", "place": "1", "accept_terms": "y"})
    (order,) = orders()
    assert response.status_code == 303 and response.location.endswith(f"/orders/{order.number}")
    assert order.total == 2 * three_outlets_stocked.vase.price and order.name == CUSTOMER["name"]
    assert client.get("/cart").get_data(as_text=True).count('class="cart-line"') == 0


def test_a_second_tap_leads_to_the_same_order(client, three_outlets_stocked):
    client.post("/cart/add", data={"product_id": three_outlets_stocked.vase.id, "quantity": 1})
    data = {**CUSTOMER, **checkout_page(client), "outlet_id": three_outlets_stocked.b.id, "payment_method": "at_pickup",
            "place": "1", "accept_terms": "y"}
    first = client.post("/checkout", data=data)
    second = client.post("/checkout", data=data)
    assert len(orders()) == 1
    assert second.status_code == 303 and second.location == first.location


def test_a_cart_changed_in_another_tab_is_not_placed_unseen(client, three_outlets_stocked):
    client.post("/cart/add", data={"product_id": three_outlets_stocked.vase.id, "quantity": 1})
    form = checkout_page(client)
    client.post("/cart/add", data={"product_id": three_outlets_stocked.cup.id, "quantity": 1})  # another tab
    response = client.post("/checkout", data={**CUSTOMER, **form, "outlet_id": three_outlets_stocked.b.id,
                                              "payment_method": "at_pickup", "place": "1", "accept_terms": "y"})
    assert orders() == []
    assert response.status_code == 303 and response.location.endswith("/checkout")
    assert "Giỏ hàng đã thay đổi" in client.get("/checkout").get_data(as_text=True)


def test_a_missing_name_keeps_the_shopper_on_the_page_with_the_error(client, three_outlets_stocked):
    client.post("/cart/add", data={"product_id": three_outlets_stocked.vase.id, "quantity": 1})
    response = client.post("/checkout", data={**CUSTOMER, **checkout_page(client), "name": "",
                                              "outlet_id": three_outlets_stocked.b.id, "payment_method": "at_pickup",
                                              "place": "1", "accept_terms": "y"})
    assert response.status_code == 200 and orders() == []
    assert "Vui lòng nhập họ và tên." in response.get_data(as_text=True)


# --- adding from the product page's script ------------------------------------------------------

def test_adding_with_json_answers_the_message_and_the_new_count(client, three_outlets_stocked):
    response = client.post("/cart/add", data={"product_id": three_outlets_stocked.vase.id, "quantity": 3},
                           headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert response.json["count"] == 3 and three_outlets_stocked.vase.name_vi in response.json["message"]


def test_adding_too_many_with_json_says_why_in_the_shoppers_language(client, three_outlets_stocked):
    response = client.post("/cart/add", data={"product_id": three_outlets_stocked.vase.id, "quantity": 10_000},
                           headers={"Accept": "application/json"})
    assert response.status_code in (200, 409)
    assert response.json["message"]


def test_without_javascript_adding_goes_to_the_cart(client, three_outlets_stocked):
    response = client.post("/cart/add", data={"product_id": three_outlets_stocked.vase.id, "quantity": 1})
    assert response.status_code == 302 and response.location.endswith("/cart")


# --- the header ---------------------------------------------------------------------------------

def test_the_header_has_search_cart_count_language_and_account(client, three_outlets_stocked):
    client.post("/cart/add", data={"product_id": three_outlets_stocked.vase.id, "quantity": 2})
    page = client.get("/").get_data(as_text=True)
    header = page[page.index("<header"):page.index("</header>")]
    assert 'role="search"' in header and 'name="q"' in header
    assert 'id="cart-count" aria-hidden="true">2<' in header
    assert ">English</button>" in header
    assert "Đăng nhập" in header and "navbar-toggler" not in header


def test_staff_who_sign_in_from_the_home_page_land_on_their_dashboard(client, db):
    staff = StaffUserFactory()
    staff.set_password("mật khẩu thử nghiệm dài")
    db.session.commit()
    response = client.post("/auth/login?next=/", data={"email": staff.email,
                                                       "password": "mật khẩu thử nghiệm dài"})
    assert response.status_code == 302 and response.location.endswith("/outlet/")


# --- assets -------------------------------------------------------------------------------------

def asset_path(client, pattern: str) -> str:
    page = client.get("/").get_data(as_text=True)
    return re.search(pattern, page)[0]


def test_css_and_js_have_fingerprinted_names_and_are_cached_for_a_year(client, db):
    for pattern in (r"/assets/app\.[0-9a-f]{12}\.css", r"/assets/app\.[0-9a-f]{12}\.js"):
        response = client.get(asset_path(client, pattern), headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert response.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(response.data)


def test_brotli_when_the_browser_takes_it_and_plain_when_it_takes_nothing(client, db):
    path = asset_path(client, r"/assets/app\.[0-9a-f]{12}\.css")
    compressed = client.get(path, headers={"Accept-Encoding": "gzip, deflate, br"})
    plain = client.get(path, headers={"Accept-Encoding": ""})
    assert compressed.headers["Content-Encoding"] == "br"
    assert brotli.decompress(compressed.data) == plain.data
    assert "Content-Encoding" not in plain.headers


def test_an_old_fingerprint_gets_the_current_file_but_not_for_long(client, db):
    response = client.get("/assets/app.000000000000.css")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-cache"
    assert client.get("/assets/nothing.000000000000.css").status_code == 404


def test_pages_are_sent_compressed(client, db):
    response = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"


def test_bootstrap_is_trimmed_to_the_classes_the_templates_use():
    css = (assets.ROOT / "static/vendor/bootstrap/bootstrap.min.css").read_text()
    words, prefixes = assets.used_words()
    trimmed = assets.trim_css(css, words, prefixes)
    assert len(trimmed) < len(css) / 2
    assert ".btn-success{" in trimmed and ".visually-hidden-focusable" in trimmed  # used: kept
    assert ".carousel-item" not in trimmed and ".accordion-button" not in trimmed  # unused: dropped
    assert "Bootstrap" in trimmed.split("*/")[0]  # the licence notice stays


def test_trimming_keeps_a_rule_when_any_of_its_selectors_is_used():
    css = "@media (min-width:768px){.used,.unused{color:red}.gone{color:blue}}.x:not(.unused){margin:0}"
    assert assets.trim_css(css, {"used", "x"}, ()) == \
        "@media (min-width:768px){.used{color:red}}.x:not(.unused){margin:0}"


def test_favicon_and_manifest_are_linked(client, db):
    page = client.get("/").get_data(as_text=True)
    assert re.search(r'rel="icon" href="/static/icons/favicon\.svg\?v=[0-9a-f]{12}"', page)
    assert 'rel="manifest"' in page
    manifest = client.get("/static/manifest.webmanifest")
    assert manifest.status_code == 200 and manifest.json["icons"]


# --- demo photos --------------------------------------------------------------------------------

def test_demo_photos_are_several_different_views_of_the_product():
    views = [Image.open(io.BytesIO(draw_photo("Bình gốm", "handicrafts", "vase", v))) for v in range(3)]
    assert all(view.size == views[0].size for view in views)
    assert len({view.tobytes()[:200_000] for view in views}) == 3
    # a studio shot: the wall above, the table below, the product in the middle, no caption band
    hero = views[0].convert("RGB")
    width, height = hero.size
    bottom_row = [hero.getpixel((x, height - 3)) for x in range(0, width, 40)]
    assert all(sum(pixel) > 120 for pixel in bottom_row), "a dark caption band across the bottom"
