"""The three journeys of issue 4, in Chromium at phone and desktop size.

1. A producer signs up, lists a product with a photo and a certificate; an admin verifies both.
2. A shopper finds products by village and star level, switches to English, fills a cart from
   two villages, sees the split into pickups and checks out paying at pickup.
3. Outlet staff receive the goods (the pickup turns ready by itself) and hand over with the code
   the shopper's order page shows.

Each journey seeds what it starts from, so one unbuilt page stops only the journey that needs it.
"""
import re

import pytest
from playwright.sync_api import expect

from tests.browser import seed

pytestmark = pytest.mark.browser


def exactly(text: str) -> re.Pattern:
    """Match an accessible name that is ``text`` (a required-field mark may follow)."""
    return re.compile(rf"^\s*{re.escape(text)}\s*\*?\s*$")


def starting(text: str) -> re.Pattern:
    return re.compile(rf"^\s*{re.escape(text)}")


def _mailed_link(email: str, path: str) -> str:
    """Return the path of the newest link to ``path`` mailed to ``email`` (read from the outbox)."""
    from storefront.extensions import db
    from storefront.notifications.models import OutboxMessage

    body = db.session.scalars(db.select(OutboxMessage.body).where(OutboxMessage.to_email == email)
                              .order_by(OutboxMessage.id.desc())).first()
    return re.search(rf"https?://[^/\s]+({re.escape(path)}\S+)", body).group(1)


# --- journey 1 ----------------------------------------------------------------------------------

