"""Label sheets: a PDF whose QR codes open each product's certificate page."""
import io

import pypdfium2
import pytest
import zxingcpp

from storefront.certificates.labels import LAYOUTS
from storefront.extensions import db
from tests.support.factories import CertificateFactory, ProducerUserFactory, ProductFactory


def _qr_texts(pdf: bytes) -> list[list[str]]:
    """Render each page and read every QR code on it."""
    document = pypdfium2.PdfDocument(io.BytesIO(pdf))
    pages = []
    for page in document:
        image = page.render(scale=200 / 72).to_pil()
        pages.append(sorted(r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode))
    return pages


@pytest.fixture
def producer_user(app):
    return ProducerUserFactory()


def test_each_label_qr_opens_its_certificate_page(client, login, producer_user):
    vase = ProductFactory(producer=producer_user.producer, name_vi="Bình gốm men rạn Bát Tràng", certified=5)
    silk = ProductFactory(producer=producer_user.producer, name_vi="Khăn lụa tơ tằm Vạn Phúc", certified=4)
    login(producer_user)
    response = client.get("/producer/labels", query_string={
        "product": [vase.id, silk.id], "layout": "a4-3x8", "count": 3})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "private, no-store"
    [page] = _qr_texts(response.data)
    codes = {vase.certificates[0].code, silk.certificates[0].code}
    assert sorted(page) == sorted([f"http://localhost/certificates/{code}" for code in codes] * 3)


def test_a_full_sheet_then_a_second_page(client, login, producer_user):
    product = ProductFactory(producer=producer_user.producer, certified=3)
    login(producer_user)
    layout = LAYOUTS["a4-2x7"]
    response = client.get("/producer/labels", query_string={
        "product": product.id, "layout": layout.key, "count": layout.per_sheet + 1})
    pages = _qr_texts(response.data)
    assert [len(p) for p in pages] == [layout.per_sheet, 1]


def test_labels_are_only_for_own_products_with_a_valid_certificate(client, login, producer_user):
    other = ProductFactory()  # another producer's
    expired = ProductFactory(producer=producer_user.producer, certified=False)
    CertificateFactory(product=expired, decision_date=__import__("datetime").date(2020, 1, 1),
                       expires_on=__import__("datetime").date(2023, 1, 1))
    login(producer_user)
    page = client.get("/producer/labels").get_data(as_text=True)
    assert other.name_vi not in page and expired.name_vi not in page
    for product in (other, expired):
        response = client.get("/producer/labels", query_string={"product": product.id, "count": 1})
        assert response.status_code == 400 and response.mimetype == "text/html"


@pytest.mark.parametrize("count", ["0", "481", "abc", ""])
def test_a_wrong_count_is_refused_with_a_message(client, login, producer_user, count):
    product = ProductFactory(producer=producer_user.producer)
    login(producer_user)
    response = client.get("/producer/labels", query_string={"product": product.id, "count": count})
    assert response.status_code == 400
    assert "Số nhãn" in response.get_data(as_text=True) or "số nhãn" in response.get_data(as_text=True)


def test_labels_need_a_producer_account(client, login, app):
    assert client.get("/producer/labels").status_code == 302  # to sign in
