"""E-invoices through the Viettel S-Invoice stand-in (tests/support/einvoice_server.py): one per sale at
hand-over, issued once whatever fails, adjusted on a refund, for a company buyer, per producer."""
from datetime import timedelta

import pytest

from storefront.extensions import db
from storefront.invoices import accounts, services, viettel
from storefront.invoices.models import Invoice, InvoiceImmutable, InvoiceKind, InvoiceStatus
from storefront.notifications.models import OutboxMessage
from storefront.orders import services as orders
from storefront.orders.models import CounterMethod, PaymentMethod, PaymentStatus, PickupStatus
from storefront.payments.refunds import give_back
from storefront.pickup import services as pickup_services
from storefront.timeutil import utcnow
from storefront.unit_of_work import transaction
from tests.support.einvoice_server import SERIES, TAX_CODE, TEMPLATE, einvoice_app, einvoice_server  # noqa: F401
from tests.support.factories import OutletFactory, ProducerFactory, ProductFactory, StaffUserFactory
from tests.support.order_builder import CODE, place, place_split

CREATE = "createInvoice"
SEARCH = "searchInvoiceByTransactionUuid"


def _ready_pickup(*items, method=PaymentMethod.AT_PICKUP):
    outlet = OutletFactory()
    for product, _qty in items:
        product.outlets.append(outlet)
    pickup = place(outlet, *items, method=method, status=PickupStatus.READY)
    for line in pickup.lines:
        line.status = "received"
    if method == PaymentMethod.VIETQR:
        pickup.order.amount_received = pickup.order.total
    db.session.commit()
    return pickup, StaffUserFactory(outlet=outlet)


def _hand_over(pickup, staff):
    due = pickup.subtotal if pickup.order.payment_method == PaymentMethod.AT_PICKUP else None
    orders.hand_over(pickup, CODE, by=staff, collected=CounterMethod.CASH if due else None, amount=due)


def _invoices(order_id=None):
    db.session.expire_all()
    query = db.select(Invoice).order_by(Invoice.id)
    if order_id is not None:
        query = query.where(Invoice.order_id == order_id)
    return db.session.scalars(query).all()


def test_a_hand_over_issues_exactly_one_invoice_of_what_was_handed_over(einvoice_app, einvoice_server):
    tea = ProductFactory(price=120_000, stock=10, vat_rate="10")
    rice = ProductFactory(price=55_000, stock=10, vat_rate="5")
    pickup, staff = _ready_pickup((tea, 2), (rice, 3))
    _hand_over(pickup, staff)

    (invoice,) = _invoices()
    assert invoice.status == InvoiceStatus.ISSUED and invoice.kind == InvoiceKind.SALE
    assert invoice.number.startswith(SERIES) and invoice.lookup_code
    assert invoice.total_with_tax == 405_000 == pickup.subtotal
    assert [(l.vat_rate, l.amount_without_tax, l.tax_amount) for l in invoice.lines] == [
        ("10", 218_182, 21_818), ("5", 157_143, 7_857)]
    (issued,) = einvoice_server.created()
    sent = issued.body
    assert sent["sellerInfo"]["sellerTaxCode"] == TAX_CODE
    assert sent["generalInvoiceInfo"]["templateCode"] == TEMPLATE
    assert sent["buyerInfo"]["buyerNotGetInvoice"] == 1  # a consumer who asked for nothing
    assert sent["payments"] == [{"paymentMethodName": "TM"}]  # cash at the counter
    assert sent["summarizeInfo"]["totalAmountWithTax"] == 405_000
    assert [i["taxPercentage"] for i in sent["itemInfo"]] == [10, 5]
    mails = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.kind == "einvoice_issued")).all()
    assert [m.to_email for m in mails] == [pickup.order.email] and invoice.number in mails[0].subject

    services.retry_due(now=utcnow() + timedelta(days=1))  # the sweep finds nothing more to do
    assert len(einvoice_server.created()) == 1 and len(_invoices()) == 1


def test_the_order_page_shows_the_invoice_and_its_pdf_opens(einvoice_app, einvoice_server):
    client = einvoice_app.test_client()
    pickup, staff = _ready_pickup((ProductFactory(price=90_000, stock=5), 1))
    _hand_over(pickup, staff)
    (invoice,) = _invoices()
    from storefront.orders.links import order_url

    page = client.get(order_url(pickup.order, "token"))
    html = page.get_data(as_text=True)
    assert invoice.number in html and invoice.lookup_code in html and SERIES in html
    from storefront.invoices.links import pdf_url

    pdf = client.get(pdf_url(invoice).removeprefix("http://localhost"))
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    assert _invoices()[0].pdf_key  # kept: the next look does not ask the provider
    einvoice_server.down = True
    assert client.get(pdf_url(invoice).removeprefix("http://localhost")).data.startswith(b"%PDF")
    assert client.get("/invoices/forged.pdf").status_code == 404


