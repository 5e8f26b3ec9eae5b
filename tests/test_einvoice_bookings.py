"""E-invoices of bookings (issue 23 with issue 24), through the Viettel S-Invoice stand-in: a booking
becomes a sale when it is attended (checked in, or a paid no-show) and then gets exactly one invoice,
one line per person type at the frozen price, issued after the commit as a pickup's is."""
from datetime import timedelta

import pytest

from storefront.booking_changes import services as changes
from storefront.bookings import tickets
from storefront.bookings.models import Booking
from storefront.extensions import db
from storefront.invoices import accounts, services, viettel
from storefront.invoices.models import Invoice, InvoiceKind, InvoiceStatus
from storefront.orders.links import order_url
from storefront.payments.refunds import refund_whole_order
from storefront.timeutil import utcnow
from storefront.unit_of_work import transaction
from tests.support.bookings_support import book, workshop
from tests.support.einvoice_server import SERIES, TAX_CODE, einvoice_config, einvoice_server  # noqa: F401
from tests.support.factories import ProducerFactory
from tests.support.transfer_support import ACCOUNT, notification, post


@pytest.fixture
def app(make_app, einvoice_server):
    """Issuing e-invoices through the stand-in, with the shop's bank account (VietQR) configured."""
    viettel.forget_tokens()
    app = make_app(**einvoice_config(einvoice_server.url, **ACCOUNT))
    with app.app_context():
        yield app
        db.session.remove()


def _workshop(producer=None):
    experience, session, adult, child = workshop()
    product = experience.product
    product.unit_vi, product.unit_en, product.vat_rate = "lượt", "ticket", "8"
    if producer is not None:
        product.producer = producer
    db.session.commit()
    return experience, session, adult, child


def _booking(placed) -> Booking:
    return db.session.get(Booking, placed.order.bookings[0].id, populate_existing=True)


def _invoices():
    db.session.expire_all()
    return db.session.scalars(db.select(Invoice).order_by(Invoice.id)).all()


def test_a_check_in_issues_exactly_one_invoice_with_a_line_per_person_type(app, client, einvoice_server):
    experience, session, adult, child = _workshop()
    placed = book(session, (adult, 2), (child, 1))  # paid at the venue: 650.000 ₫
    booking = _booking(placed)
    assert _invoices() == []  # booked is not sold

    tickets.check_in(booking, placed.tickets[booking.id], by="staff", collected="cash", amount=650_000)

    (invoice,) = _invoices()
    assert invoice.status == InvoiceStatus.ISSUED and invoice.kind == InvoiceKind.SALE
    assert (invoice.booking_id, invoice.pickup_id, invoice.order_id) == (booking.id, None, placed.order.id)
    assert invoice.cause == f"sale-b{booking.id}" and invoice.producer_id is None  # the operator sells
    assert invoice.payment_method == "TM"  # cash at the place
    assert [(l.name, l.unit, l.quantity, l.vat_rate, l.amount_without_tax, l.tax_amount, l.amount_with_tax)
            for l in invoice.lines] == [
        ("Lớp làm gốm Bát Tràng – Người lớn", "lượt", 2, "8", 462_963, 37_037, 500_000),
        ("Lớp làm gốm Bát Tràng – Trẻ em", "lượt", 1, "8", 138_889, 11_111, 150_000)]
    assert [l.booking_seat_id for l in invoice.lines] == [seat.id for seat in booking.lines]
    assert (invoice.total_without_tax, invoice.total_tax,
            invoice.total_with_tax) == (601_852, 48_148, 650_000)

    (issued,) = einvoice_server.created()  # the stand-in checked every field and every sum
    sent = issued.body
    assert sent["sellerInfo"]["sellerTaxCode"] == TAX_CODE
    assert sent["payments"] == [{"paymentMethodName": "TM"}]
    assert [(i["itemName"], i["unitName"], i["quantity"], i["taxPercentage"]) for i in sent["itemInfo"]] == [
        ("Lớp làm gốm Bát Tràng – Người lớn", "lượt", 2, 8), ("Lớp làm gốm Bát Tràng – Trẻ em", "lượt", 1, 8)]
    assert sent["summarizeInfo"]["totalAmountWithTax"] == 650_000

    # the order page lists it like a pickup's invoice
    html = client.get(order_url(placed.order, placed.access_token)).get_data(as_text=True)
    assert invoice.number in html and invoice.lookup_code in html and SERIES in html

    # no second issue: the sweep, another check-in try, the same event again
    services.retry_due(now=utcnow() + timedelta(days=1))
    with pytest.raises(tickets.NotCheckable):
        tickets.check_in(_booking(placed), placed.tickets[booking.id], by="staff")
    with transaction():
        assert services.record_booking_sale(_booking(placed)) == []
    assert len(einvoice_server.created()) == 1 and len(_invoices()) == 1


