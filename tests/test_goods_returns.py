"""Goods given back at the outlet after hand-over: the outlet's form records the line, quantity and
reason; the sale's e-invoice gets an adjustment that refers to it; the money goes back by the
order's one refund path (card through Stripe, transfer or counter money owed from the bank); the
units go back into stock only when they can be sold again."""
from storefront.extensions import db
from storefront.invoices.models import Invoice, InvoiceKind, InvoiceStatus
from storefront.models import Product
from storefront.orders.models import CounterMethod, OrderEvent, PaymentMethod, PaymentStatus, PickupStatus
from storefront.payments.models import Refund
from storefront.payments.transfer_models import TransferRefund
from storefront.returns import services as returns
from storefront.returns.models import GoodsReturn
from tests.support.einvoice_server import einvoice_app, einvoice_server  # noqa: F401
from tests.support.factories import PASSWORD, OutletFactory, ProductFactory, StaffUserFactory
from tests.support.order_builder import place
from tests.test_einvoices import _hand_over, _invoices, _ready_pickup

import pytest


def _sign_in(client, user):
    assert client.post("/auth/login", data={"email": user.email, "password": PASSWORD}).status_code == 302


def _collected(*items, method=PaymentMethod.AT_PICKUP):
    pickup, staff = _ready_pickup(*items, method=method)
    _hand_over(pickup, staff)
    db.session.expire_all()
    return pickup, staff


def test_the_outlet_records_a_line_given_back_and_the_invoice_is_adjusted(einvoice_app, einvoice_server):
    tea = ProductFactory(price=120_000, stock=10, vat_rate="10")
    rice = ProductFactory(price=60_000, stock=10, vat_rate="5")
    pickup, staff = _collected((tea, 3), (rice, 1))  # paid in cash at the counter
    before = db.session.get(Product, tea.id).stock
    client = einvoice_app.test_client()
    _sign_in(client, staff)
    page = client.get(f"/outlet/pickups/{pickup.id}").get_data(as_text=True)
    assert 'id="return-form"' in page and 'name="resaleable"' in page

    tea_line = next(line for line in pickup.lines if line.product_id == tea.id)
    answer = client.post(f"/outlet/pickups/{pickup.id}/returns", data={
        "line_id": tea_line.id, "quantity": 2, "reason": "Hộp bị móp", "resaleable": "y"})
    assert answer.status_code == 303

    (returned,) = db.session.scalars(db.select(GoodsReturn)).all()
    assert (returned.quantity, returned.amount, returned.resaleable, returned.recorded_by) == (
        2, 240_000, True, staff.email)
    assert db.session.get(Product, tea.id).stock == before + 2  # back on sale
    original, adjustment = _invoices(pickup.order_id)
    assert adjustment.kind == InvoiceKind.ADJUSTMENT and adjustment.original_id == original.id
    assert adjustment.status == InvoiceStatus.ISSUED and adjustment.total_with_tax == 240_000
    assert [(l.name, l.quantity, l.amount_with_tax) for l in adjustment.lines] == [(tea.name_vi, 2, 240_000)]
    assert "Hộp bị móp" in adjustment.reason
    sent = einvoice_server.created()[1].body["generalInvoiceInfo"]
    assert sent["adjustmentType"] == "5" and sent["originalInvoiceId"] == original.number
    # Cash taken at the counter goes back from the bank, by an admin; the order says so.
    (owed,) = db.session.scalars(db.select(TransferRefund)).all()
    assert owed.amount == 240_000 and owed.pickup_id == pickup.id
    assert db.session.get(type(pickup.order), pickup.order_id).payment_status == PaymentStatus.REFUND_PENDING
    assert db.session.scalar(db.select(OrderEvent.note).where(OrderEvent.kind == "goods_returned"))
    page = client.get(f"/outlet/pickups/{pickup.id}").get_data(as_text=True)
    assert "Hộp bị móp" in page and "1/3" in page  # one tea left to give back