def test_an_answer_lost_after_the_provider_issued_is_found_by_its_uuid(einvoice_app, einvoice_server):
    einvoice_server.lose_answers = 1
    pickup, staff = _ready_pickup((ProductFactory(price=100_000, stock=5), 1))
    _hand_over(pickup, staff)
    (invoice,) = _invoices()
    assert invoice.status == InvoiceStatus.PENDING and "504" in invoice.last_error
    assert services.retry_due(now=utcnow()) == 0  # not before its backoff
    services.retry_due(now=utcnow() + timedelta(minutes=2))
    (invoice,) = _invoices()
    assert invoice.status == InvoiceStatus.ISSUED
    assert len(einvoice_server.created()) == 1 and len(einvoice_server.calls(CREATE)) == 1
    assert einvoice_server.calls(SEARCH) == [{"supplierTaxCode": TAX_CODE,
                                              "transactionUuid": invoice.transaction_uuid}]


def test_a_worker_killed_after_the_provider_answered_issues_nothing_twice(einvoice_app, einvoice_server,
                                                                         monkeypatch):
    def killed(*_args):
        raise KeyboardInterrupt("worker killed before recording the answer")

    monkeypatch.setattr(services, "_issued", killed)
    pickup, staff = _ready_pickup((ProductFactory(price=100_000, stock=5), 1))
    _hand_over(pickup, staff)  # the task dies (Huey logs that it did not finish); the counter is done
    monkeypatch.undo()
    db.session.rollback()
    (invoice,) = _invoices()
    assert invoice.status == InvoiceStatus.PENDING and invoice.attempts == 1
    services.retry_due(now=utcnow() + timedelta(minutes=2))
    assert _invoices()[0].status == InvoiceStatus.ISSUED
    assert len(einvoice_server.created()) == 1 and len(einvoice_server.calls(CREATE)) == 1


def test_a_provider_that_is_down_leaves_the_invoice_pending_then_it_is_issued(einvoice_app, einvoice_server):
    einvoice_server.down = True
    pickup, staff = _ready_pickup((ProductFactory(price=100_000, stock=5), 1))
    _hand_over(pickup, staff)  # the counter is not kept waiting, nor refused
    assert db.session.get(type(pickup), pickup.id).status == PickupStatus.COLLECTED
    (invoice,) = _invoices()
    assert invoice.status == InvoiceStatus.PENDING and "503" in invoice.last_error
    assert services.failing() == [invoice]
    services.retry_due(now=utcnow() + timedelta(minutes=2))  # still down: waits longer
    assert _invoices()[0].attempts == 2 and _invoices()[0].next_attempt_at > utcnow() + timedelta(minutes=3)
    einvoice_server.down = False
    services.retry_due(now=utcnow() + timedelta(minutes=10))
    assert _invoices()[0].status == InvoiceStatus.ISSUED and len(einvoice_server.created()) == 1


def test_a_partial_hand_over_invoices_only_what_was_handed_over(einvoice_app, einvoice_server):
    outlet = OutletFactory()
    tea, cup = ProductFactory(price=120_000, stock=10, outlets=[outlet]), ProductFactory(
        price=45_000, stock=10, outlets=[outlet])
    order = place_split({outlet: [(tea, 2), (cup, 3)]}, method=PaymentMethod.VIETQR,
                        payment_status=PaymentStatus.PAID)
    order.amount_received = order.total
    db.session.commit()
    staff = StaffUserFactory(outlet=outlet)
    pickup = order.pickups[0]
    orders.receive_line(pickup.lines[0], by=staff)
    assert pickup_services.hand_over_partially(pickup, CODE, by=staff) == 135_000

    (invoice,) = _invoices()  # the cups' refund adjusts nothing: they were never invoiced
    assert invoice.status == InvoiceStatus.ISSUED and invoice.total_with_tax == 240_000
    assert [(l.name, l.quantity) for l in invoice.lines] == [(tea.name_vi, 2)]


def test_a_refund_after_hand_over_issues_an_adjustment_of_the_original(einvoice_app, einvoice_server):
    tea = ProductFactory(price=120_000, stock=10, vat_rate="10")
    rice = ProductFactory(price=60_000, stock=10, vat_rate="kct")
    pickup, staff = _ready_pickup((tea, 1), (rice, 1), method=PaymentMethod.VIETQR)
    _hand_over(pickup, staff)
    (original,) = _invoices()
    with transaction():  # a complaint upheld: 90.000 đ given back
        give_back(pickup.order, 90_000, "Hàng lỗi", key="complaint-1", pickup=pickup)

    original, adjustment = _invoices()
    assert adjustment.kind == InvoiceKind.ADJUSTMENT and adjustment.original_id == original.id
    assert adjustment.status == InvoiceStatus.ISSUED and adjustment.total_with_tax == 90_000
    assert [l.amount_with_tax for l in adjustment.lines] == [60_000, 30_000]  # in proportion
    sent = einvoice_server.created()[1].body
    general = sent["generalInvoiceInfo"]
    assert general["adjustmentType"] == "5" and general["originalInvoiceId"] == original.number
    assert general["originalTemplateCode"] == TEMPLATE
    assert all(item["isIncreaseItem"] is False for item in sent["itemInfo"])
    assert [i["taxPercentage"] for i in sent["itemInfo"]] == [10, -2]
    assert sent["summarizeInfo"]["isTotalAmountPos"] is False

    original.seller_name = "Another"  # an issued invoice never changes, nor goes away
    with pytest.raises(InvoiceImmutable):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(InvoiceImmutable):
        db.session.delete(_invoices()[0])
        db.session.flush()
    db.session.rollback()


