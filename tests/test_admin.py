"""Admin dashboard: reviews of producers and certificates, villages, outlets and accounts."""
import datetime as dt

import pytest
from sqlalchemy import select

from storefront.accounts.models import Role, User
from storefront.admin import places, services
from storefront.catalog.models import Outlet, Village
from storefront.timeutil import local_today
from storefront.web import guard
from tests.support.factories import (
    PASSWORD, AdminFactory, CertificateFactory, OutletFactory, ProducerFactory, ProducerUserFactory,
    ProductFactory, StaffUserFactory, UserFactory, VillageFactory,
)


@pytest.fixture
def admin(client, login):
    user = AdminFactory()
    login(user)
    return user


def _page(response):
    return response.get_data(as_text=True)


# --- guard ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("factory", [UserFactory, ProducerUserFactory, StaffUserFactory])
def test_admin_pages_are_forbidden_to_other_roles(client, login, factory):
    login(factory())

    assert client.get("/admin/").status_code == 403
    assert client.get("/admin/villages/new").status_code == 403


def test_admin_pages_send_anonymous_visitors_to_sign_in(client):
    response = client.get("/admin/producers")

    assert response.status_code == 302
    assert "/auth/login?next=%2Fadmin%2Fproducers" in response.location


def test_an_area_guard_lets_any_listed_role_through(app):
    check = guard(Role.OUTLET_STAFF, Role.ADMIN)

    @app.get("/test-only/staff-or-admin")
    def staff_or_admin():
        return check() or "inside"

    client = app.test_client()
    client.post("/auth/login", data={"email": StaffUserFactory().email, "password": PASSWORD})
    assert _page(client.get("/test-only/staff-or-admin")) == "inside"


# --- dashboard and reviews -----------------------------------------------------------------------

def test_dashboard_counts_pending_producers_and_certificates(client, admin):
    ProducerFactory(status="pending")
    ProducerFactory(status="pending")
    CertificateFactory(status="pending")

    page = _page(client.get("/admin/"))

    assert 'data-count="pending-producers">2<' in page
    assert 'data-count="pending-certificates">1<' in page


def test_admin_verifies_a_pending_producer(client, admin, db):
    producer = ProducerFactory(status="pending", name="HTX Lụa Vạn Phúc")
    assert "HTX Lụa Vạn Phúc" in _page(client.get("/admin/producers"))

    response = client.post(f"/admin/producers/{producer.id}/verify", data={"note": ""},
                           follow_redirects=True)

    db.session.refresh(producer)
    assert producer.status == "verified" and producer.reviewed_at is not None
    assert "Đã xác minh cơ sở “HTX Lụa Vạn Phúc”." in _page(response)
    assert "Không có cơ sở sản xuất nào ở trạng thái này." in _page(response)


def test_admin_rejects_a_producer_with_a_reason_it_can_read(client, admin, db):
    producer = ProducerFactory(status="pending")

    client.post(f"/admin/producers/{producer.id}/reject", data={"note": "Thiếu giấy phép kinh doanh"})

    db.session.refresh(producer)
    assert (producer.status, producer.review_note) == ("rejected", "Thiếu giấy phép kinh doanh")
    assert "Thiếu giấy phép kinh doanh" in _page(client.get("/admin/producers?status=rejected"))


def test_rejecting_without_a_reason_is_refused(client, admin, db):
    producer = ProducerFactory(status="pending")

    response = client.post(f"/admin/producers/{producer.id}/reject", data={"note": "  "},
                           follow_redirects=True)

    assert "Vui lòng ghi lý do từ chối" in _page(response)
    db.session.refresh(producer)
    assert producer.status == "pending"


def test_certificate_queue_shows_the_facts_to_check_and_the_scan(client, admin):
    CertificateFactory(status="pending", stars=5, score=93, issuing_level="central",
                       decision_number="781/QĐ-BNN", scan_key="certs/781.jpg",
                       product__name_vi="Gốm men rạn", product__producer__name="Gốm Quang Vinh")

    page = _page(client.get("/admin/certificates"))

    for fact in ("Gốm men rạn", "Gốm Quang Vinh", "★★★★★", "93", "Cấp trung ương", "781/QĐ-BNN",
                 "/scans/certs/781.jpg"):
        assert fact in page


