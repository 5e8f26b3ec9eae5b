"""Complaints (Consumer Protection Law 19/2023): from the order's private link, no account needed;
answered by the outlet's staff or an admin; open → answered → resolved with due dates; mail both
ways through a real SMTP server."""
import io
from datetime import date, datetime

import pytest
import time_machine

from storefront.complaints import services
from storefront.complaints.models import Complaint, Status
from storefront.extensions import db
from storefront.storage import get_storage, is_private
from tests.support.privacy_support import (
    deliver, guest_link, jpeg, shop_with_order, text_of, use_mail_server,
)
from tests.support.smtp_server import smtp_server  # noqa: F401


def file_from_the_order_page(client, order, **data):
    client.get(guest_link(order))  # a guest opens the mail's link: the browser now holds the key
    form = {"category": "quality", "message": "Bình bị nứt ở miệng.", "outlet_id": order.pickups[0].outlet_id}
    form.update(data)
    return client.post(f"/orders/{order.number}/complaints", data=form,
                       content_type="multipart/form-data")


def only_complaint() -> Complaint:
    db.session.expire_all()
    return db.session.scalars(db.select(Complaint)).one()


def test_a_guest_complains_the_outlet_answers_and_the_guest_resolves_with_mail_each_way(
        app, client, login, smtp_server):
    use_mail_server(app, smtp_server.port)
    outlet, staff, other, admin, order = shop_with_order()

    response = file_from_the_order_page(client, order, photo=(io.BytesIO(jpeg()), "a.jpg"))
    assert response.status_code == 303
    complaint = only_complaint()
    assert complaint.status == Status.OPEN and complaint.outlet_id == outlet.id
    assert complaint.photo_key.startswith("complaints/") and is_private(complaint.photo_key)

    mails = deliver(smtp_server)
    assert set(mails) == {"khach@example.com", "staff@example.com", "admin@example.com"}
    assert complaint.reference in text_of(mails["khach@example.com"][0])
    assert "Bình bị nứt ở miệng." in text_of(mails["staff@example.com"][0])
    assert f"/outlet/complaints/{complaint.id}" in text_of(mails["staff@example.com"][0])
    assert f"/admin/complaints/{complaint.id}" in text_of(mails["admin@example.com"][0])

    staff_client = app.test_client()
    login(staff, test_client=staff_client)
    assert complaint.reference in staff_client.get("/outlet/complaints").get_data(as_text=True)
    assert staff_client.get(f"/outlet/complaints/{complaint.id}/photo").status_code == 200
    response = staff_client.post(f"/outlet/complaints/{complaint.id}",
                                 data={"message": "Xin lỗi bạn, mời bạn qua đổi bình mới."})
    assert response.status_code == 303
    assert only_complaint().status == Status.ANSWERED
    mails = deliver(smtp_server)
    assert list(mails) == ["khach@example.com"]
    assert "mời bạn qua đổi bình mới" in text_of(mails["khach@example.com"][0])

    page = client.get(f"/orders/{order.number}/complaints").get_data(as_text=True)
    assert "mời bạn qua đổi bình mới" in page
    client.post(f"/orders/{order.number}/complaints/{complaint.id}/reply",
                data={"message": "Khi nào tôi qua được?"})
    assert only_complaint().status == Status.OPEN  # the shopper's reply opens it again
    assert set(deliver(smtp_server)) == {"staff@example.com", "admin@example.com"}

    client.post(f"/orders/{order.number}/complaints/{complaint.id}/resolve")
    assert only_complaint().status == Status.RESOLVED
    assert only_complaint().resolved_at is not None
    assert set(deliver(smtp_server)) == {"staff@example.com", "admin@example.com"}


def test_another_outlets_staff_and_strangers_never_see_a_complaint(app, client, login):
    outlet, staff, other, admin, order = shop_with_order()
    file_from_the_order_page(client, order)
    complaint = only_complaint()

    other_client = app.test_client()
    login(other, test_client=other_client)
    assert complaint.reference not in other_client.get("/outlet/complaints").get_data(as_text=True)
    assert other_client.get(f"/outlet/complaints/{complaint.id}").status_code == 404
    assert other_client.post(f"/outlet/complaints/{complaint.id}",
                             data={"message": "x"}).status_code == 404

    stranger = app.test_client()
    assert stranger.get(f"/orders/{order.number}/complaints").status_code == 404
    assert stranger.post(f"/orders/{order.number}/complaints",
                         data={"category": "other", "message": "x"}).status_code == 404
    assert Complaint.query.count() == 1

    admin_client = app.test_client()
    login(admin, test_client=admin_client)
    assert complaint.reference in admin_client.get("/admin/complaints").get_data(as_text=True)
    assert admin_client.get(f"/admin/complaints/{complaint.id}").status_code == 200


def test_the_photo_is_never_at_a_public_address(app, client):
    _outlet, _staff, _other, _admin, order = shop_with_order()
    file_from_the_order_page(client, order, photo=(io.BytesIO(jpeg()), "a.jpg"))
    complaint = only_complaint()
    assert app.test_client().get(f"/media/{complaint.photo_key}").status_code == 404
    assert app.test_client().get(
        f"/orders/{order.number}/complaints/{complaint.id}/photo").status_code == 404
    response = client.get(f"/orders/{order.number}/complaints/{complaint.id}/photo")
    assert response.status_code == 200 and response.mimetype == "image/webp"
    assert "no-store" in response.headers["Cache-Control"]


def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_filed(client):
    _outlet, _staff, _other, _admin, order = shop_with_order()
    response = file_from_the_order_page(
        client, order, photo=(io.BytesIO(b"%PDF-1.4 not an image"), "a.pdf"))
    assert response.status_code == 200
    assert Complaint.query.count() == 0


def test_a_complaint_needs_a_category_and_a_message(client):
    _outlet, _staff, _other, _admin, order = shop_with_order()
    response = file_from_the_order_page(client, order, category="", message="  ")
    assert response.status_code == 200 and Complaint.query.count() == 0
    assert 'role="alert"' in response.get_data(as_text=True)


def test_the_outlet_named_must_be_one_of_the_orders(app):
    _outlet, _staff, other, _admin, order = shop_with_order()
    with pytest.raises(services.NotAboutThisOrder):
        services.file_complaint(order, category="pickup", message="x", outlet_id=other.outlet_id)


@time_machine.travel(datetime(2026, 2, 12, 3, 0), tick=False)  # Thursday before Tết (10:00 Hanoi)
def test_due_dates_skip_tet_and_weekends(app):
    _outlet, _staff, _other, _admin, order = shop_with_order()
    complaint = services.file_complaint(order, category="quality", message="x")
    # Fri 13 Feb is day 1; 14–22 Feb is the weekend, Tết (16–20) and the weekend; then 23, 24...
    assert complaint.answer_by == date(2026, 3, 2)  # 7 working days: 13/2, 23–27/2, 2/3
    assert complaint.resolve_by > complaint.answer_by


def test_a_resolved_complaint_takes_no_more_answers(app):
    _outlet, staff, _other, _admin, order = shop_with_order()
    complaint = services.file_complaint(order, category="quality", message="x")
    services.answer(complaint, "Đã đổi.", staff, resolve=True)
    assert complaint.status == Status.RESOLVED and complaint.answered_at is not None
    with pytest.raises(services.ComplaintClosed):
        services.answer(complaint, "Thêm.", staff)
    with pytest.raises(services.ComplaintClosed):
        services.reply(complaint, "Thêm.")
