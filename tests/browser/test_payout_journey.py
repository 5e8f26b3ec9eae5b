"""Issue 21 in Chromium at 390 px: a shopper pays at the counter, the outlet hands over, the period
closes, the admin pays the producer by the payout's VietQR, and the producer sees it paid, with
the statement, in Vietnamese and English. Nothing scrolls sideways."""
import pytest
from playwright.sync_api import expect

from tests.browser import seed
from tests.browser.conftest import TIMEOUT_MS

pytestmark = pytest.mark.browser
WIDTH = 390


def _context(chromium, locale="vi-VN"):
    context = chromium.new_context(locale=locale, viewport={"width": WIDTH, "height": 800},
                                   is_mobile=True, has_touch=True)
    context.set_default_timeout(TIMEOUT_MS)
    return context


def _sign_in(page, base, email):
    page.goto(base + "/auth/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(seed.PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    if page.locator("html").get_attribute("lang") != "vi":  # a shared demo account left in English
        with page.expect_navigation():
            page.locator("header form[action$='/lang/vi'] button").first.click()


def _switch(page, button_name):
    toggler = page.locator(".navbar-toggler")
    if toggler.count() and toggler.is_visible():
        toggler.click()
    with page.expect_navigation():
        page.get_by_role("button", name=button_name).first.click()


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH


def _producer_with_account(product_id: int) -> str:
    """Give the product's producer a sign-in and a verified payout account; return the e-mail."""
    from storefront.accounts.models import User
    from storefront.catalog.models import Product
    from storefront.extensions import db
    from storefront.finance import payouts

    product = db.session.get(Product, product_id)
    email = f"payee{product.producer_id}@example.com"
    user = User(email=email, name="Chủ cơ sở", role="producer", producer_id=product.producer_id)
    user.set_password(seed.PASSWORD)
    db.session.add(user)
    db.session.commit()
    account = payouts.change_account(product.producer, user, seed.PASSWORD, "970436",
                                     "0123456789", "HTX GOM", lambda email: None)
    payouts.verify_account(account.id, "admin@example.com")
    return email


def _ready(product_id: int, outlet_name: str) -> dict:
    from storefront.catalog.models import Outlet, Product
    from storefront.extensions import db
    from storefront.orders import services
    from tests.support.checkout_support import place

    outlet = db.session.scalar(db.select(Outlet).filter_by(name=outlet_name))
    placed = place((db.session.get(Product, product_id), 1), outlet=outlet)
    for line in placed.order.pickups[0].lines:
        services.receive_line(line, "outlet")
    return {"code": placed.codes[placed.order.pickups[0].id],
            "pickup": placed.order.pickups[0].id}


def _close_this_period() -> int:
    from storefront.finance import settlement
    from storefront.timeutil import local_today

    return settlement.close_period(*settlement.period_of(local_today()))


def test_the_producer_is_paid_by_vietqr_and_sees_it(chromium, live_server, world, screenshots):
    product = live_server.run(seed.listed_product, "Bình hút lộc", "Fortune jar", world.bat_trang,
                              [world.bat_trang_outlet], price=200000, photo=False)
    producer_email = live_server.run(_producer_with_account, product.id)
    ready = live_server.run(_ready, product.id, world.bat_trang_outlet)
    base = live_server.url
    live_server.app.config["SETTLEMENT_HOLD_DAYS"] = 0  # payable at once, for the journey
    context = _context(chromium)
    try:
        page = context.new_page()
        _sign_in(page, base, world.staff_email[world.bat_trang_outlet])
        page.goto(f"{base}/outlet/pickups/{ready['pickup']}")
        page.locator("#hand-over-code").fill(ready["code"])
        with page.expect_navigation():
            page.evaluate("document.getElementById('hand-over-form').requestSubmit()")
        with page.expect_navigation():
            page.locator("button[name=collected][value=cash]").click()
        expect(page.locator("#counter-paid")).to_be_visible()
        page.goto(f"{base}/outlet/cash")
        expect(page.locator("#expected-cash")).to_contain_text("200.000")
        _fits(page)
        screenshots.take(page, "outlet-cash-vi")

        assert live_server.run(_close_this_period) >= 1
        context.clear_cookies()
        _sign_in(page, base, world.admin_email)
        page.goto(f"{base}/admin/payouts")
        with page.expect_navigation():
            page.get_by_role("button", name="Tạo đợt chi trả").click()
        card = page.locator("[id^=payout-PO]").first
        expect(card).to_contain_text("180.000")  # 200.000 less the 10 % fee
        expect(card.locator("img")).to_be_visible()
        _fits(page)
        screenshots.take(page, "admin-payout-vietqr-vi")
        card.locator("input[name=reference]").fill("FT26339000001")
        with page.expect_navigation():
            card.get_by_role("button", name="Đã chuyển").click()
        expect(page.locator("[id^=payout-PO]").first).to_contain_text("FT26339000001")
        page.goto(f"{base}/admin/finance")
        expect(page.locator("#trial-balance")).to_have_class("fw-semibold text-success")
        _fits(page)

        context.clear_cookies()
        _sign_in(page, base, producer_email)
        page.goto(f"{base}/producer/earnings")
        expect(page.locator("#payouts-heading + p")).to_contain_text("Đã chi trả")
        _fits(page)
        screenshots.take(page, "producer-earnings-vi")
        _switch(page, "English")
        expect(page.locator("h1")).to_have_text("Earnings")
        expect(page.locator("#payouts-heading + p")).to_contain_text("Paid out")
        screenshots.take(page, "producer-earnings-en")
        with page.expect_navigation():
            page.locator("a[href*='/producer/earnings/statements/']").first.click()
        _fits(page)
        screenshots.take(page, "producer-statement")
    finally:
        live_server.app.config["SETTLEMENT_HOLD_DAYS"] = 3
        context.close()