def test_a_producer_lists_a_certified_product_and_an_admin_verifies_it(
        world, visitor, live_server, tmp_path, viewport):
    producer = visitor("producer")
    number = f"{viewport}-{tmp_path.name[-6:]}"
    email = f"htx-{number}@example.com"
    product_name = f"Bình gốm men lam {number}"

    producer.open("/auth/register/producer", "producer sign-up")
    page = producer.page
    page.get_by_label("Họ và tên", exact=True).fill("Nguyễn Văn Gốm")
    page.get_by_label("E-mail", exact=True).fill(email)
    page.get_by_label("Mật khẩu", exact=True).fill(seed.PASSWORD)
    page.get_by_label("Nhập lại mật khẩu", exact=True).fill(seed.PASSWORD)
    page.get_by_label("Tên cơ sở sản xuất", exact=True).fill(f"HTX Gốm {number}")
    page.get_by_label("Loại hình", exact=True).select_option(label="Hợp tác xã")
    page.get_by_label("Làng nghề", exact=True).select_option(label="Bát Tràng")
    page.get_by_label("Số điện thoại", exact=True).fill("0912 345 678")
    producer.shot("sign-up-filled")
    producer.follow(page.get_by_role("button", name="Gửi đăng ký"), "producer sign-up")
    expect(page.get_by_role("heading", name="Kiểm tra hộp thư của bạn")).to_be_visible()
    # the application reaches the admins once the address is confirmed by the mailed link
    producer.open(live_server.run(_mailed_link, email, "/auth/confirm/"), "confirm e-mail")
    producer.sign_in(email, seed.PASSWORD)
    expect(page.get_by_role("status").filter(has_text="đang chờ quản trị viên xác minh")).to_be_visible()
    producer.shot("dashboard-pending")

    # the legal identity an admin needs before verifying (issue 22): a tax code python-stdnum accepts
    producer.follow(page.get_by_role("link", name="Khai thông tin pháp lý"), "legal identity")
    page.get_by_label("Mã số thuế", exact=True).fill("0100109106")
    page.get_by_label(starting("Số giấy chứng nhận đăng ký kinh doanh")).fill("0100109106 — Sở Tài chính Hà Nội")
    page.get_by_label(starting("Địa chỉ trụ sở")).fill("Thôn 3, xã Bát Tràng, Gia Lâm, Hà Nội")
    producer.shot("legal-identity")
    producer.follow(page.get_by_role("button", name="Lưu"), "save legal identity")

    # the product, as a draft carried by the Bát Tràng sales point
    producer.follow(page.get_by_role("link", name="Thêm sản phẩm"), "new product form")
    page.get_by_label("Tên sản phẩm (tiếng Việt)", exact=True).fill(product_name)
    page.get_by_label("Mô tả (tiếng Việt)", exact=True).fill("Bình gốm men lam vẽ tay, nung 1.250 °C.")
    page.get_by_label(starting("Đơn vị bán (chọn")).fill("chiếc")
    page.get_by_label("Tên tiếng Anh", exact=True).fill(f"Blue-glazed vase {number}")
    page.get_by_label("Đơn vị bán (tiếng Anh)", exact=True).fill("piece")
    page.get_by_label("Nhóm sản phẩm", exact=True).select_option(label="Hàng thủ công mỹ nghệ")
    page.get_by_label("Giá (đồng)", exact=True).fill("350000")
    page.get_by_label("Số lượng trong kho", exact=True).fill("12")
    page.get_by_label(world.bat_trang_outlet, exact=True).check()
    # label facts a handicraft needs before it can go on sale (issue 22)
    page.get_by_label("Xuất xứ", exact=True).fill("Bát Tràng, Gia Lâm, Hà Nội, Việt Nam")
    page.get_by_label("Tên nhà sản xuất", exact=True).fill(f"HTX Gốm {number}")
    page.get_by_label("Địa chỉ nhà sản xuất", exact=True).fill("Thôn 3, xã Bát Tràng, Gia Lâm, Hà Nội")
    producer.shot("product-filled")
    producer.follow(page.get_by_role("button", name="Lưu"), "save product")

    # a real photo upload
    producer.open("/producer/", "producer dashboard")
    card = page.locator("[data-product]").filter(has_text=product_name)
    producer.follow(card.get_by_role("link", name=starting("Ảnh")), "product photos")
    photo = tmp_path / "binh-gom.jpg"
    photo.write_bytes(seed.jpeg())
    page.get_by_label(starting("Ảnh (JPEG")).set_input_files(str(photo))
    page.get_by_label("Mô tả ảnh (tiếng Việt)", exact=True).fill("Bình gốm men lam trên nền sáng")
    producer.follow(page.get_by_role("button", name="Tải ảnh lên"), "photo upload")
    expect(page.locator("main img").first).to_be_visible()
    producer.shot("photo-uploaded")

    # the OCOP certificate, with its scan
    producer.open("/producer/", "producer dashboard")
    producer.follow(page.locator("[data-product]").filter(has_text=product_name)
                    .get_by_role("link", name="Chứng nhận"), "certificates page")
    page.get_by_label("Hạng sao", exact=True).select_option("4")
    page.get_by_label("Điểm đánh giá", exact=True).fill("78")
    page.get_by_label("Cấp công nhận", exact=True).select_option(label="Cấp thành phố/tỉnh")
    page.get_by_label(starting("Cơ quan ra quyết định")).fill("UBND TP Hà Nội")
    page.get_by_label("Số quyết định", exact=True).fill(f"{number}/QĐ-UBND")
    page.get_by_label("Ngày quyết định", exact=True).fill("2025-09-15")
    scan = tmp_path / "chung-nhan.jpg"
    scan.write_bytes(seed.jpeg(1000, 1400, colour=(180, 40, 40)))
    page.get_by_label(starting("Bản chụp giấy chứng nhận")).set_input_files(str(scan))
    producer.shot("certificate-filled")
    producer.follow(page.get_by_role("button", name="Gửi để xác minh"), "certificate submission")
    expect(page.get_by_role("cell", name=f"{number}/QĐ-UBND")).to_be_visible()

    producer.open("/producer/", "producer dashboard")
    producer.follow(page.locator("[data-product]").filter(has_text=product_name)
                    .get_by_role("button", name="Đăng bán"), "publish product")
    producer.shot("published-awaiting-review")

    # the admin verifies the producer, then the certificate (docs/url-contract.md: /admin/...)
    admin = visitor("admin")
    admin.sign_in(world.admin_email)
    admin.shot("admin-dashboard")
    page = admin.page
    _review_first_pending(admin, "Cơ sở sản xuất chờ duyệt", f"HTX Gốm {number}", "verify producer")
    admin.shot("producer-verified")
    admin.open("/admin/", "admin dashboard")
    _review_first_pending(admin, "Chứng nhận OCOP chờ duyệt", product_name, "verify certificate")
    admin.shot("certificate-verified")

    # now any shopper sees it
    shopper = visitor("shopper")
    shopper.open(f"/products?q={product_name}", "catalogue search")
    shopper.follow(shopper.page.get_by_role("link", name=product_name, exact=True).first, "product page")
    expect(shopper.page.get_by_role("heading", level=1)).to_have_text(product_name)
    expect(shopper.page.get_by_role("img", name="4 sao").first).to_be_visible()
    shopper.shot("listed")


