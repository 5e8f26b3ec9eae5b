"""Issue 20, items 1–4 and 8: the code reaches the shopper from every mail, checkout says what is
wrong, the counter takes the money (recorded, never assumed), admins see their work and any order,
and the outlet's pickup page starts with the task. Runs on SQLite and PostgreSQL."""
import re

import pytest

from storefront.extensions import db
from storefront.models import Order
from storefront.notifications.models import OutboxMessage
from storefront.orders import codes, dues, services
from storefront.orders.models import CounterPayment, PaymentMethod, PaymentStatus, PickupStatus
from storefront.payments.transfer_models import BankTransfer, TransferStatus
from tests.support.checkout_support import make_shop, place
from tests.support.factories import AdminFactory, OutletFactory, ProductFactory, StaffUserFactory, UserFactory
from tests.support.order_builder import CODE, place as build, place_split

P = PickupStatus


@pytest.fixture
def three_outlets_stocked(db):
    return make_shop()


def text(response) -> str:
    return response.get_data(as_text=True)


def fresh(model, id_):
    db.session.expire_all()
    return db.session.get(model, id_)


# --- 1. every mail opens a page that shows the pickup code ----------------------------------------

def test_the_ready_mail_link_shows_the_code_in_a_fresh_browser(app, three_outlets_stocked):
    placed = place((three_outlets_stocked.vase, 1), outlet=three_outlets_stocked.a)
    for order_line in placed.order.pickups[0].lines:
        services.receive_line(order_line, "outlet")
    [mail] = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.kind == "pickup_ready"))
    link = next(word for word in mail.body.split() if "/orders/" in word)
    assert "?t=" in link and placed.access_token not in link  # the mail's own key, not the token

    fresh_browser = app.test_client()
    html = text(fresh_browser.get(link.split("localhost", 1)[1]))
    assert placed.codes[placed.order.pickups[0].id] in html and "pickup-qr" in html


def test_the_mail_key_opens_only_its_own_order(app, three_outlets_stocked):
    first, second = (place((three_outlets_stocked.vase, 1), outlet=three_outlets_stocked.a),
                     place((three_outlets_stocked.cup, 1), outlet=three_outlets_stocked.a))
    key = codes.link_key(first.order)
    client = app.test_client()
    assert client.get(f"/orders/{first.order.number}?t={key}").status_code == 200
    assert client.get(f"/orders/{second.order.number}?t={key}").status_code == 404


def test_the_owner_sees_the_code_signed_in_on_another_device(client, login, three_outlets_stocked):
    owner = UserFactory()
    placed = place((three_outlets_stocked.vase, 1), outlet=three_outlets_stocked.a, user=owner)
    login(owner)
    html = text(client.get(f"/orders/{placed.order.number}"))
    assert placed.codes[placed.order.pickups[0].id] in html


# --- 2. checkout: a sensible method preselected, a summary and focus on error ----------------------

def test_checkout_preselects_paying_at_pickup(client, three_outlets_stocked):
    client.post("/cart/add", data={"product_id": three_outlets_stocked.vase.id, "quantity": 1})
    html = text(client.get("/checkout"))
    assert re.search(r'id="pay-at_pickup" value="at_pickup" checked', html)


def test_placing_with_nothing_filled_shows_a_summary_and_focuses_the_first_field(client, three_outlets_stocked):
    client.post("/cart/add", data={"product_id": three_outlets_stocked.vase.id, "quantity": 1})
    html = text(client.post("/checkout", data={"place": "1", "accept_terms": "y", "name": "", "phone": "",
                                                "email": "", "outlet_id": three_outlets_stocked.a.id}))
    summary = html.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    assert 'role="alert"' in html.split('id="error-summary"', 1)[0].rsplit("<div", 1)[1]
    assert 'href="#name"' in summary and 'href="#phone"' in summary and 'href="#email"' in summary
    assert html.index('id="error-summary"') < html.index('id="checkout-form"')  # at the top
    name_input = re.search(r"<input[^>]*id=\"name\"[^>]*>", html)[0]
    assert "autofocus" in name_input and 'aria-invalid="true"' in name_input
    assert "autofocus" not in re.search(r"<input[^>]*id=\"phone\"[^>]*>", html)[0]
    assert db.session.scalars(db.select(Order)).all() == []


def test_what_was_typed_is_kept_and_focus_goes_to_the_field_at_fault(client, three_outlets_stocked):
    client.post("/cart/add", data={"product_id": three_outlets_stocked.vase.id, "quantity": 1})
    html = text(client.post("/checkout", data={"place": "1", "accept_terms": "y", "name": "Lê Thị Mai", "phone": "12",
                                                "email": "mai@example.com",
                                                "outlet_id": three_outlets_stocked.a.id}))
    assert 'value="Lê Thị Mai"' in html and 'value="mai@example.com"' in html
    assert "autofocus" in re.search(r"<input[^>]*id=\"phone\"[^>]*>", html)[0]
    assert "autofocus" not in re.search(r"<input[^>]*id=\"name\"[^>]*>", html)[0]


