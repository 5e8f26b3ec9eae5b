"""The shopper's side on a 390 px phone (mobile emulation), in Vietnamese and English.

Add to cart → the sheet → the cart's cards → the one-screen checkout → the order page → the code
full screen at the counter; the catalogue's filters update results and counts as they are chosen;
the same journey still works with JavaScript off. Screenshots land in test-artifacts/screenshots.
"""
import re

import pytest
from playwright.sync_api import expect

from tests.browser import seed
from tests.browser.conftest import TIMEOUT_MS, Screenshots, Visitor

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
WIDTH = PHONE["viewport"]["width"]
WORDS = {
    "vi": {"add": "Thêm vào giỏ", "view_cart": "Xem giỏ hàng", "checkout": "Thanh toán",
           "name": "Họ và tên", "phone": "Số điện thoại", "pay": "Trả khi nhận hàng", "place": "Đặt hàng",
           "counter": "Hiện mã tại quầy", "close": "Đóng", "more": "Thêm một", "filters": "Bộ lọc",
           "vi_only": "chỉ viết"},
    "en": {"add": "Add to cart", "view_cart": "View cart", "checkout": "Checkout",
           "name": "Full name", "phone": "Phone number", "pay": "Pay at pickup", "place": "Place order",
           "counter": "Show at the counter", "close": "Close", "more": "One more", "filters": "Filters",
           "vi_only": "only in Vietnamese"},
}
WIDER_THAN_SCREEN = """(width) => {
  const wide = [document.documentElement.scrollWidth > width ? "document" : null];
  for (const el of document.querySelectorAll("main *, header *")) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 1 && getComputedStyle(el).position !== "fixed"
        && !el.closest(".gallery, .gallery-thumbs, .header-links, dialog, .counter-view")) {
      wide.push(el.tagName.toLowerCase() + "." + el.className);
    }
  }
  return wide.filter(Boolean).slice(0, 5);
}"""


def demo_photos(slug: str, count: int = 3) -> None:
    """Give a product ``count`` studio photos drawn like the demo's."""
    from storefront.catalog.models import Product
    from storefront.demo.images import draw_photo
    from storefront.extensions import db
    from storefront.producers.photos import add_photo

    product = db.session.scalar(db.select(Product).filter_by(slug=slug))
    for photo in list(product.photos):
        db.session.delete(photo)
    db.session.flush()
    for variant in range(count):
        add_photo(product, draw_photo(product.name_vi, "handicrafts", "vase", variant),
                  f"{product.name_vi}, ảnh {variant + 1}", f"{product.name_en}, view {variant + 1}")
    db.session.commit()


def forget_english(slug: str) -> None:
    """Leave the product's English name and unit empty, as many producers do."""
    from storefront.catalog.models import Product
    from storefront.extensions import db

    product = db.session.scalar(db.select(Product).filter_by(slug=slug))
    product.name_en = product.unit_en = None
    db.session.commit()


@pytest.fixture
def phone(chromium, live_server, screenshots):
    contexts = []

    def open_as(who: str, language: str = "vi", javascript: bool = True) -> Visitor:
        context = chromium.new_context(locale="vi-VN",
                                       java_script_enabled=javascript, **PHONE)
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
    wide = visitor.page.evaluate(WIDER_THAN_SCREEN, WIDTH)
    assert not wide, f"{where} is wider than the {WIDTH} px screen: {wide}"


