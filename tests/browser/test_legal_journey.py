"""Issue 22 items 1-6 in a phone's browser (390 px), in Vietnamese and English: the product page's label
and seller, the operator in the footer, reading the terms, being refused without the tick, agreeing,
placing, and the order page linking the exact versions agreed."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser import seed
from tests.browser.conftest import TIMEOUT_MS, Visitor

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
WORDS = {
    "vi": {"add": "Thêm vào giỏ", "view_cart": "Xem giỏ hàng", "checkout": "Thanh toán", "name": "Họ và tên",
           "phone": "Số điện thoại", "pay": "Trả khi nhận hàng", "place": "Đặt hàng", "label": "Thông tin ghi nhãn",
           "terms": "Điều khoản chung", "refused": "Vui lòng đánh dấu ô đồng ý", "agreed": "Điều khoản đã đồng ý",
           "terms_text": "Nghĩa vụ của bên bán", "english": None},
    "en": {"add": "Add to cart", "view_cart": "View cart", "checkout": "Checkout", "name": "Full name",
           "phone": "Phone number", "pay": "Pay at pickup", "place": "Place order", "label": "Label facts",
           "terms": "General terms", "refused": "Please tick the box to agree", "agreed": "Terms agreed",
           "terms_text": "The seller's obligations", "english": "English"},
}
WIDER_THAN_SCREEN = """(width) => [...document.querySelectorAll("main *, footer *")].filter(el => {
  const box = el.getBoundingClientRect();
  return box.width && box.right > width + 1 && !el.closest("dialog");
}).map(el => el.tagName.toLowerCase() + "." + el.className).slice(0, 5)"""


def food_with_label(world) -> seed.Listed:
    """A listed food with every label fact, and version 1 of every policy."""
    from storefront.catalog.models import Product
    from storefront.extensions import db
    from storefront.legal import policies
    from storefront.timeutil import local_today

    listed = seed.listed_product("Chè lam", "Chè lam sweets", world.bat_trang, [world.bat_trang_outlet],
                                 group="food", unit_vi="hộp 500 g", unit_en="box 500 g")
    product = db.session.get(Product, listed.id)
    product.label_net_quantity, product.label_ingredients = "500 g", "Bột nếp, mật mía, gừng, lạc"
    product.label_shelf_life, product.label_storage = "60 ngày kể từ ngày sản xuất", "Nơi khô ráo"
    product.food_safety_number, product.food_safety_date = "123/2025/ATTP-CNĐK", local_today()
    product.food_safety_issuer = "Chi cục ATTP Hà Nội"
    db.session.commit()
    policies.publish_defaults()
    return listed


@pytest.fixture
def phone(chromium, live_server, screenshots):
    contexts = []

    def open_as(who: str, language: str) -> Visitor:
        context = chromium.new_context(locale="vi-VN", **PHONE)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        visitor = Visitor(context, live_server, screenshots, who)
        if language == "en":
            visitor.open("/", "home page")
            visitor.follow(visitor.page.get_by_role("button", name="English"), "language switch")
        return visitor

    yield open_as
    for context in contexts:
        context.close()


def fits(visitor: Visitor, where: str) -> None:
    wide = visitor.page.evaluate(WIDER_THAN_SCREEN, PHONE["viewport"]["width"])
    assert not wide, f"{where} is wider than the phone: {wide}"


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_phone_shopper_reads_the_terms_agrees_and_places(world, phone, live_server, language):
    words = WORDS[language]
    product = live_server.run(food_with_label, world)
    shopper = phone(f"legal-{language}", language)
    page = shopper.page

    shopper.open(f"/products/{product.slug}", "product page")
    label = page.locator("#label")
    expect(label).to_contain_text(words["label"])
    expect(label).to_contain_text("123/2025/ATTP-CNĐK")
    expect(page.locator("footer")).to_contain_text("CÔNG TY DEMO OCOP (KHÔNG CÓ THẬT)")
    fits(shopper, "product page")
    label.scroll_into_view_if_needed()
    shopper.shot("product-label")
    page.get_by_role("button", name=words["add"]).first.click()
    shopper.follow(page.locator("#added-sheet").get_by_role("link", name=words["checkout"]), "checkout")

    page.get_by_label(words["name"], exact=True).fill("Trần Thị Mai")
    page.get_by_label(words["phone"], exact=True).fill("0912345678")
    page.get_by_label("E-mail", exact=True).fill("mai@example.com")
    page.get_by_label(re.compile("^" + words["pay"])).check()
    box = page.locator("#accept_terms")
    expect(box).not_to_be_checked()  # never ticked in advance
    place = page.get_by_role("button", name=words["place"], exact=True)

    # placing without the tick: refused, the error at the box, nothing lost
    shopper.follow(place, "place without agreeing")
    expect(page.locator("#error-summary")).to_contain_text(words["refused"])
    expect(page.locator("#accept_terms-error")).to_be_visible()
    expect(page.get_by_label(words["name"], exact=True)).to_have_value("Trần Thị Mai")
    fits(shopper, "checkout with the error")
    shopper.shot("checkout-refused")

    # read the terms at the exact version the box links
    terms_link = page.locator(".accept-terms").get_by_role("link", name=words["terms"])
    href = terms_link.get_attribute("href")
    assert href == "/policies/terms/v1", href
    reader = shopper.context.new_page()
    reader.goto(live_server.url + href)
    expect(reader.locator("h1")).to_have_text(words["terms"])
    expect(reader.locator(".policy-text")).to_contain_text(words["terms_text"])
    assert not reader.evaluate(WIDER_THAN_SCREEN, PHONE["viewport"]["width"])
    shopper.shots.take(reader, f"{shopper.who}-terms")
    reader.close()

    # agree, place
    page.locator("#accept_terms").check()
    shopper.shot("checkout-agreed")
    shopper.follow(page.get_by_role("button", name=words["place"], exact=True), "place order")
    assert re.search(r"/orders/OC-\d{4}-\d{6}", page.url), page.url
    agreed = page.locator(".order-terms")
    expect(agreed).to_contain_text(words["agreed"])
    for slug in ("terms", "returns", "privacy"):
        expect(agreed.locator(f'a[href="/policies/{slug}/v1"]')).to_have_count(1)
    fits(shopper, "order page")
    agreed.scroll_into_view_if_needed()
    shopper.shot("order-terms-agreed")


def test_an_admin_takes_a_listing_down_and_shoppers_read_why(world, phone, live_server):
    product = live_server.run(seed.listed_product, "Bình nghi vấn", "Suspect vase", world.bat_trang,
                              [world.bat_trang_outlet])
    live_server.run(food_with_label, world)  # the policies, for the admin's list
    admin = phone("legal-admin", "vi")
    admin.sign_in(world.admin_email)
    page = admin.page
    admin.open("/admin/policies", "policies")
    expect(page.get_by_role("link", name="Công bố phiên bản mới").first).to_be_visible()
    fits(admin, "policies")
    admin.shot("policies")
    admin.open(f"/admin/products?q={product.slug}", "take-down search")
    page.get_by_role("main").locator("li summary", has_text="Gỡ sản phẩm").click()
    page.get_by_label("Lý do gỡ (công bố trên trang sản phẩm)").fill("Ảnh và mô tả không khớp sản phẩm thật")
    admin.follow(page.get_by_role("button", name="Gỡ sản phẩm", exact=True), "take down")
    expect(page.locator(".badge", has_text="Đã gỡ")).to_be_visible()
    fits(admin, "take-down")
    admin.shot("taken-down")

    shopper = phone("legal-gone", "en")
    response = shopper.page.goto(live_server.url + f"/products/{product.slug}")
    assert response.status == 410
    expect(shopper.page.locator("main")).to_contain_text("Ảnh và mô tả không khớp sản phẩm thật")
    shopper.shot("gone")