# --- 3. the counter takes the money ------------------------------------------------------------

@pytest.fixture
def outlet(db):
    return OutletFactory()


@pytest.fixture
def staff(outlet):
    return StaffUserFactory(outlet=outlet)


def test_a_pay_at_pickup_hand_over_needs_the_money_and_changes_nothing_without_it(outlet, staff):
    pickup = build(outlet, (ProductFactory(price=120_000), 1), status=P.READY)

    with pytest.raises(services.PaymentNotCollected) as refused:
        services.hand_over(pickup, CODE, by=staff)

    assert refused.value.amount == 120_000
    pickup = fresh(type(pickup), pickup.id)
    assert pickup.status == P.READY and pickup.order.payment_status == PaymentStatus.UNPAID
    assert pickup.order.paid_at is None and db.session.scalars(db.select(CounterPayment)).all() == []


def test_cash_collected_is_recorded_with_who_and_when_and_the_order_is_paid(outlet, staff):
    pickup = build(outlet, (ProductFactory(price=120_000), 2), status=P.READY)

    taken = services.hand_over(pickup, CODE, by=staff, collected="cash", amount=240_000)

    [row] = db.session.scalars(db.select(CounterPayment)).all()
    assert row.id == taken.id and (row.amount, row.method) == (240_000, "cash")
    assert row.collected_by_id == staff.id and row.collected_by == staff.email and row.collected_at
    order = fresh(Order, pickup.order_id)
    assert order.payment_status == PaymentStatus.PAID and order.paid_at is not None
    assert order.pickups[0].status == P.COLLECTED


def test_a_stale_amount_is_refused(outlet, staff):
    pickup = build(outlet, (ProductFactory(price=120_000), 1), status=P.READY)
    with pytest.raises(services.AmountDueChanged):
        services.hand_over(pickup, CODE, by=staff, collected="transfer", amount=100_000)
    assert fresh(type(pickup), pickup.id).status == P.READY


def test_money_already_transferred_is_not_asked_twice(outlet, staff):
    pickup = build(outlet, (ProductFactory(price=100_000), 1), status=P.READY)
    pickup.order.amount_received = 40_000  # a transfer counted towards the order
    db.session.commit()
    assert dues.amount_due(pickup) == 60_000

    services.hand_over(pickup, CODE, by=staff, collected="cash", amount=60_000)
    assert fresh(Order, pickup.order_id).payment_status == PaymentStatus.PAID


def test_a_split_order_is_paid_only_when_every_counter_took_its_share(staff):
    other = OutletFactory()
    order = place_split({staff.outlet: [(ProductFactory(price=50_000), 1)],
                         other: [(ProductFactory(price=70_000), 1)]},
                        status=P.READY, codes=["AAAA-BBBB", "CCCC-DDDD"])
    first, second = order.pickups
    services.hand_over(first, "AAAA-BBBB", by=staff, collected="cash", amount=50_000)
    assert fresh(Order, order.id).paid_at is None
    assert dues.amount_due(fresh(type(second), second.id)) == 70_000
    services.cancel_pickup(fresh(type(second), second.id), by="outlet", reason="khách không lấy")
    # Every pickup has ended and the cash taken covers what was handed over: paid for what was had,
    # and nothing owed back (a cancel takes no money).
    settled = fresh(Order, order.id)
    assert settled.payment_status == PaymentStatus.PAID and settled.paid_at is not None


def test_the_counter_page_scan_asks_for_the_money_then_records_cash(client, login, outlet, staff):
    pickup = build(outlet, (ProductFactory(price=150_000), 1), status=P.READY)
    login(staff)
    url = f"/outlet/pickups/{pickup.id}/hand-over"

    scanned = client.post(url, data={"code": CODE})  # the scanner submits the code alone
    html = text(scanned)
    assert scanned.status_code == 200 and 'id="code-checked"' in html and 'data-due="150000"' in html
    assert 'name="collected" value="cash"' in html and 'name="collected" value="transfer"' in html
    assert "đã nhận 0" not in html.lower() and "thanh toán đủ" not in html
    assert fresh(type(pickup), pickup.id).status == P.READY

    done = client.post(url, data={"code": CODE, "collected": "cash", "amount": "150000"},
                       follow_redirects=True)
    assert "Đã thu 150.000" in text(done) and 'id="counter-paid"' in text(done)
    assert fresh(type(pickup), pickup.id).status == P.COLLECTED
    assert db.session.scalar(db.select(CounterPayment.method)) == "cash"