def in_view(locator) -> bool:
    box = locator.bounding_box()
    return bool(box) and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["viewport"]["height"] + 1


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_phone_shopper_goes_from_the_sheet_to_the_code_at_the_counter(
        world, phone, live_server, language):
    words = WORDS[language]
    product = live_server.run(seed.listed_product, "Bình gốm men lam", "Blue-glazed vase",
                              world.bat_trang, [world.bat_trang_outlet], stars=5, price=350000)
    live_server.run(demo_photos, product.slug, 3)
    shopper = phone(f"shopper-{language}", language)
    page = shopper.page

    # the header: logo, search, cart, language and account all on the phone screen
    shopper.open("/", "home page")
    header = page.locator("header")
    for part in (header.get_by_role("link", name="OCOP Hà Nội"), header.get_by_role("searchbox"),
                 header.get_by_role("link", name=re.compile(r"^(Giỏ hàng|Cart)")),
                 header.get_by_role("button", name=re.compile("^(English|Tiếng Việt)$"))):
        expect(part).to_be_visible()
        assert in_view(part)
    fits(shopper, "home")
    shopper.shot("home")
    shopper.open("/products", "catalogue")
    fits(shopper, "catalogue")
    shopper.shot("catalogue")

    # the product: every photo in the gallery; add to cart stays at the bottom of the screen
    shopper.open(f"/products/{product.slug}", "product page")
    expect(page.locator(".gallery img")).to_have_count(3)
    add = page.get_by_role("button", name=words["add"])
    assert in_view(add), "add to cart is not on the first screen"
    page.mouse.wheel(0, 600)
    page.wait_for_timeout(200)
    assert in_view(add), "add to cart scrolled away: it should stick to the bottom on a phone"
    fits(shopper, "product page")
    shopper.shot("product")
    page.locator(".gallery-photo").first.click()
    expect(page.locator("#zoom-dialog")).to_be_visible()
    shopper.shot("photo-zoomed")
    page.locator("#zoom-dialog").get_by_role("button", name=words["close"]).click()

    add.click()
    sheet = page.locator("#added-sheet")
    expect(sheet).to_be_visible()
    expect(page.locator("#cart-count")).to_have_text("1")
    expect(sheet.get_by_role("link", name=words["checkout"])).to_be_visible()
    shopper.shot("added-sheet")
    shopper.follow(sheet.get_by_role("link", name=words["view_cart"]), "cart")

    # the cart: a card per line, a stepper, and the total with checkout always on screen
    expect(page.locator(".cart-line")).to_have_count(1)
    shopper.follow(page.get_by_role("button", name=re.compile(words["more"])), "one more")
    expect(page.locator("#qty-" + str(product.id))).to_have_value("2")
    expect(page.locator("#cart-total")).to_contain_text("700")
    checkout = page.get_by_role("main").get_by_role("link", name=words["checkout"], exact=True)
    assert in_view(checkout), "the checkout button is not on screen"
    page.mouse.wheel(0, -2000)
    page.wait_for_timeout(200)
    assert in_view(checkout), "the total bar must stay on screen at the top of the cart too"
    fits(shopper, "cart")
    shopper.shot("cart")

    # one screen: contact, pickup point, payment, summary; one tap places the order
    shopper.follow(checkout, "checkout")
    page.get_by_label(words["name"], exact=True).fill("Trần Thị Mai")
    page.get_by_label(words["phone"], exact=True).fill("0912345678")
    page.get_by_label("E-mail", exact=True).fill("mai@example.com")
    page.get_by_label(re.compile("^" + words["pay"])).check()
    page.locator("#accept_terms").check()  # the terms, agreed separately (issue 22)
    place = page.get_by_role("button", name=words["place"], exact=True)
    assert in_view(place), "place order is not on screen"
    fits(shopper, "checkout")
    shopper.shot("checkout")
    shopper.follow(place, "place order")

    # the order page: a code and QR large enough to scan, and a full-screen view for the counter
    assert re.search(r"/orders/OC-\d{4}-\d{6}", page.url), page.url
    code = page.locator("[data-code]").first
    expect(code).to_be_visible()
    qr = page.locator(".pickup-code svg.pickup-qr").first
    assert qr.bounding_box()["width"] >= 200
    expect(page.locator(".status-steps [aria-current=step]").first).to_be_visible()
    fits(shopper, "order page")
    shopper.shot("order")
    page.get_by_role("link", name=words["counter"]).first.click()
    counter = page.locator(".counter-view").first
    expect(counter).to_be_visible()
    big = counter.locator("svg.pickup-qr").bounding_box()
    assert big["width"] >= 0.8 * WIDTH, f"the counter QR is only {big['width']} px wide"
    expect(counter).to_contain_text(code.text_content().strip())
    shopper.shot("counter-view")
    counter.get_by_role("link", name=words["close"]).click()
    expect(counter).to_be_hidden()


