"""A shopper on a 390 px phone pays by VietQR transfer and sees the order confirmed.

The test plays the bank: it reads the amount and payment code the page shows and posts the
bank-transaction notification (SePay's format) to the live server, as the service would.
"""
import itertools
import json
import re
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.browser import seed

pytestmark = pytest.mark.browser
KEY = "browser-sepay-key"
ACCOUNT = {"VIETQR_BANK_BIN": "970415", "VIETQR_ACCOUNT_NUMBER": "113366668888",
           "VIETQR_ACCOUNT_NAME": "HTX GOM BAT TRANG", "BANK_WEBHOOK_API_KEY": KEY}


@pytest.fixture
def transfers_on(live_server):
    """Turn VietQR on for this test only (the server is shared by the session's tests)."""
    config = live_server.app.config
    before = {key: config.get(key) for key in ACCOUNT}
    config.update(ACCOUNT)
    yield
    config.update(before)


_TRANSACTION_IDS = itertools.count(880001)


def bank_notifies(server_url: str, code: str, amount: int) -> dict:
    # Each notification its own bank transaction id: the webhook ignores an id it has seen, and the
    # booking journey on the same live server notifies too.
    body = {"id": next(_TRANSACTION_IDS), "gateway": "VietinBank", "transactionDate": "2026-11-30 10:15:00",
            "accountNumber": ACCOUNT["VIETQR_ACCOUNT_NUMBER"], "code": None,
            "content": f"{code} CHUYEN TIEN", "transferType": "in", "transferAmount": amount,
            "accumulated": amount, "referenceCode": f"FT2633{code[-6:]}", "description": ""}
    request = urllib.request.Request(
        server_url + "/payments/bank/webhook", data=json.dumps(body).encode(), method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Apikey {KEY}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_a_shopper_pays_by_transfer_and_sees_the_order_confirmed(
        world, visitor, live_server, transfers_on, viewport):
    product = live_server.run(seed.listed_product, "Chén gốm men rạn", "Crackle-glaze cup",
                              world.bat_trang, [world.bat_trang_outlet], price=85000)
    shopper = visitor("shopper")
    page = shopper.page
    shopper.open(f"/products/{product.slug}", "product page")
    with page.expect_response(lambda r: "/cart/add" in r.url and r.request.method == "POST"):
        page.get_by_role("button", name="Thêm vào giỏ").click()  # a page load, or a script's fetch
    shopper.open("/cart", "cart")
    shopper.follow(page.get_by_role("main").get_by_role("link", name="Thanh toán"), "checkout")
    page.get_by_label("Họ và tên", exact=True).fill("Lê Thu Hà")
    page.get_by_label("Số điện thoại", exact=True).fill("0903123456")
    page.get_by_label("E-mail", exact=True).fill("thuha@example.com")
    page.get_by_label(re.compile(r"^\s*Chuyển khoản ngân hàng")).check()
    shopper.shot("checkout")
    review = page.get_by_role("button", name="Xem lại đơn hàng")
    if review.count():  # a checkout with a separate review step
        shopper.follow(review, "order review")
    page.locator("#accept_terms").check()  # the terms, agreed separately (issue 22)
    shopper.follow(page.get_by_role("button", name="Đặt hàng").last, "place order")

    box = page.locator("#vietqr")
    expect(box).to_be_visible()
    qr = box.locator("img.vietqr-image")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    expect(box).to_contain_text("VietinBank")
    expect(box).to_contain_text("113366668888")
    expect(box).to_contain_text("85.000")
    expect(box.locator("button[data-copy]").first).to_be_visible()  # the script ran
    expect(box.locator("[data-countdown]")).to_have_text(re.compile(r"^\d+:\d\d$"))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways ({width} px)"
    shopper.shot("transfer-qr")

    code = box.locator("[data-copy^='OCOP']").get_attribute("data-copy")
    assert re.fullmatch(r"OCOP\d{8}", code)
    assert bank_notifies(live_server.url, code, 85000)["success"] is True

    # the page notices the payment by itself and shows the order confirmed
    expect(page.locator("#payment-status")).to_have_text(re.compile("Đã thanh toán"), timeout=15000)
    expect(page.locator("#vietqr")).to_have_count(0)
    expect(page.locator("[data-code]").first).to_be_visible()
    shopper.shot("transfer-paid")
    number = page.url.split("/orders/")[1].split("?")[0]
    assert live_server.run(seed.pickup_status, number) == ["confirmed"]