def test_admin_verifies_a_certificate_and_records_who_did(client, admin, db):
    certificate = CertificateFactory(status="pending")

    client.post(f"/admin/certificates/{certificate.id}/verify", data={"note": "Khớp bản gốc"})

    db.session.refresh(certificate)
    assert (certificate.status, certificate.reviewed_by_id, certificate.review_note) == (
        "verified", admin.id, "Khớp bản gốc")
    assert certificate.reviewed_at is not None


def test_admin_rejects_a_certificate_with_a_reason(client, admin, db):
    certificate = CertificateFactory(status="pending")

    client.post(f"/admin/certificates/{certificate.id}/reject", data={"note": "Ảnh quét bị mờ"})

    db.session.refresh(certificate)
    assert (certificate.status, certificate.review_note) == ("rejected", "Ảnh quét bị mờ")
    assert "Ảnh quét bị mờ" in _page(client.get("/admin/certificates?status=rejected"))


def test_an_expired_certificate_cannot_be_verified(client, admin, db):
    decided = local_today() - dt.timedelta(days=4 * 365)
    certificate = CertificateFactory(status="pending", decision_date=decided)

    response = client.post(f"/admin/certificates/{certificate.id}/verify", follow_redirects=True)

    assert "Chứng nhận đã hết hạn" in _page(response)
    db.session.refresh(certificate)
    assert certificate.status == "pending"


def test_a_certificate_whose_score_does_not_fit_its_stars_is_refused(db):
    admin = AdminFactory()
    certificate = CertificateFactory(status="pending", stars=5, score=75)

    with pytest.raises(services.ReviewError, match="không khớp"):
        services.verify_certificate(certificate, by=admin)


def test_review_services_refuse_non_admins(db):
    producer = ProducerFactory(status="pending")

    with pytest.raises(services.AdminError):
        services.verify_producer(producer, by=UserFactory())
    assert producer.status == "pending"


# --- villages and outlets ------------------------------------------------------------------------

def test_admin_creates_a_village_with_a_slug_from_its_name(client, admin, db):
    VillageFactory(slug="bat-trang")

    client.post("/admin/villages/new", data={"name": "Bát Tràng", "district": "Gia Lâm"})

    village = db.session.scalar(select(Village).where(Village.name == "Bát Tràng"))
    assert (village.slug, village.district) == ("bat-trang-2", "Gia Lâm")


def test_village_slug_must_be_free(client, admin, db):
    VillageFactory(slug="van-phuc")

    page = _page(client.post("/admin/villages/new", data={"name": "Vạn Phúc", "slug": "van-phuc"}))

    assert "Đường dẫn “van-phuc” đã được dùng." in page
    assert 'value="Vạn Phúc"' in page
    assert db.session.scalar(select(Village).where(Village.name == "Vạn Phúc")) is None


def test_renaming_a_village_refreshes_its_products_search_text(client, admin, db):
    product = ProductFactory(name_vi="Chén trà", producer__village__name="Làng Cũ")

    response = client.post(f"/admin/villages/{product.producer.village_id}/edit",
                           data={"name": "Bát Tràng", "slug": product.producer.village.slug})

    assert response.status_code == 302
    db.session.refresh(product)
    assert "bat trang" in product.search_text and "lang cu" not in product.search_text


def _outlet_data(**overrides):
    data = {"name": "Khu tinh hoa làng nghề Việt", "place_type": "craft_village",
            "address": "Thôn 5, xã Bát Tràng", "village_id": "0", "opening_hours": "8:00–17:30",
            "phone": "0912345678", "latitude": "21,0285", "longitude": "105.9120", "active": "y"}
    data.update(overrides)
    return data