def test_a_paid_no_show_gets_one_invoice_and_an_unpaid_one_none(app, client, einvoice_server):
    experience, session, adult, child = _workshop()
    paid = book(session, (adult, 1), (child, 1), method="vietqr")  # 400.000 ₫ by transfer
    assert post(client, notification(paid.order.payment_code, paid.order.total)).status_code == 200
    at_venue = book(session, (adult, 1))  # paid nothing: no sale, no invoice

    assert changes.record_no_shows(now=session.ends_at + timedelta(minutes=1)) == 2
    assert changes.record_no_shows(now=session.ends_at + timedelta(minutes=6)) == 0

    (invoice,) = _invoices()
    assert invoice.booking_id == _booking(paid).id and invoice.status == InvoiceStatus.ISSUED
    assert invoice.payment_method == "CK" and invoice.total_with_tax == 400_000
    assert [(l.quantity, l.amount_with_tax) for l in invoice.lines] == [(1, 250_000), (1, 150_000)]
    assert not [i for i in _invoices() if i.order_id == at_venue.order.id]
    services.retry_due(now=utcnow() + timedelta(days=1))
    assert len(einvoice_server.created()) == 1


def test_a_retry_after_a_lost_answer_finds_the_invoice_by_its_uuid(app, client, einvoice_server):
    experience, session, adult, child = _workshop()
    placed = book(session, (adult, 1))
    booking = _booking(placed)
    einvoice_server.lose_answers = 1  # the provider issues, the answer never arrives

    tickets.check_in(booking, placed.tickets[booking.id], by="staff", collected="transfer", amount=250_000)
    (invoice,) = _invoices()
    assert invoice.status == InvoiceStatus.PENDING and invoice.payment_method == "CK"

    services.retry_due(now=utcnow() + timedelta(hours=1))
    (invoice,) = _invoices()
    assert invoice.status == InvoiceStatus.ISSUED
    assert len(einvoice_server.created()) == 1  # looked up by its transactionUuid, not issued again


def test_a_refund_of_the_order_after_the_sale_adjusts_the_bookings_invoice(app, client, einvoice_server):
    experience, session, adult, child = _workshop()
    placed = book(session, (adult, 1), (child, 1), method="vietqr")
    assert post(client, notification(placed.order.payment_code, placed.order.total)).status_code == 200
    booking = _booking(placed)
    tickets.check_in(booking, placed.tickets[booking.id], by="staff")
    (original,) = _invoices()

    with transaction():
        refund_whole_order(placed.order, "admin", "goodwill")

    original, adjustment = _invoices()
    assert adjustment.kind == InvoiceKind.ADJUSTMENT and adjustment.original_id == original.id
    assert adjustment.booking_id == booking.id and adjustment.status == InvoiceStatus.ISSUED
    assert adjustment.total_with_tax == 400_000
    assert sorted(l.booking_seat_id for l in adjustment.lines) == sorted(s.id for s in booking.lines)
    assert len(einvoice_server.created()) == 2


def test_when_producers_sell_the_experience_producer_issues_it_from_its_own_account(
        make_app, einvoice_server):
    viettel.forget_tokens()
    app = make_app(**einvoice_config(einvoice_server.url, SELLER_OF_RECORD="producer"))
    with app.app_context():
        producer = ProducerFactory(tax_code="0101245486")
        einvoice_server.add_account("hoptac-1", "secret-1", "0101245486", "1/002", "C26TAA")
        accounts.save_account(producer, provider="viettel", url=einvoice_server.url, username="hoptac-1",
                              password="secret-1", template_code="1/002", series="C26TAA")
        experience, session, adult, child = _workshop(producer)
        placed = book(session, (adult, 1))
        booking = _booking(placed)
        tickets.check_in(booking, placed.tickets[booking.id], by="staff", collected="cash", amount=250_000)

        (invoice,) = _invoices()
        assert invoice.status == InvoiceStatus.ISSUED
        assert invoice.cause == f"sale-b{booking.id}-p{producer.id}"
        assert (invoice.producer_id, invoice.seller_tax_code, invoice.series) == (producer.id, "0101245486",
                                                                                 "C26TAA")
        assert len(einvoice_server.created("0101245486")) == 1 and len(einvoice_server.created()) == 1
        db.session.remove()


def test_a_bookings_only_order_says_its_invoice_comes_at_the_experience(app, einvoice_server):
    experience, session, adult, child = _workshop()
    placed = book(session, (adult, 1))
    with app.test_request_context("/"):
        assert services.no_invoice_reason(placed.order) == \
            "Hoá đơn điện tử được lập khi bạn tham gia buổi trải nghiệm."
