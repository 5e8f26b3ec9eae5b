"""Personal data (Law 91/2025, Decree 356/2025): consent per purpose, never pre-ticked, withdrawal
recorded; a download of everything held; an account deleted for good while its orders still add
up; a guest's request through the order link with due dates and mail; reminders; the incident
register; guests' contacts forgotten by the periodic job."""
import io
import json
import re
import zipfile
from datetime import date, datetime, timedelta

import time_machine

from storefront import queue, worker
from storefront.accounts.models import User
from storefront.extensions import db
from storefront.orders.models import Order
from storefront.privacy import consents, requests
from storefront.privacy.models import ConsentRecord, DataRequest, Incident, RequestStatus
from storefront.timeutil import utcnow
from tests.support.factories import UserFactory
from tests.support.privacy_support import deliver, guest_link, shop_with_order, text_of, use_mail_server
from tests.support.smtp_server import smtp_server  # noqa: F401

NAME, EMAIL, PHONE = "Trần Thị Riêng Tư", "rieng.tu@example.com", "0911222333"


def shopper():
    return UserFactory(name=NAME, email=EMAIL, phone=PHONE)


def checked_boxes(page: str) -> list[str]:
    return re.findall(r'<input[^>]*checked[^>]*name="(news_\w+)"|<input[^>]*name="(news_\w+)"[^>]*checked', page)


def test_no_consent_box_is_ever_pre_ticked_and_a_withdrawal_is_recorded(app, client, login):
    user = shopper()
    login(user)
    page = client.get("/account/data").get_data(as_text=True)
    assert 'name="news_zalo"' in page and 'name="news_email"' in page
    assert checked_boxes(page) == []

    client.post("/account/consents", data={"news_zalo": "y", "news_email": "y"})
    assert consents.granted(user) == {"news_zalo", "news_email"}
    client.post("/account/consents", data={"news_email": "y"})  # Zalo unticked: withdrawn

    records = db.session.scalars(db.select(ConsentRecord).order_by(ConsentRecord.id)).all()
    assert [(r.purpose, r.granted) for r in records] == [
        ("news_zalo", True), ("news_email", True), ("news_zalo", False)]
    assert {r.text_version for r in records} == {consents.TEXT_VERSION}
    assert {r.channel for r in records} == {"web:account"}
    assert all(r.created_at for r in records)
    assert consents.granted(user) == {"news_email"}


def test_the_download_holds_contact_orders_consents_and_complaints(app, client, login):
    user = shopper()
    _outlet, _staff, _other, _admin, order = shop_with_order(user=user, email=EMAIL)
    consents.record_choices(user, {"news_sms"})
    client.get(guest_link(order))
    client.post(f"/orders/{order.number}/complaints",
                data={"category": "quality", "message": "Nứt miệng bình.", "outlet_id": 0})
    login(user)

    response = client.post("/account/data/download")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    data = json.loads(zipfile.ZipFile(io.BytesIO(response.data)).read("data.json"))
    assert data["account"] == {"name": NAME, "email": EMAIL, "phone": PHONE, "language": "vi",
                               "created_at": data["account"]["created_at"]}
    assert [o["number"] for o in data["orders"]] == [order.number]
    assert data["orders"][0]["legal_basis"] == "contract"
    assert [(c["purpose"], c["granted"]) for c in data["consents"]] == [("news_sms", True)]
    assert data["complaints"][0]["messages"][0]["text"] == "Nứt miệng bình."
    access = db.session.scalars(db.select(DataRequest)).one()
    assert (access.kind, access.status) == ("access", RequestStatus.COMPLETED)


def test_a_deleted_account_cannot_sign_in_and_its_data_is_nowhere_while_its_orders_add_up(
        app, client, login):
    user = shopper()
    outlet, staff, _other, admin, order = shop_with_order(user=user, email=EMAIL)
    order.name, order.phone = NAME, PHONE
    db.session.commit()
    number, total = order.number, order.total
    login(user)

    page = client.get("/account/data").get_data(as_text=True)
    assert EMAIL in page
    response = client.post("/account/data/delete",
                           data={"password": "correct horse battery staple", "confirm": "y"})
    assert response.status_code == 303

    assert client.get("/account/data").status_code == 302  # signed out
    response = client.post("/auth/login", data={"email": EMAIL, "password": "correct horse battery staple"})
    assert response.status_code != 302
    db.session.expire_all()
    erased = db.session.get(User, user.id)
    assert not erased.active and NAME not in erased.name and erased.email.endswith("@erased.invalid")

    admin_client = app.test_client()
    login(admin, test_client=admin_client)
    staff_client = app.test_client()
    login(staff, test_client=staff_client)
    pages = [admin_client.get(url) for url in (
        "/admin/users", f"/admin/orders/{number}", "/admin/reports/", "/admin/data-requests",
        f"/admin/reports/sales?first={date.today() - timedelta(days=400)}&last={date.today()}")]
    pages += [staff_client.get(f"/outlet/pickups/{order.pickups[0].id}"),
              app.test_client().get("/api/products"), app.test_client().get("/api/outlets")]
    assert [r.status_code for r in pages] == [200] * len(pages)
    for response in pages:
        body = response.get_data(as_text=True)
        for personal in (NAME, EMAIL, PHONE):
            assert personal not in body, (response.request.path, personal)

    kept = db.session.scalars(db.select(Order).where(Order.number == number)).one()
    assert kept.total == total == sum(line.amount for line in kept.lines)
    assert kept.user_id == user.id and kept.email.endswith("@erased.invalid")
    assert db.session.scalar(db.select(db.func.sum(Order.total))) == total


