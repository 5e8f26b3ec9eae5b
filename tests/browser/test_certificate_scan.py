"""A buyer in a shop scans the QR code on an OCOP label with a phone and reads the verdict."""
import io

import pypdfium2
import pytest
import zxingcpp

from tests.browser import seed

pytestmark = pytest.mark.browser

PHONES = {"360": {"width": 360, "height": 740}, "390": {"width": 390, "height": 844}}


def _label_urls(product_id: int) -> list[str]:
    """Print the product's label sheet as its producer would, and read the QR codes on it."""
    from storefront.catalog.models import Product
    from storefront.certificates.labels import Label, label_sheet
    from storefront.catalog.links import absolute_url
    from storefront.extensions import db

    product = db.session.get(Product, product_id)
    certificate = product.current_certificate()
    url = absolute_url("shop.certificate", code=certificate.code)
    pdf = label_sheet([Label(product.name_vi, certificate.stars, certificate.code, url)] * 2)
    page = pypdfium2.PdfDocument(io.BytesIO(pdf))[0]
    return [r.text for r in zxingcpp.read_barcodes(page.render(scale=200 / 72).to_pil())]


def _revoke(product_id: int) -> None:
    from storefront.accounts.models import User
    from storefront.catalog.models import Product
    from storefront.certificates.revocation import revoke
    from storefront.extensions import db

    admin = db.session.scalar(db.select(User).filter_by(email="admin@example.com"))
    revoke(db.session.get(Product, product_id).current_certificate().id,
           "Cơ sở ngừng sản xuất sản phẩm này", by=admin)


@pytest.mark.parametrize("phone", list(PHONES))
def test_scanning_a_label_opens_the_verdict_and_the_product(chromium, live_server, world, screenshots, phone):
    product = live_server.run(seed.listed_product, "Bình gốm men lam", "Blue-glaze vase", world.bat_trang,
                              [world.bat_trang_outlet], stars=5)
    urls = live_server.run(_label_urls, product.id)
    assert len(urls) == 2 and len(set(urls)) == 1 and urls[0].startswith(live_server.url + "/certificates/")
    context = chromium.new_context(viewport=PHONES[phone], is_mobile=True, has_touch=True, locale="vi-VN")
    page = context.new_page()
    try:
        response = page.goto(urls[0])
        assert response.status == 200
        verdict = page.get_by_role("status")
        assert "Còn hiệu lực" in verdict.inner_text()
        assert product.name_vi in page.locator("main").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONES[phone]["width"]
        screenshots.take(page, f"certificate-valid-{phone}")
        page.get_by_role("link", name="Xem sản phẩm trong cửa hàng").click()
        page.wait_for_url(f"**/products/{product.slug}")
        assert product.name_vi in page.locator("h1").inner_text()

        live_server.run(_revoke, product.id)
        page.goto(urls[0])
        text = page.get_by_role("status").inner_text()
        assert "Đã bị thu hồi" in text and "Cơ sở ngừng sản xuất sản phẩm này" in text
        screenshots.take(page, f"certificate-revoked-{phone}")
    finally:
        context.close()
    tourist = chromium.new_context(viewport=PHONES[phone], is_mobile=True, has_touch=True, locale="en-US")
    try:
        page = tourist.new_page()
        page.goto(urls[0])
        assert "Revoked" in page.get_by_role("status").inner_text()
        screenshots.take(page, f"certificate-revoked-en-{phone}")
    finally:
        tourist.close()
