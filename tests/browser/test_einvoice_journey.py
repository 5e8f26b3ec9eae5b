"""Issue 23 in Chromium at 390 px: a company buyer checks out asking for a company invoice (the
review shows it), the outlet collects the cash and hands over, and the order page shows the
e-invoice — number, series, look-up code — whose PDF opens. The server issues through the Viettel
S-Invoice stand-in (tests/support/einvoice_server.py), started here on a free port. Screenshots of the
order page in Vietnamese and English.
"""
import logging
import re
import threading
from http.server import ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from tests.browser import seed
from tests.browser.conftest import TIMEOUT_MS, LiveServer, _config, _free_port
from tests.support.einvoice_server import SERIES, TEMPLATE, FakeSInvoice, _handler, einvoice_config

pytestmark = pytest.mark.browser
WIDTH = 390
COMPANY = {"legal_name": "CÔNG TY CP QUÀ TẶNG VIỆT", "address": "5 Lý Thái Tổ, Hà Nội",
           "tax_code": "0101245486", "email": "ketoan@quatang.vn"}


@pytest.fixture(scope="module")
def stand_in():
    """The provider's stand-in on a free localhost port, for this module's server."""
    fake = FakeSInvoice()
    server = ThreadingHTTPServer(("127.0.0.1", _free_port()), _handler(fake))
    server.daemon_threads = True
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def invoicing_server(tmp_path_factory, smtp_inbox, stand_in):
    """The shop with EINVOICE_PROVIDER=viettel pointing at the stand-in, on its own port."""
    from flask import got_request_exception
    from werkzeug.serving import make_server

    from storefront import create_app
    from storefront.extensions import db
    from storefront.invoices import viettel
    from tools import catalogs

    catalogs.compile_catalogs()
    viettel.forget_tokens()
    controller, inbox = smtp_inbox
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    base = _config(tmp_path_factory.mktemp("einvoice-browser"), controller.port, url)
    app = create_app(type("InvoicingConfig", (base,), einvoice_config(stand_in.url)))
    with app.app_context():
        db.create_all()
    server = LiveServer(url=url, app=app, mail=inbox)
    got_request_exception.connect(
        lambda sender, exception, **extra: server.errors.append(repr(exception)), app, weak=False)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    httpd = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield server
    httpd.shutdown()
    thread.join(timeout=10)


def _context(chromium, locale="vi-VN"):
    context = chromium.new_context(locale=locale, viewport={"width": WIDTH, "height": 844},
                                   is_mobile=True, has_touch=True)
    context.set_default_timeout(TIMEOUT_MS)
    return context


def _receive_everything(number: str) -> int:
    from storefront.extensions import db
    from storefront.orders import services
    from storefront.orders.models import Order

    order = db.session.scalar(db.select(Order).filter_by(number=number))
    pickup = order.pickups[0]
    for line in pickup.lines:
        services.receive_line(line, "outlet")
    return pickup.id


def _kept_buyer(number: str) -> dict:
    from storefront.extensions import db
    from storefront.invoices.models import InvoiceBuyer
    from storefront.orders.models import Order

    order = db.session.scalar(db.select(Order).filter_by(number=number))
    buyer = db.session.get(InvoiceBuyer, order.id)
    return {"legal_name": buyer.legal_name, "address": buyer.address, "tax_code": buyer.tax_code,
            "email": buyer.email}


def _switch(page, button_name):
    toggler = page.locator(".navbar-toggler")
    if toggler.count() and toggler.is_visible():
        toggler.click()
    with page.expect_navigation():
        page.get_by_role("button", name=button_name).first.click()