def test_the_lookup_after_a_scan_shows_the_amount_and_the_one_step(client, login, outlet, staff):
    build(outlet, (ProductFactory(price=90_000), 1), status=P.READY)
    login(staff)
    html = text(client.post("/outlet/lookup", data={"code": CODE}))
    assert 'data-due="90000"' in html and 'name="collected" value="cash"' in html


# --- 4. admins: a to-do panel and any order ----------------------------------------------------

def test_the_admin_home_counts_what_waits(client, login, db):
    db.session.add(BankTransfer(source="webhook", notification_id="n-2", amount=5000,
                                recorded_by="bank", status=TransferStatus.TO_RESOLVE,
                                outcome="unmatched"))
    db.session.commit()
    login(AdminFactory())
    html = text(client.get("/admin/"))
    assert re.search(r'data-count="transfers-to-match">1<', html)
    for key in ("failed-refunds", "certificates-expiring", "transfer-refunds-owed"):
        assert f'data-count="{key}"' in html


def test_the_admin_home_counts_complaints_data_requests_and_cash_differences_until_handled(
        client, login, outlet, staff):
    from storefront.complaints import services as complaints
    from storefront.finance import cash
    from storefront.privacy import requests
    from storefront.privacy.models import RequestKind
    pickup = build(outlet, (ProductFactory(price=80_000), 1), status=P.READY)
    complaint = complaints.file_complaint(pickup.order, category="quality", message="Vỡ một chén")
    asked = requests.ask(RequestKind.CORRECTION, order=pickup.order, channel="web:order", message="Sửa tên")
    shift = cash.close_shift(outlet.id, 20_000, by_label=staff.email)  # the drawer expected 0
    db.session.commit()
    admin = AdminFactory()
    login(admin)

    def counts():
        html = text(client.get("/admin/"))
        return {key: int(re.search(rf'data-count="{key}">(\d+)<', html).group(1))
                for key in ("complaints-open", "data-requests-open", "cash-differences", "invoices-failing")}

    assert counts() == {"complaints-open": 1, "data-requests-open": 1, "cash-differences": 1,
                        "invoices-failing": 0}
    html = text(client.get("/admin/"))
    assert 'href="/admin/complaints?status=open"' in html and 'href="/admin/data-requests?status=open"' in html
    assert 'href="/admin/finance#differences"' in html

    complaints.answer(complaint, "Điểm bán sẽ đổi chén mới.", by=admin)
    requests.complete(asked, "Đã sửa tên.", by=admin)
    cash.review_difference(shift.id, admin.email)
    db.session.commit()
    assert set(counts().values()) == {0}


def test_an_admin_opens_any_order_read_only_from_the_transfers_page(client, login, outlet, staff):
    pickup = build(outlet, (ProductFactory(price=80_000), 1), status=P.READY)
    services.hand_over(pickup, CODE, by=staff, collected="transfer", amount=80_000)
    number = pickup.order.number
    db.session.add(BankTransfer(source="webhook", notification_id="n-3", amount=1000,
                                recorded_by="bank", status=TransferStatus.TO_RESOLVE,
                                outcome="late", order_id=pickup.order_id))
    db.session.commit()
    login(AdminFactory())

    listing = text(client.get("/admin/transfers"))
    assert f'href="/admin/orders/{number}"' in listing
    html = text(client.get(f"/admin/orders/{number}"))
    assert number in html and "data-counter-payment" in html and "<form" not in html.split("<main")[1]
    history = html.split("Lịch sử thay đổi")[1]
    assert "Trạng thái nhận hàng → Đã nhận hàng" in history and "Trạng thái thanh toán → Đã thanh toán" in history
    assert "Thu tiền tại quầy" in history and "pickup_status" not in history and "→ collected" not in history
    assert client.get("/admin/orders/OC-2000-999999").status_code == 404


def test_the_admin_order_page_is_for_admins_only(client, login, outlet, staff):
    pickup = build(outlet, (ProductFactory(), 1))
    login(staff)
    assert client.get(f"/admin/orders/{pickup.order.number}").status_code == 403


# --- 8. the outlet pickup page starts with the task --------------------------------------------

def test_a_confirmed_pickup_page_starts_with_the_receive_buttons(client, login, outlet, staff):
    pickup = build(outlet, (ProductFactory(), 1))
    login(staff)
    html = text(client.get(f"/outlet/pickups/{pickup.id}"))
    main = html.split('id="main"', 1)[1]
    assert main.index("/receive") < main.index('id="lines-heading"')
    assert 'class="header-search"' not in html  # the compact staff header


def test_a_ready_pickup_page_starts_with_the_hand_over(client, login, outlet, staff):
    pickup = build(outlet, (ProductFactory(), 1), status=P.READY, method=PaymentMethod.CARD)
    login(staff)
    main = text(client.get(f"/outlet/pickups/{pickup.id}")).split('id="main"', 1)[1]
    assert main.index('id="hand-over-form"') < main.index('id="lines-heading"')
