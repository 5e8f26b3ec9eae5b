"""Issue 24's journey at 390 px: book two adults and a child with goods in one order, pay by VietQR,
get the ticket and its .ics, and be checked in at the outlet by camera.

The camera is a canvas: an init script replaces ``getUserMedia`` with the stream of a canvas on
which the ticket's QR code (made by segno from the code the order page shows) is drawn, so the
counter's own scanner (static/js/scanner.js with the vendored jsQR) reads it as it would a phone.
"""
import json
import re

import pytest
import segno
from playwright.sync_api import expect

from tests.browser import seed
from tests.browser.test_vietqr_journey import bank_notifies, transfers_on  # noqa: F401 — fixture

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
WIDER = "() => document.documentElement.scrollWidth"

FAKE_CAMERA = """
(() => {
  const modules = %s, size = modules.length, cell = 8, side = size * cell;
  const canvas = document.createElement('canvas');
  canvas.width = side; canvas.height = side;
  const draw = () => {
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, side, side); ctx.fillStyle = '#000';
    modules.forEach((row, y) => row.forEach((on, x) => { if (on) ctx.fillRect(x * cell, y * cell, cell, cell); }));
  };
  draw(); setInterval(draw, 200);
  navigator.mediaDevices.getUserMedia = async () => canvas.captureStream(10);
})();
"""


def _workshop(outlet_name: str, village_slug: str) -> dict:
    """A listed pottery class at the outlet, one session in three days at 09:00 Hanoi, 12 seats."""
    from datetime import datetime, time, timedelta, timezone

    from storefront.catalog.models import Outlet, Village
    from storefront.experiences.models import Experience, ExperienceSession, PersonType
    from storefront.extensions import db
    from storefront.timeutil import HANOI, local_today
    from tests.support.factories import ProducerFactory, ProductFactory

    village = db.session.scalar(db.select(Village).filter_by(slug=village_slug))
    outlet = db.session.scalar(db.select(Outlet).filter_by(name=outlet_name))
    product = ProductFactory(producer=ProducerFactory(village=village), name_vi="Lớp làm gốm cùng nghệ nhân",
                             name_en="Pottery class with a master potter", group="tourism", stock=0,
                             price=250000, slug="lop-lam-gom-nghe-nhan")
    experience = Experience(product=product, place_kind="outlet", outlet=outlet, duration_minutes=120,
                            cutoff_minutes=60, languages="vi,en")
    experience.person_types = [
        PersonType(code="adult", label_vi="Người lớn", label_en="Adult", price=250000),
        PersonType(code="child", label_vi="Trẻ em", label_en="Child", price=150000, position=1)]
    day = local_today() + timedelta(days=3)
    starts = datetime.combine(day, time(9), HANOI).astimezone(timezone.utc).replace(tzinfo=None)
    db.session.add_all([experience, ExperienceSession(experience=experience, starts_at=starts,
                                                      ends_at=starts + timedelta(hours=2), day=day,
                                                      capacity=12)])
    db.session.commit()
    return {"slug": product.slug, "day": day.isoformat()}


def _booking_status(number: str) -> list[str]:
    from storefront.extensions import db
    from storefront.orders.models import Order
    order = db.session.scalar(db.select(Order).filter_by(number=number))
    db.session.refresh(order)
    return [(b.status, b.seats) for b in order.bookings]


def _ticket_mail(number: str) -> str:
    from storefront.extensions import db
    from storefront.notifications.models import OutboxMessage
    from storefront.orders.models import Order
    order = db.session.scalar(db.select(Order).filter_by(number=number))
    return db.session.scalar(db.select(OutboxMessage.body).filter_by(order_id=order.id, kind="experience_ticket"))