def test_english_pages_say_when_the_producer_wrote_only_vietnamese(world, phone, live_server):
    product = live_server.run(seed.listed_product, "Chè lam Thạch Xá", "Thach Xa sweets",
                              world.bat_trang, [world.bat_trang_outlet], unit_vi="nải 300 g")
    live_server.run(forget_english, product.slug)
    shopper = phone("tourist", "en")
    shopper.open(f"/products/{product.slug}", "product page")
    page = shopper.page
    expect(page.get_by_role("heading", level=1)).to_have_attribute("lang", "vi")
    expect(page.locator("#lang-note")).to_contain_text(WORDS["en"]["vi_only"])
    expect(page.locator(".product-buy [lang=vi]")).to_have_text("nải 300 g")
    shopper.shot("vietnamese-only")


def test_without_javascript_adding_leads_to_the_cart_and_the_code_still_fills_the_screen(
        world, phone, live_server):
    product = live_server.run(seed.listed_product, "Lụa tơ tằm", "Mulberry silk",
                              world.van_phuc, [world.van_phuc_outlet], price=420000)
    shopper = phone("no-js", javascript=False)
    page = shopper.page
    shopper.open(f"/products/{product.slug}", "product page")
    shopper.follow(page.get_by_role("button", name="Thêm vào giỏ"), "add to cart")
    assert page.url.endswith("/cart"), page.url
    expect(page.locator("#cart-count")).to_have_text("1")
    shopper.follow(page.get_by_role("main").get_by_role("link", name="Thanh toán", exact=True), "checkout")
    page.get_by_label("Họ và tên", exact=True).fill("Lê Văn An")
    page.get_by_label("Số điện thoại", exact=True).fill("0987654321")
    page.get_by_label("E-mail", exact=True).fill("an@example.com")
    page.get_by_label(re.compile("^Trả khi nhận hàng")).check()
    page.locator("#accept_terms").check()  # the terms, agreed separately (issue 22)
    shopper.follow(page.get_by_role("button", name="Đặt hàng", exact=True), "place order")
    page.get_by_role("link", name="Hiện mã tại quầy").first.click()
    expect(page.locator(".counter-view").first).to_be_visible()
    shopper.shot("counter-view-no-js")


def test_catalogue_filters_update_results_and_counts_as_they_are_chosen(world, phone, live_server):
    # "độc bản" (one of a kind) is in no other test's names: the counts below are these two alone
    vase = live_server.run(seed.listed_product, "Bình hoa gốm độc bản", "One-of-a-kind vase",
                           world.bat_trang, [world.bat_trang_outlet], stars=4)
    scarf = live_server.run(seed.listed_product, "Khăn lụa độc bản", "One-of-a-kind scarf",
                            world.van_phuc, [world.van_phuc_outlet], stars=5)
    shopper = phone("filters")
    page = shopper.page
    shopper.open("/products?q=doc+ban", "catalogue")
    page.get_by_role("button", name="Bộ lọc").click()
    drawer = page.locator("#catalog-filters")
    expect(drawer).to_be_visible()
    shopper.shot("drawer-open")
    url = page.url
    drawer.get_by_role("checkbox", name=re.compile("^Vạn Phúc")).check()
    expect(page.get_by_role("link", name=vase.name_vi, exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name=scarf.name_vi, exact=True)).to_have_count(1)
    assert "village=van-phuc" in page.url and page.url != url
    # with Vạn Phúc chosen no 4-star product is left: that option can no longer be chosen
    expect(drawer.get_by_role("checkbox", name=re.compile(r"^4 sao"))).to_be_disabled()
    expect(drawer.get_by_role("checkbox", name=re.compile(r"^5 sao"))).to_be_enabled()
    shopper.shot("drawer-filtered")
    drawer.get_by_role("button", name="Đóng").click()
    expect(drawer).to_be_hidden()
    fits(shopper, "catalogue")
    shopper.shot("catalogue-filtered")