def test_a_company_buyer_gets_an_e_invoice_at_hand_over_and_its_pdf_opens(chromium, invoicing_server,
                                                                          stand_in, screenshots):
    server = invoicing_server
    world = server.run(seed.build_world)
    product = server.run(seed.listed_product, "Trà sen quà tặng", "Lotus tea gift box", world.bat_trang,
                         [world.bat_trang_outlet], price=250000, stock=10, unit_vi="hộp",
                         unit_en="box", photo=False)
    buyer = _context(chromium)
    staff = _context(chromium)
    try:
        page = buyer.new_page()
        page.goto(f"{server.url}/products/{product.slug}")
        with page.expect_response(lambda response: "/cart/add" in response.url):
            page.locator("form[action$='/cart/add'] button[type=submit]").first.click()
        page.goto(server.url + "/checkout")
        page.get_by_label("Họ và tên", exact=True).fill("Lê Văn Mua")
        page.get_by_label("Số điện thoại", exact=True).fill("0912345678")
        page.get_by_label("E-mail", exact=True).fill("mua@example.com")
        page.locator("details.company-invoice summary").click()
        page.locator("#company_invoice").check()
        page.locator("#company_name").fill(COMPANY["legal_name"])
        page.locator("#company_address").fill(COMPANY["address"])
        page.locator("#company_tax_code").fill(COMPANY["tax_code"])
        page.locator("#company_email").fill(COMPANY["email"])
        with page.expect_navigation():  # sent without "place": the review page comes next
            page.evaluate("document.getElementById('checkout-form').requestSubmit()")
        company = page.locator(".review-company")
        expect(company).to_contain_text(COMPANY["legal_name"])
        expect(company).to_contain_text(COMPANY["tax_code"])
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
        screenshots.take(page, "review-company-vi")
        page.locator("#accept_terms").check()
        with page.expect_navigation():
            page.get_by_role("button", name="Đặt hàng").click()
        number = page.url.split("/orders/")[1].split("?")[0]
        order_url = page.url
        code = page.locator("[data-code]").first.text_content().strip()
        assert server.run(_kept_buyer, number) == COMPANY
        expect(page.locator(".no-invoice")).to_contain_text("khi bạn nhận hàng")

        pickup_id = server.run(_receive_everything, number)
        counter = staff.new_page()
        counter.goto(server.url + "/auth/login")
        counter.locator("input[name=email]").fill(world.staff_email[world.bat_trang_outlet])
        counter.locator("input[name=password]").fill(seed.PASSWORD)
        with counter.expect_navigation():
            counter.locator("main form button[type=submit]").first.click()
        counter.goto(f"{server.url}/outlet/pickups/{pickup_id}")
        counter.locator("#hand-over-code").fill(code)
        with counter.expect_navigation():
            counter.evaluate("document.getElementById('hand-over-form').requestSubmit()")
        expect(counter.locator("[data-due]").first).to_contain_text("250.000")
        with counter.expect_navigation():
            counter.locator("button[name=collected][value=cash]").click()
        expect(counter.locator("#counter-paid")).to_be_visible()
        expect(counter.locator("#return-form")).to_be_visible()  # goods given back, from here on
        screenshots.take(counter, "counter-handed-over-vi")

        (issued,) = stand_in.created()
        assert issued.body["buyerInfo"]["buyerTaxCode"] == COMPANY["tax_code"]
        assert issued.body["buyerInfo"]["buyerLegalName"] == COMPANY["legal_name"]
        page.goto(order_url)
        invoice = page.locator(".order-invoices .invoice").first
        expect(invoice.locator(".invoice-number")).to_have_text(issued.number)
        expect(invoice.locator(".invoice-series")).to_contain_text(f"{TEMPLATE} · {SERIES}")
        expect(invoice.locator(".invoice-lookup")).to_have_text(issued.reservation_code)
        expect(invoice.locator(".invoice-qr-box svg")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
        page.locator("#invoices").scroll_into_view_if_needed()
        screenshots.take(page, "order-invoice-vi")

        link = invoice.locator("a.invoice-pdf")
        href = link.get_attribute("href")
        assert href.startswith(server.url + "/invoices/") and href.endswith(".pdf")
        with buyer.expect_event("response", lambda r: r.url == href) as opened:
            link.click()  # opens in a new tab
        assert opened.value.status == 200
        assert opened.value.header_value("content-type") == "application/pdf"
        pdf = buyer.request.get(href)
        assert pdf.ok and pdf.body().startswith(b"%PDF")

        _switch(page, "English")
        page.goto(order_url)
        expect(page.locator("#invoices-title")).to_have_text("E-invoices")
        expect(page.locator(".order-invoices a.invoice-pdf").first).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
        page.locator("#invoices").scroll_into_view_if_needed()
        screenshots.take(page, "order-invoice-en")
    finally:
        buyer.close()
        staff.close()
    assert not server.errors, f"the app raised while serving this test: {server.errors}"
    assert len(stand_in.created()) == 1