def test_an_account_with_an_order_still_to_collect_is_not_deleted(app, client, login):
    user = shopper()
    shop_with_order(user=user, email=EMAIL, status="confirmed")
    login(user)
    client.post("/account/data/delete", data={"password": "correct horse battery staple",
                                               "confirm": "y"})
    db.session.expire_all()
    assert db.session.get(User, user.id).email == EMAIL


def test_the_wrong_password_deletes_nothing(app, client, login):
    user = shopper()
    login(user)
    response = client.post("/account/data/delete", data={"password": "wrong one", "confirm": "y"})
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(User, user.id).active


@time_machine.travel(datetime(2026, 2, 13, 2, 0), tick=False)  # Friday before Tết, 09:00 Hanoi
def test_a_guest_asks_to_be_forgotten_through_the_order_link_and_an_admin_completes_it(
        app, client, login, smtp_server):
    use_mail_server(app, smtp_server.port)
    _outlet, _staff, _other, admin, order = shop_with_order()
    client.get(guest_link(order))
    response = client.post(f"/orders/{order.number}/data", data={"kind": "erasure"})
    assert response.status_code == 303
    asked = db.session.scalars(db.select(DataRequest)).one()
    assert asked.acknowledge_by == date(2026, 2, 24)  # Tết and two weekends skipped
    assert asked.complete_by == date(2026, 3, 6)  # 10 working days: 23 Feb – 6 Mar
    mails = deliver(smtp_server)
    assert list(mails) == ["admin@example.com"]
    assert "24/02/2026" in text_of(mails["admin@example.com"][0])

    admin_client = app.test_client()
    login(admin, test_client=admin_client)
    assert asked.reference in admin_client.get("/admin/data-requests").get_data(as_text=True)
    admin_client.post(f"/admin/data-requests/{asked.id}", data={"action": "acknowledge"})
    assert list(deliver(smtp_server)) == ["khach@example.com"]
    admin_client.post(f"/admin/data-requests/{asked.id}", data={"action": "complete"})
    mails = deliver(smtp_server)
    assert list(mails) == ["khach@example.com"]  # told at the address, as it is forgotten

    db.session.expire_all()
    assert db.session.get(DataRequest, asked.id).status == RequestStatus.COMPLETED
    kept = db.session.get(Order, order.id)
    assert kept.email.endswith("@erased.invalid") and kept.phone == "" and kept.total > 0
    from storefront.notifications.models import OutboxMessage
    assert all(m.to_email.endswith("@erased.invalid") or m.to_email == "admin@example.com"
               for m in db.session.scalars(db.select(OutboxMessage))
               if m.kind != "data_erased")
    from storefront.privacy.retention import forget_guests
    forget_guests()
    assert {m.to_email for m in db.session.scalars(db.select(OutboxMessage))} <= {
        "admin@example.com", "erased@erased.invalid"}


def test_admins_are_reminded_once_a_day_of_requests_coming_due(app, smtp_server):
    use_mail_server(app, smtp_server.port)
    _outlet, _staff, _other, _admin, order = shop_with_order()
    with time_machine.travel(datetime(2026, 2, 13, 2, 0), tick=False):
        requests.ask("correction", order=order, channel="web:order", message="Sai số điện thoại")
    deliver(smtp_server)
    assert requests.remind_admins(date(2026, 2, 16)) == 0  # due 24 Feb: not yet
    assert requests.remind_admins(date(2026, 2, 23)) == 1  # due the next working day
    assert requests.remind_admins(date(2026, 2, 23)) == 0  # once a day
    mails = deliver(smtp_server)
    assert "24/02/2026" in text_of(mails["admin@example.com"][0])


def test_the_periodic_job_forgets_finished_guest_orders_after_the_configured_time(app):
    app.config["GUEST_DATA_RETENTION_DAYS"] = 30
    _outlet, _staff, _other, _admin, old = shop_with_order(created_at=utcnow() - timedelta(days=40))
    from tests.support.order_builder import place_split
    fresh = place_split({old.pickups[0].outlet: [(old.lines[0].product, 1)]}, status="collected")
    waiting = place_split({old.pickups[0].outlet: [(old.lines[0].product, 1)]}, status="confirmed",
                          created_at=utcnow() - timedelta(days=40))
    assert "forget_guest_contacts" in queue.PERIODIC
    worker.forget_guest_contacts.call_local()
    db.session.expire_all()
    assert db.session.get(Order, old.id).email.endswith("@erased.invalid")
    assert db.session.get(Order, fresh.id).email == "khach@example.com"
    assert db.session.get(Order, waiting.id).email == "khach@example.com"


def test_the_incident_register(app, login):
    _outlet, _staff, _other, admin, _order = shop_with_order()
    client = app.test_client()
    login(admin, test_client=client)
    response = client.post("/admin/incidents", data={
        "title": "Laptop lost", "discovered_at": "2026-03-01T09:00",
        "description": "A staff laptop with a CSV export was lost.",
        "data_affected": "names, phones", "people_affected": "40"})
    assert response.status_code == 303
    incident = db.session.scalars(db.select(Incident)).one()
    page = client.get("/admin/incidents").get_data(as_text=True)
    assert "Laptop lost" in page
    client.post(f"/admin/incidents/{incident.id}", data={
        "title": "Laptop lost", "discovered_at": "2026-03-01T09:00",
        "description": "A staff laptop with a CSV export was lost.", "data_affected": "names",
        "reported_at": "2026-03-02T10:00", "measures": "Sessions revoked", "close": "y"})
    db.session.expire_all()
    incident = db.session.get(Incident, incident.id)
    assert incident.reported_at == datetime(2026, 3, 2, 10, 0) and incident.closed_at is not None
    assert app.test_client().get("/admin/incidents").status_code == 302