def test_a_company_buyer_gets_its_details_on_the_invoice_and_an_admin_fixes_a_bad_tax_code(
        einvoice_app, einvoice_server):
    pickup, staff = _ready_pickup((ProductFactory(price=500_000, stock=5), 2))
    with transaction():
        services.keep_buyer(pickup.order, legal_name="CÔNG TY CP QUÀ TẶNG VIỆT", address="5 Lý Thái Tổ, Hà Nội",
                            tax_code="0100109107", email="ketoan@quatang.vn")  # a wrong check digit
    _hand_over(pickup, staff)
    (invoice,) = _invoices()
    assert invoice.status == InvoiceStatus.PENDING and "BUYER_TAX_CODE_INVALID" in invoice.last_error
    first_uuid = invoice.transaction_uuid
    services.fix_buyer(invoice, legal_name="CÔNG TY CP QUÀ TẶNG VIỆT", address="5 Lý Thái Tổ, Hà Nội",
                       tax_code="0101245486", email="ketoan@quatang.vn")
    (invoice,) = _invoices()
    assert invoice.status == InvoiceStatus.ISSUED and invoice.transaction_uuid != first_uuid
    buyer = einvoice_server.created()[0].body["buyerInfo"]
    assert buyer == {"buyerLegalName": "CÔNG TY CP QUÀ TẶNG VIỆT", "buyerTaxCode": "0101245486",
                     "buyerAddressLine": "5 Lý Thái Tổ, Hà Nội", "buyerEmail": "ketoan@quatang.vn",
                     "buyerNotGetInvoice": 0}
    mails = db.session.scalars(db.select(OutboxMessage.to_email)
                               .where(OutboxMessage.kind == "einvoice_issued")).all()
    assert sorted(mails) == sorted([pickup.order.email, "ketoan@quatang.vn"])


def test_when_producers_sell_each_issues_its_own_invoice_from_its_own_account(make_app, einvoice_server):
    viettel.forget_tokens()
    from tests.support.einvoice_server import einvoice_config

    app = make_app(**einvoice_config(einvoice_server.url, SELLER_OF_RECORD="producer"))
    with app.app_context():
        one = ProducerFactory(tax_code="0101245486")
        two = ProducerFactory(tax_code="0100109106")
        einvoice_server.add_account("hoptac-1", "secret-1", "0101245486", "1/002", "C26TAA")
        einvoice_server.accounts["0100109106-509"].password = "secret-2"
        accounts.save_account(one, provider="viettel", url=einvoice_server.url, username="hoptac-1",
                              password="secret-1", template_code="1/002", series="C26TAA")
        accounts.save_account(two, provider="viettel", url=einvoice_server.url,
                              username="0100109106-509", password="secret-2",
                              template_code="1/001", series="C26TOC")
        assert "secret-1" not in accounts.account_of(one).password_encrypted
        pickup, staff = _ready_pickup((ProductFactory(producer=one, price=100_000, stock=5), 1),
                                      (ProductFactory(producer=two, price=200_000, stock=5), 1))
        _hand_over(pickup, staff)
        first, second = _invoices()
        assert (first.producer_id, first.seller_tax_code, first.total_with_tax) == (one.id, "0101245486", 100_000)
        assert (second.producer_id, second.seller_tax_code, second.total_with_tax) == (two.id, "0100109106", 200_000)
        assert first.status == second.status == InvoiceStatus.ISSUED
        assert first.series == "C26TAA" and second.series == "C26TOC"
        assert len(einvoice_server.created("0101245486")) == len(einvoice_server.created("0100109106")) == 1
        db.session.remove()


def test_without_a_provider_nothing_is_issued_and_the_order_page_says_so(app, client):
    pickup, staff = _ready_pickup((ProductFactory(price=100_000, stock=5), 1))
    _hand_over(pickup, staff)
    assert _invoices() == []
    from storefront.orders.links import order_url

    html = client.get(order_url(pickup.order, "token")).get_data(as_text=True)
    assert "chưa phát hành hoá đơn điện tử" in html