def _review_first_pending(admin, card_heading: str, row_text: str, what: str):
    """From the admin overview, open a pending list and verify the row that names ``row_text``."""
    page = admin.page
    card = page.locator(".card").filter(has=page.get_by_role("heading", name=card_heading))
    admin.follow(card.get_by_role("link"), what)
    card = page.locator(".review-card").filter(has_text=row_text)
    admin.follow(card.get_by_role("button", name=starting("Xác minh")), what)
    expect(page.get_by_role("alert").filter(has_text="Đã xác minh")).to_be_visible()


# --- journey 2 ----------------------------------------------------------------------------------

def _filter_catalogue(shopper, village: str, stars: int | None, button: str = "Lọc"):
    page = shopper.page
    drawer = page.get_by_role("button", name=re.compile(r"^(Bộ lọc|Filters)$"))
    if drawer.is_visible():  # phones keep the filters in a drawer
        drawer.click()
        expect(page.locator("#catalog-filters")).to_be_visible()
    page.get_by_role("checkbox", name=starting(village)).check()
    if stars:
        page.get_by_role("checkbox", name=re.compile(rf"^{stars} (sao|stars?)\b")).check()
    shopper.follow(page.get_by_role("button", name=button, exact=True), "catalogue filter")


def _add_to_cart(shopper, product_name: str, button: str):
    """Add from the product page; the sheet that opens offers the cart, here we shop on."""
    page = shopper.page
    shopper.follow(page.get_by_role("link", name=product_name, exact=True).first, "product page")
    expect(page.get_by_role("heading", level=1)).to_have_text(product_name)
    page.get_by_role("button", name=button).click()
    sheet = page.locator("#added-sheet")
    expect(sheet).to_be_visible()
    sheet.get_by_role("button", name=re.compile("^(Tiếp tục mua sắm|Continue shopping)$")).click()
    expect(sheet).to_be_hidden()


def test_a_shopper_finds_by_village_and_stars_switches_to_english_and_checks_out(
        world, visitor, live_server):
    vase = live_server.run(seed.listed_product, "Bình gốm men lam", "Blue-glazed vase",
                           world.bat_trang, [world.bat_trang_outlet], stars=4, price=350000)
    scarf = live_server.run(seed.listed_product, "Khăn lụa tơ tằm", "Mulberry silk scarf",
                            world.van_phuc, [world.van_phuc_outlet], stars=5, price=420000,
                            group="handicrafts")
    shopper = visitor("shopper", locale="vi-VN")
    page = shopper.page
    shopper.open("/", "home page")
    assert shopper.html_lang() == "vi"
    shopper.shot("home-vi")

    shopper.nav("Sản phẩm", "catalogue")
    _filter_catalogue(shopper, "Bát Tràng", 4)
    assert "village=bat-trang" in page.url and "stars=4" in page.url
    expect(page.get_by_role("link", name=vase.name_vi).first).to_be_visible()
    expect(page.get_by_role("link", name=scarf.name_vi)).to_have_count(0)
    shopper.shot("filtered-vi")

    filtered = page.url
    shopper.switch_language("English")
    assert page.url == filtered, "the switch must come back to the same filtered page"
    assert shopper.html_lang() == "en"
    expect(page.get_by_role("heading", level=1)).to_have_text("OCOP products")
    shopper.shot("filtered-en")

    _add_to_cart(shopper, vase.name_en, "Add to cart")
    shopper.nav("Products", "catalogue")
    _filter_catalogue(shopper, "Vạn Phúc", 5, button="Filter")
    _add_to_cart(shopper, scarf.name_en, "Add to cart")

    shopper.nav(re.compile(r"^Cart"), "cart")
    expect(page.locator(".cart-line")).to_have_count(2)
    expect(page.locator("#cart-total")).to_have_text("₫770,000")
    shopper.shot("cart-en")

    shopper.follow(page.get_by_role("main").get_by_role("link", name="Checkout"), "checkout")
    expect(page.get_by_role("heading", name="Pickup 1")).to_be_visible()
    expect(page.get_by_role("heading", name="Pickup 2")).to_be_visible()
    page.get_by_label("Full name", exact=True).fill("Jane Tourist")
    page.get_by_label("Phone number", exact=True).fill("0987 654 321")
    page.get_by_label("E-mail", exact=True).fill("jane@example.com")
    page.get_by_label(starting("Pay at pickup")).check()
    expect(page.locator("#checkout-total, #checkout-total-phone").filter(visible=True)).to_have_text("₫770,000")
    page.locator("#accept_terms").check()  # the terms, agreed separately (issue 22)
    shopper.shot("checkout-en")
    shopper.follow(page.get_by_role("button", name="Place order", exact=True), "place order")

    assert re.search(r"/orders/OC-\d{4}-\d{6}", page.url), page.url
    codes = page.locator("[data-code]")
    expect(codes).to_have_count(2)
    number = page.url.split("/orders/")[1].split("?")[0]
    assert live_server.run(seed.pickup_status, number) == ["confirmed", "confirmed"]
    shopper.shot("order-en")


