"""What people see of VietQR transfers: the order page's QR (decoded back from its image), the
order mail, the outlet counter, and checkout through the web."""
import io
import re

import pytest
import zxingcpp
from PIL import Image

from storefront.extensions import db as _db
from storefront.models import Order
from storefront.notifications.models import OutboxMessage
from storefront.orders.models import PaymentStatus
from storefront.payments import vietqr
from storefront.payments.transfers import payment_request
from tests.support.checkout_support import CONTACT
from tests.support.factories import OutletFactory, ProductFactory, StaffUserFactory
from tests.support.transfer_support import (  # noqa: F401 — app: the fixture with the bank account
    ACCOUNT, app, fresh, notification, post, transfer_order,
)


def decoded(png: bytes) -> str:
    """Read the QR code in a PNG the way a banking app's camera would."""
    (result,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("L"))
    return result.text


def order_page(client, placed) -> str:
    return client.get(f"/orders/{placed.order.number}?t={placed.access_token}").get_data(as_text=True)


def test_the_order_pages_qr_decodes_to_the_exact_payload(app, client):
    placed, _products = transfer_order(quantity=2, price=175_000)
    order = placed.order
    page = order_page(client, placed)
    src = re.search(r'<img class="vietqr-image[^>]* src="([^"]+)"', page)[1]
    image = client.get(src)
    assert image.status_code == 200 and image.mimetype == "image/png"
    assert image.headers["Cache-Control"] == "private, no-store"
    payload = decoded(image.data)
    assert payload == payment_request(order).payload
    assert vietqr.decode(payload) == vietqr.Transfer("970436", "1023456789", 350_000,
                                                     order.payment_code)


def test_the_order_page_lists_the_transfer_as_text_with_copy_buttons_and_a_countdown(app, client):
    placed, _products = transfer_order(quantity=2, price=175_000)
    page = order_page(client, placed)
    box = page.split('id="vietqr"')[1].split("</section>")[0]
    for text in ("Vietcombank", "1023456789", "HTX OCOP HA NOI", "350.000", placed.order.payment_code):
        assert text in box
    copies = re.findall(r'data-copy="([^"]+)"', box)
    assert copies == ["1023456789", "HTX OCOP HA NOI", "350000", placed.order.payment_code]
    assert "còn 60 phút" in box and "data-deadline" in box
    assert re.search(r'<script src="[^"]*vietqr[^"]*\.js"', page)
    assert not re.search(r"<script>|<script [^>]*>[^<]", box)  # no inline script (CSP)
    assert not re.search(r"\son[a-z]+=", box) and 'style="' not in box  # CSP: no handlers, no styles


def test_a_phone_that_must_pay_can_save_the_qr_and_open_a_bank_app(app, client):
    """Vietnamese bank apps scan from the gallery; some open from vietqr.io's published deeplinks."""
    placed, _products = transfer_order(quantity=2, price=175_000)
    order = placed.order
    box = order_page(client, placed).split('id="vietqr"')[1].split("</section>")[0]
    save = re.search(r'<a [^>]*href="([^"]+)" download="([^"]+)" id="vietqr-save"', box)
    assert save[2] == f"VietQR-{order.number}.png"
    saved = client.get(save[1])
    assert saved.mimetype == "image/png" and decoded(saved.data) == payment_request(order).payload
    links = re.findall(r'href="(https://dl\.vietqr\.io/pay\?[^"]+)"', box)
    assert [re.search(r"app=(\w+)", link)[1] for link in links] == ["mb", "icb", "acb", "ocb"]
    code = order.payment_code
    for link in links:  # the shop's account at Vietcombank (vcb), the amount due, the payment code
        assert f"&ba=1023456789@vcb&am=350000&tn={code}&bn=HTX%20OCOP%20HA%20NOI" in link.replace("&amp;", "&")


def test_no_bank_app_link_is_guessed_for_a_bank_without_a_known_code():
    from storefront.payments.bank_apps import app_links

    assert app_links("970999", "123", 1000, "OC1") == []
    assert app_links("970422", "123", 1000, "OC 1")[0] == (
        "MBBank", "https://dl.vietqr.io/pay?app=mb&ba=123@mb&am=1000&tn=OC%201")


def test_the_qr_is_for_the_order_holder_only(app, client):
    placed, _products = transfer_order()
    assert client.get(f"/orders/{placed.order.number}/vietqr.png").status_code == 404
    assert client.get(f"/orders/{placed.order.number}/vietqr.png?t=wrong").status_code == 404
    assert client.get(f"/orders/{placed.order.number}/vietqr.png?t={placed.access_token}").status_code == 200


def test_once_paid_the_page_shows_paid_instead_of_the_qr(app, client):
    placed, _products = transfer_order()
    post(client, notification(placed.order.payment_code, placed.order.total))
    page = order_page(client, placed)
    assert 'id="vietqr"' not in page
    assert re.search(r'id="payment-status"[^>]*>\s*Đã thanh toán', page)
    assert client.get(f"/orders/{placed.order.number}/vietqr.png?t={placed.access_token}").status_code == 404


