"""E-invoice pages: the company invoice at checkout (tax code checked with python-stdnum), the
admins' list of invoices not issued (retry, fix the buyer), the producer's VAT rate."""
import re

from storefront.extensions import db
from storefront.invoices import services
from storefront.invoices.models import InvoiceBuyer, InvoiceStatus
from storefront.models import Order, Product
from storefront.timeutil import utcnow
from tests.support.checkout_support import make_shop
from tests.support.einvoice_server import einvoice_app, einvoice_server  # noqa: F401
from tests.support.factories import PASSWORD, AdminFactory, ProductFactory, ProducerUserFactory
from tests.test_einvoices import _hand_over, _invoices, _ready_pickup

CUSTOMER = {"name": "Nguyễn Văn Khách", "phone": "0912345678", "email": "khach@example.com"}
COMPANY = {"company_invoice": "y", "company_name": "CÔNG TY CP QUÀ TẶNG VIỆT",
           "company_address": "5 Lý Thái Tổ, Hà Nội", "company_tax_code": "0101245486",
           "company_email": "ketoan@quatang.vn"}


def _sign_in(client, user):
    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302


def _checkout(client, shop, **fields):
    client.post("/cart/add", data={"product_id": shop.vase.id, "quantity": 1})
    return client.post("/checkout", data={**CUSTOMER, "payment_method": "at_pickup", "review": "1",
                                          "outlet_id": shop.b.id, **fields})


def _place(client):
    page = client.get("/checkout/review").get_data(as_text=True)
    token = re.search(r'name="checkout_token" type="hidden" value="([^"]+)"', page)[1]
    return client.post("/checkout/place", data={"accept_terms": "y", "checkout_token": token})


def test_a_company_invoice_asked_at_checkout_is_kept_on_the_order(client, db):
    shop = make_shop()
    assert _checkout(client, shop, **COMPANY).status_code in (302, 303)
    _place(client)
    (order,) = db.session.scalars(db.select(Order)).all()
    buyer = db.session.get(InvoiceBuyer, order.id)
    assert (buyer.legal_name, buyer.tax_code, buyer.address, buyer.email) == (
        COMPANY["company_name"], "0101245486", COMPANY["company_address"], COMPANY["company_email"])


def test_a_bad_tax_code_is_refused_and_no_company_is_kept_without_the_box(client, db):
    shop = make_shop()
    page = _checkout(client, shop, **{**COMPANY, "company_tax_code": "0101245487"})
    assert page.status_code == 200 and "Mã số thuế không hợp lệ" in page.get_data(as_text=True)
    assert _checkout(client, shop, company_name="ignored").status_code in (302, 303)  # box not ticked
    _place(client)
    assert db.session.scalars(db.select(InvoiceBuyer)).all() == []


def test_admins_see_invoices_not_issued_and_fix_the_buyer(einvoice_app, einvoice_server):
    pickup, staff = _ready_pickup((ProductFactory(price=300_000, stock=5), 1))
    with db.session.begin_nested():
        services.keep_buyer(pickup.order, legal_name="CTY A", address="Hà Nội", tax_code="0100109107",
                            email="a@example.com")
    db.session.commit()
    _hand_over(pickup, staff)
    (invoice,) = _invoices()
    client = einvoice_app.test_client()
    _sign_in(client, AdminFactory())
    page = client.get("/admin/invoices").get_data(as_text=True)
    assert f'id="invoice-{invoice.id}"' in page and "BUYER_TAX_CODE_INVALID" in page

    refused = client.post(f"/admin/invoices/{invoice.id}/buyer", data={
        "company_name": "CTY A", "company_address": "Hà Nội", "company_tax_code": "12345",
        "company_email": "a@example.com"})
    assert refused.status_code == 303 and _invoices()[0].status == InvoiceStatus.PENDING
    client.post(f"/admin/invoices/{invoice.id}/buyer", data={
        "company_name": "CTY A", "company_address": "Hà Nội", "company_tax_code": "0101245486",
        "company_email": "a@example.com"})
    (invoice,) = _invoices()
    assert invoice.status == InvoiceStatus.ISSUED and invoice.buyer_tax_code == "0101245486"
    assert db.session.get(InvoiceBuyer, pickup.order_id).tax_code == "0101245486"
    assert f'id="invoice-{invoice.id}"' not in client.get("/admin/invoices").get_data(as_text=True)


def test_an_admin_retries_an_invoice_once_the_provider_is_back(einvoice_app, einvoice_server):
    einvoice_server.down = True
    pickup, staff = _ready_pickup((ProductFactory(price=300_000, stock=5), 1))
    _hand_over(pickup, staff)
    (invoice,) = _invoices()
    assert invoice.next_attempt_at > utcnow()
    einvoice_server.down = False
    client = einvoice_app.test_client()
    _sign_in(client, AdminFactory())
    assert 'data-count="invoices-failing">1<' in client.get("/admin/").get_data(as_text=True)
    assert client.post(f"/admin/invoices/{invoice.id}/retry").status_code == 303
    assert 'data-count="invoices-failing">0<' in client.get("/admin/").get_data(as_text=True)
    assert _invoices()[0].status == InvoiceStatus.ISSUED
    assert client.post(f"/admin/invoices/{invoice.id}/retry").status_code == 303  # issued: no-op
    assert len(einvoice_server.created()) == 1
    assert client.post("/admin/invoices/999999/retry").status_code == 404


def test_a_producer_sets_the_vat_rate_shown_on_invoice_lines(client, db, login):
    user = ProducerUserFactory()
    product = ProductFactory(producer=user.producer, vat_rate="10")
    login(user)
    page = client.get(f"/producer/products/{product.id}/edit").get_data(as_text=True)
    assert 'name="vat_rate"' in page and "Không chịu thuế GTGT" in page
    from storefront.producers import services as producer_services
    from storefront.producers.forms import ProductForm

    with client.application.test_request_context():
        form = ProductForm(obj=product, outlets=[], meta={"csrf": False})
        form.vat_rate.data = "5"
        producer_services.update_product(product, form.details())
    assert db.session.get(Product, product.id).vat_rate == "5"