# --- journey 3 ----------------------------------------------------------------------------------

def _place_pay_at_pickup_order(shopper, product) -> tuple[str, str]:
    """Buy ``product`` in Vietnamese, paying at pickup; return the order number and pickup code."""
    page = shopper.page
    shopper.open(f"/products/{product.slug}", "product page")
    page.get_by_role("button", name="Thêm vào giỏ").click()
    shopper.follow(page.locator("#added-sheet").get_by_role("link", name="Xem giỏ hàng"), "cart")
    shopper.follow(page.get_by_role("main").get_by_role("link", name="Thanh toán"), "checkout")
    page.get_by_label("Họ và tên", exact=True).fill("Trần Thị Mai")
    page.get_by_label("Số điện thoại", exact=True).fill("0912345678")
    page.get_by_label("E-mail", exact=True).fill("mai@example.com")
    page.get_by_label(starting("Trả khi nhận hàng")).check()
    page.locator("#accept_terms").check()  # the terms, agreed separately (issue 22)
    shopper.follow(page.get_by_role("button", name="Đặt hàng", exact=True), "place order")
    number = page.url.split("/orders/")[1].split("?")[0]
    code = page.locator("[data-code]").first.text_content().strip()
    shopper.shot("order-placed")
    return number, code


def test_outlet_staff_receive_the_goods_and_hand_over_with_the_shoppers_code(
        world, visitor, live_server):
    from storefront.orders.models import PICKUP_STATUS_LABELS

    product = live_server.run(seed.listed_product, "Trà sen Tây Hồ", "Tây Hồ lotus tea",
                              world.bat_trang, [world.bat_trang_outlet], stars=4, price=180000,
                              group="beverages", unit_vi="hộp 100 g", unit_en="100 g box")
    shopper = visitor("shopper")
    number, code = _place_pay_at_pickup_order(shopper, product)
    labels = {status: live_server.run(seed.label, text, "vi")
              for status, text in PICKUP_STATUS_LABELS.items()}

    staff = visitor("staff")
    staff.sign_in(world.staff_email[world.bat_trang_outlet])
    page = staff.page
    staff.shot("outlet-dashboard")
    staff.follow(page.get_by_role("link", name=number).first, "pickup page")
    staff.shot("pickup-confirmed")
    receive = page.get_by_role("button", name=re.compile("đã nhận", re.IGNORECASE))
    lines = receive.count()
    assert lines, "the pickup page offers no button to receive a line from the producer"
    for _line in range(lines):
        staff.follow(receive.first, "receive goods")
    expect(page.get_by_text(labels["ready"]).first).to_be_visible()
    assert live_server.run(seed.pickup_status, number) == ["ready"]
    staff.shot("pickup-ready")

    shopper.page.reload()
    expect(shopper.page.locator(".pickup-status").first).to_have_text(labels["ready"])

    page.get_by_label("Mã nhận hàng", exact=True).fill(code)
    # paid at pickup: the one step takes the code and the money and hands over (by transfer here, so
    # the outlet's cash drawer, which the payout journey counts, is left as it was)
    staff.follow(page.get_by_role("button", name=re.compile("chuyển khoản — giao hàng")), "hand over")
    expect(page.get_by_text(labels["collected"]).first).to_be_visible()
    assert live_server.run(seed.pickup_status, number) == ["collected"]
    staff.shot("collected")

    shopper.page.reload()
    expect(shopper.page.locator(".pickup-status").first).to_have_text(labels["collected"])
    shopper.shot("order-collected")