def test_after_a_partial_transfer_the_qr_asks_for_the_rest(app, client):
    placed, _products = transfer_order(quantity=2, price=150_000)
    post(client, notification(placed.order.payment_code, 100_000))
    page = order_page(client, placed)
    text = re.sub(r"<[^>]+>", "", page)  # amounts are spans that keep them on one line
    assert "Đã nhận 100.000" in text and "200.000" in page.split('id="vietqr-partial"')[1]
    src = re.search(r'<img class="vietqr-image[^>]* src="([^"]+)"', page)[1]
    assert vietqr.decode(decoded(client.get(src).data)).amount == 200_000


def test_the_order_mail_carries_the_transfer_details_and_the_qr_link(app, client):
    placed, _products = transfer_order(quantity=1, price=90_000)
    mail = _db.session.scalars(_db.select(OutboxMessage).where(OutboxMessage.kind == "order_placed")).one()
    for text in ("Vietcombank", "1023456789", "HTX OCOP HA NOI", "90.000", placed.order.payment_code,
                 "chuyển khoản ngân hàng (VietQR)"):
        assert text in mail.body
    link = re.search(r"http://localhost(/orders/\S+/vietqr\.png\?t=\S+)", mail.body)[1]
    assert decoded(client.get(link).data) == payment_request(placed.order).payload


def test_checkout_through_the_web_places_a_transfer_order(app, client):
    outlet = OutletFactory()
    product = ProductFactory(price=120_000, stock=4, outlets=[outlet])
    client.post("/cart/add", data={"product_id": product.id, "quantity": 2})
    page = client.get("/checkout").get_data(as_text=True)
    assert 'value="vietqr"' in page and "Chuyển khoản ngân hàng (VietQR)" in page
    client.post("/checkout", data={"name": CONTACT.name, "phone": CONTACT.phone, "email": CONTACT.email,
                                   "outlet_id": outlet.id, "payment_method": "vietqr", "review": "1"})
    review = client.get("/checkout/review").get_data(as_text=True)
    token = re.search(r'name="checkout_token" type="hidden" value="([^"]+)"', review)[1]
    response = client.post("/checkout/place", data={"accept_terms": "y", "checkout_token": token})
    order = _db.session.scalars(_db.select(Order)).one()
    assert response.headers["Location"] == f"/orders/{order.number}"
    assert order.payment_method == "vietqr" and order.payment_status == PaymentStatus.PENDING
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'id="vietqr"' in page and "240.000" in page


# --- at the outlet's counter -----------------------------------------------------------------

@pytest.fixture
def at_pickup(app):
    placed, _products = transfer_order(quantity=1, price=80_000, method="at_pickup", outlets=2)
    return placed


def test_a_pay_at_pickup_order_shows_its_vietqr_at_the_counter(app, client, login, at_pickup):
    order = at_pickup.order
    pickup = order.pickups[0]
    login(StaffUserFactory(outlet=pickup.outlet))
    page = client.get(f"/outlet/pickups/{pickup.id}").get_data(as_text=True)
    src = re.search(r'<img class="vietqr-image[^>]* src="([^"]+)"', page)[1]
    transfer = vietqr.decode(decoded(client.get(src).data))
    assert transfer.amount == 80_000 and transfer.note == order.payment_code
    other = order.pickups[1]
    assert client.get(f"/outlet/pickups/{other.id}/vietqr.png").status_code == 404


def test_staff_record_a_transfer_seen_at_the_counter(app, client, login, at_pickup):
    order = at_pickup.order
    pickup = order.pickups[0]
    login(StaffUserFactory(outlet=pickup.outlet))
    bad = client.post(f"/outlet/pickups/{pickup.id}/transfers",
                      data={"amount": "tám mươi nghìn", "reference": "FT1"}, follow_redirects=True)
    assert "Vui lòng nhập số tiền bằng chữ số" in bad.get_data(as_text=True)
    assert fresh(order).amount_received == 0
    client.post(f"/outlet/pickups/{pickup.id}/transfers", data={"amount": "80.000", "reference": "FT2"})
    client.post(f"/outlet/pickups/{pickup.id}/transfers", data={"amount": "80000", "reference": "FT3"})
    order = fresh(order)
    assert order.amount_received == 160_000 and order.payment_status == PaymentStatus.PAID
    page = client.get(f"/outlet/pickups/{pickup.id}").get_data(as_text=True)
    assert 'id="transfer-paid"' in page and "FT2" in page and "FT3" in page
    late = client.post(f"/outlet/pickups/{pickup.id}/transfers", data={"amount": "1000", "reference": "FT4"},
                       follow_redirects=True)
    assert "không còn chờ thanh toán" in late.get_data(as_text=True)


def test_staff_of_another_outlet_cannot_record_a_transfer(app, client, login, at_pickup):
    pickup = at_pickup.order.pickups[0]
    login(StaffUserFactory(outlet=OutletFactory()))
    response = client.post(f"/outlet/pickups/{pickup.id}/transfers",
                           data={"amount": "80000", "reference": "FT9"})
    assert response.status_code == 404 and fresh(at_pickup.order).amount_received == 0


def test_english_pages_explain_the_transfer_in_english(app, client):
    placed, _products = transfer_order()
    client.post("/lang/en", data={"next": "/"})
    box = order_page(client, placed).split('id="vietqr"')[1].split("</section>")[0]
    for text in ("Pay by bank transfer to complete your order", "Account number", "Transfer reference",
                 "60 minutes left"):
        assert text in box