def test_admin_creates_an_outlet(client, admin, db):
    village = VillageFactory()

    response = client.post("/admin/outlets/new", data=_outlet_data(village_id=str(village.id)))

    assert response.status_code == 302
    outlet = db.session.scalar(select(Outlet))
    assert (outlet.slug, outlet.latitude, outlet.longitude, outlet.village_id, outlet.active) == (
        "khu-tinh-hoa-lang-nghe-viet", 21.0285, 105.912, village.id, True)


@pytest.mark.parametrize("overrides, message", [
    ({"latitude": "91"}, "Vĩ độ phải nằm trong khoảng -90 đến 90."),
    ({"longitude": "-180.5"}, "Kinh độ phải nằm trong khoảng -180 đến 180."),
    ({"latitude": "north"}, "Vui lòng nhập một số"),
    ({"longitude": ""}, "Nhập cả vĩ độ và kinh độ"),
    ({"address": ""}, "Vui lòng nhập địa chỉ."),
    ({"slug": "Bad Slug"}, "Đường dẫn chỉ gồm chữ thường"),
])
def test_outlet_with_bad_input_is_not_saved_and_the_form_keeps_values(client, admin, db, overrides, message):
    page = _page(client.post("/admin/outlets/new", data=_outlet_data(**overrides)))

    assert message in page
    assert 'value="Khu tinh hoa làng nghề Việt"' in page
    assert db.session.scalars(select(Outlet)).all() == []


def test_admin_edits_an_outlet_and_can_deactivate_it(client, admin, db):
    outlet = OutletFactory(slug="diem-ban-cu")

    data = _outlet_data(slug="diem-ban-cu")
    del data["active"]
    client.post(f"/admin/outlets/{outlet.id}/edit", data=data)

    db.session.refresh(outlet)
    assert (outlet.name, outlet.slug, outlet.active) == ("Khu tinh hoa làng nghề Việt", "diem-ban-cu", False)


def test_save_village_service_refuses_a_blank_name(db):
    with pytest.raises(places.PlaceError):
        places.save_village(None, by=AdminFactory(), values={"name": "  "})


# --- accounts ------------------------------------------------------------------------------------

def test_users_page_lists_accounts_with_their_role(client, admin):
    StaffUserFactory(email="staff@example.com")

    page = _page(client.get("/admin/users"))

    assert "staff@example.com" in page and "Nhân viên điểm bán" in page


def test_admin_creates_an_outlet_staff_account(client, admin, db):
    outlet = OutletFactory()

    client.post("/admin/users/staff/new", data={
        "name": "Phạm Hoa", "email": "Hoa@Example.com", "outlet_id": str(outlet.id),
        "password": PASSWORD, "confirm": PASSWORD})

    user = db.session.scalar(select(User).where(User.email == "hoa@example.com"))
    assert (user.role, user.outlet_id) == (Role.OUTLET_STAFF, outlet.id)


def test_staff_account_needs_an_outlet_and_a_free_email(client, admin, db):
    UserFactory(email="taken@example.com")

    page = _page(client.post("/admin/users/staff/new", data={
        "name": "Phạm Hoa", "email": "taken@example.com", "outlet_id": "0",
        "password": PASSWORD, "confirm": PASSWORD}))

    assert "Vui lòng chọn điểm bán." in page
    assert db.session.scalar(select(User).where(User.role == Role.OUTLET_STAFF)) is None


def test_disabling_a_user_ends_their_sessions_and_blocks_sign_in(app, client, admin, db, login):
    shopper = UserFactory()
    theirs = app.test_client()
    login(shopper, test_client=theirs)

    client.post(f"/admin/users/{shopper.id}/disable")

    assert theirs.get("/auth/account").status_code == 302
    refused = theirs.post("/auth/login", data={"email": shopper.email, "password": PASSWORD})
    assert "Tài khoản này đã bị khóa" in _page(refused)

    client.post(f"/admin/users/{shopper.id}/enable")
    login(shopper, test_client=theirs)


def test_admin_cannot_disable_themselves(client, admin, db):
    response = client.post(f"/admin/users/{admin.id}/disable", follow_redirects=True)

    assert "Bạn không thể tự khóa tài khoản của mình." in _page(response)
    db.session.refresh(admin)
    assert admin.active