def _english(page) -> None:
    toggler = page.locator(".navbar-toggler")
    if toggler.count() and toggler.is_visible():
        toggler.click()
    with page.expect_navigation():
        page.get_by_role("button", name="English").first.click()


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_book_a_workshop_with_goods_pay_by_vietqr_and_check_in_by_camera(
        chromium, world, visitor, live_server, transfers_on, viewport, screenshots):
    workshop = live_server.run(_workshop, world.bat_trang_outlet, world.bat_trang)
    product = live_server.run(seed.listed_product, "Bát gốm men lam", "Blue-glaze bowl", world.bat_trang,
                              [world.bat_trang_outlet], price=90000)
    shopper = visitor("booking")
    page = shopper.page

    shopper.open(f"/experiences/{workshop['slug']}", "experience page")
    form = page.locator("#book")
    form.get_by_label(re.compile("^Người lớn")).fill("2")
    form.get_by_label(re.compile("^Trẻ em")).fill("1")
    assert page.evaluate(WIDER) <= 390
    shopper.shot("experience-book")
    shopper.follow(form.get_by_role("button", name="Thêm vào giỏ hàng"), "add the booking")
    shopper.open(f"/products/{product.slug}", "product page")
    with page.expect_response(lambda r: "/cart/add" in r.url and r.request.method == "POST"):
        page.get_by_role("button", name="Thêm vào giỏ").click()
    shopper.open("/cart", "cart")
    expect(page.locator("#cart-total")).to_have_text(re.compile("740.000"))  # 90k + 2 x 250k + 150k
    assert page.evaluate(WIDER) <= 390
    shopper.shot("cart")

    shopper.follow(page.get_by_role("main").get_by_role("link", name="Thanh toán"), "checkout")
    page.get_by_label("Họ và tên", exact=True).fill("Trần Minh Anh")
    page.get_by_label("Số điện thoại", exact=True).fill("0912000111")
    page.get_by_label("E-mail", exact=True).fill("minhanh@example.com")
    page.get_by_label(re.compile(r"^\s*Chuyển khoản ngân hàng")).check()
    review = page.get_by_role("button", name="Xem lại đơn hàng")
    if review.count():
        shopper.follow(review, "order review")
    expect(page.get_by_role("main")).to_contain_text("740.000")
    expect(page.get_by_role("main")).to_contain_text("Lớp làm gốm cùng nghệ nhân")
    shopper.shot("review")
    page.locator("#accept_terms").check()
    shopper.follow(page.get_by_role("button", name="Đặt hàng").last, "place order")
    expect(page.locator(".booking-status")).to_have_text(re.compile("chờ thanh toán", re.I))
    shopper.shot("held-while-paying")

    code = page.locator("#vietqr [data-copy^='OCOP']").get_attribute("data-copy")
    assert bank_notifies(live_server.url, code, 740000)["success"] is True
    expect(page.locator("#payment-status")).to_have_text(re.compile("Đã thanh toán"), timeout=15000)
    page.reload()
    ticket = page.locator("[data-ticket]")
    expect(ticket).to_be_visible()
    number = page.url.split("/orders/")[1].split("?")[0]
    assert live_server.run(_booking_status, number) == [("confirmed", 3)]
    assert page.evaluate(WIDER) <= 390
    shopper.shot("ticket")
    ics = page.request.get(page.locator(".ticket-code a[download]").get_attribute("href"))
    assert ics.status == 200 and ics.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in ics.text() and "Lớp làm gốm cùng nghệ nhân" in ics.text()
    ticket_code = ticket.inner_text().strip()
    assert ticket_code in live_server.run(_ticket_mail, number)
    order_url = page.url
    _english(page)
    page.goto(order_url)
    expect(page.locator("[data-ticket]")).to_be_visible()
    shopper.shot("ticket-en")
    page.goto(f"{live_server.url}/experiences/{workshop['slug']}")
    shopper.shot("experience-book-en")

    staff = chromium.new_context(locale="vi-VN", **PHONE)
    matrix = [[bool(v) for v in row] for row in segno.make_qr(ticket_code, error="m").matrix]
    staff.add_init_script(FAKE_CAMERA % json.dumps(matrix))
    try:
        desk = staff.new_page()
        desk.goto(live_server.url + "/auth/login")
        desk.locator("input[name=email]").fill(world.staff_email[world.bat_trang_outlet])
        desk.locator("input[name=password]").fill(seed.PASSWORD)
        with desk.expect_navigation():
            desk.locator("main form button[type=submit]").first.click()
        desk.goto(f"{live_server.url}/outlet/check-in?day={workshop['day']}")
        expect(desk.locator(".expected")).to_contain_text("Trần Minh Anh")
        assert desk.evaluate(WIDER) <= 390
        screenshots.take(desk, "booking-checkin-expected-vi")
        with desk.expect_navigation(timeout=15000):
            desk.get_by_role("button", name="Quét mã QR của khách").click()
        expect(desk.locator(".expected .badge")).to_have_text(re.compile("Đã check-in"))
        screenshots.take(desk, "booking-checkin-done-vi")
        assert live_server.run(_booking_status, number) == [("checked_in", 3)]
        desk.locator("#ticket-code").fill(ticket_code)
        with desk.expect_navigation():
            desk.locator("#checkin-form button[type=submit]").click()
        expect(desk.get_by_text("Vé này đã được check-in rồi.")).to_be_visible()  # once only
        _english(desk)
        desk.goto(f"{live_server.url}/outlet/check-in?day={workshop['day']}")
        screenshots.take(desk, "booking-checkin-en")
    finally:
        staff.close()