def test_goods_that_cannot_be_sold_again_stay_out_of_stock_and_a_card_is_refunded(einvoice_app, einvoice_server):
    honey = ProductFactory(price=200_000, stock=5)
    pickup, staff = _collected((honey, 2), method=PaymentMethod.VIETQR)
    before = db.session.get(Product, honey.id).stock
    order = pickup.order
    order.payment_method, order.payment_status = PaymentMethod.CARD, PaymentStatus.PAID
    order.stripe_payment_intent = "pi_test"
    db.session.commit()
    returns.record_return(pickup, pickup.lines[0].id, 1, "Vỡ nắp", resaleable=False, by=staff)
    db.session.expire_all()
    assert db.session.get(Product, honey.id).stock == before
    (refund,) = db.session.scalars(db.select(Refund)).all()
    assert refund.amount == 200_000 and refund.idempotency_key.startswith("return-")
    assert db.session.scalars(db.select(TransferRefund)).all() == []
    kinds = [i.kind for i in _invoices()]
    assert kinds == [InvoiceKind.SALE, InvoiceKind.ADJUSTMENT]  # the refund adjusted nothing twice


def test_never_more_than_was_handed_over_and_only_after_hand_over(einvoice_app, einvoice_server):
    cup = ProductFactory(price=45_000, stock=10)
    pickup, staff = _collected((cup, 2))
    line_id = pickup.lines[0].id
    returns.record_return(pickup, line_id, 2, "Khách đổi ý", resaleable=True, by=staff)
    with pytest.raises(returns.ReturnRefused, match="trả lại hết"):
        returns.record_return(pickup, line_id, 1, "Lần nữa", resaleable=True, by=staff)
    with pytest.raises(returns.ReturnRefused):
        returns.record_return(pickup, 999_999, 1, "Không có", resaleable=True, by=staff)
    assert len(db.session.scalars(db.select(GoodsReturn)).all()) == 1
    assert [i.total_with_tax for i in _invoices()] == [90_000, 90_000]

    outlet = OutletFactory()
    waiting = place(outlet, (ProductFactory(price=10_000, stock=3, outlets=[outlet]), 1),
                    status=PickupStatus.READY)
    with pytest.raises(returns.ReturnRefused, match="đã giao"):
        returns.record_return(waiting, waiting.lines[0].id, 1, "Chưa giao", resaleable=True,
                              by=StaffUserFactory(outlet=outlet))


def test_a_return_without_a_provider_still_refunds_and_restocks(client, db):
    mat = ProductFactory(price=80_000, stock=4)
    pickup, staff = _collected((mat, 1))
    before = db.session.get(Product, mat.id).stock
    _sign_in(client, staff)
    refused = client.post(f"/outlet/pickups/{pickup.id}/returns", data={
        "line_id": pickup.lines[0].id, "quantity": 1, "reason": ""})
    assert refused.status_code == 303 and db.session.scalars(db.select(GoodsReturn)).all() == []
    client.post(f"/outlet/pickups/{pickup.id}/returns", data={
        "line_id": pickup.lines[0].id, "quantity": 1, "reason": "Sai màu", "resaleable": "y"})
    db.session.expire_all()
    assert db.session.get(Product, mat.id).stock == before + 1 and _invoices() == []
    assert db.session.scalar(db.select(TransferRefund.amount)) == 80_000


def test_staff_of_another_outlet_cannot_record_a_return(einvoice_app, einvoice_server):
    pickup, _staff = _collected((ProductFactory(price=50_000, stock=3), 1))
    client = einvoice_app.test_client()
    _sign_in(client, StaffUserFactory())
    answer = client.post(f"/outlet/pickups/{pickup.id}/returns", data={
        "line_id": pickup.lines[0].id, "quantity": 1, "reason": "x"})
    assert answer.status_code == 404 and db.session.scalars(db.select(GoodsReturn)).all() == []
