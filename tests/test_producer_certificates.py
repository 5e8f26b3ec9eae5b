"""Producers submit OCOP certificates that follow the programme's rules, for an admin to verify."""
import datetime as dt

import pytest
from sqlalchemy import select

from storefront.catalog.models import Certificate
from storefront.producers.certificates import check_rules
from storefront.producers.errors import CertificateInvalid
from storefront.timeutil import local_today
from tests.support.factories import CertificateFactory
from tests.support.producer_support import (  # noqa: F401  (fixtures)
    PDF, SVG, jpeg, own_product, producer_user, signed_in, stored_files, upload,
)

TODAY = dt.date(2026, 3, 15)


def form(**overrides) -> dict:
    values = {"stars": "4", "score": "78", "issuing_level": "province",
              "issuing_body": "UBND TP Hà Nội", "decision_number": "1234/QĐ-UBND",
              "decision_date": (local_today() - dt.timedelta(days=30)).isoformat()}
    values.update(overrides)
    scan = values.pop("scan", PDF)
    return upload(scan, "chung-nhan.pdf", field="scan", **values)


def certificates(db) -> list[Certificate]:
    return list(db.session.scalars(select(Certificate).order_by(Certificate.id)))


def post(client, product, **overrides):
    return client.post(f"/producer/products/{product.id}/certificates", data=form(**overrides),
                       content_type="multipart/form-data")


@pytest.fixture
def uncertified(own_product, db):
    for certificate in list(own_product.certificates):
        db.session.delete(certificate)
    db.session.commit()
    return own_product


def test_certificate_is_saved_pending_with_36_month_expiry_and_stored_scan(signed_in, db, app, uncertified):
    decided = local_today() - dt.timedelta(days=30)
    response = post(signed_in, uncertified, decision_date=decided.isoformat())
    assert response.status_code == 302
    [certificate] = certificates(db)
    assert (certificate.stars, certificate.score, certificate.status) == (4, 78, "pending")
    assert certificate.expires_on == Certificate.expiry_for(decided)
    assert (certificate.expires_on - decided).days in range(1094, 1098)
    assert certificate.scan_key.startswith("certificates/") and certificate.scan_key.endswith(".pdf")
    assert [p.name for p in stored_files(app)] == [certificate.scan_key.split("/")[1]]
    page = signed_in.get(f"/producer/products/{uncertified.id}/certificates").get_data(as_text=True)
    assert "1234/QĐ-UBND" in page and "Chờ duyệt" in page


def test_image_scan_is_reencoded_as_webp(signed_in, db, uncertified):
    post(signed_in, uncertified, scan=jpeg(gps=True))
    [certificate] = certificates(db)
    assert certificate.scan_key.endswith(".webp")


@pytest.mark.parametrize("scan, message", [
    (SVG, "Bản chụp phải là ảnh JPEG, PNG, WebP hoặc tệp PDF."),
    (b"", "trống"),
    (PDF + b"\0" * (10 * 1024 * 1024), "quá lớn"),
    (jpeg()[:500], "bị hỏng"),
])
def test_bad_scan_is_refused_and_nothing_stored(signed_in, db, app, uncertified, scan, message):
    page = post(signed_in, uncertified, scan=scan).get_data(as_text=True)
    assert message in page
    assert certificates(db) == [] and stored_files(app) == []


@pytest.mark.parametrize("decision, expiry", [
    (dt.date(2024, 2, 29), dt.date(2027, 2, 28)),
    (dt.date(2025, 1, 31), dt.date(2028, 1, 31)),
    (dt.date(2023, 11, 30), dt.date(2026, 11, 30)),
    (dt.date(2024, 8, 31), dt.date(2027, 8, 31)),
])
def test_expiry_is_36_months_after_the_decision(decision, expiry):
    assert Certificate.expiry_for(decision) == expiry


@pytest.mark.parametrize("stars, score, ok", [
    (3, 50, True), (3, 69, True), (3, 70, False), (3, 49, False),
    (4, 70, True), (4, 89, True), (4, 69, False), (4, 90, False),
    (5, 90, True), (5, 100, True), (5, 89, False), (5, 101, False),
])
def test_score_must_fit_the_star_band(stars, score, ok):
    level = "central" if stars == 5 else "province"
    if ok:
        check_rules(stars, score, level, dt.date(2025, 9, 1), TODAY)
    else:
        with pytest.raises(CertificateInvalid) as caught:
            check_rules(stars, score, level, dt.date(2025, 9, 1), TODAY)
        assert caught.value.field == "score"


@pytest.mark.parametrize("stars, level, decided, ok", [
    (3, "district", dt.date(2025, 6, 30), True),
    (4, "province", dt.date(2025, 6, 30), True),
    (3, "district", dt.date(2025, 7, 1), False),
    (4, "province", dt.date(2025, 7, 1), True),
    (3, "central", dt.date(2025, 9, 1), False),
    (5, "central", dt.date(2024, 5, 1), True),
    (5, "province", dt.date(2024, 5, 1), False),
    (5, "district", dt.date(2024, 5, 1), False),
])
def test_issuing_level_rules(stars, level, decided, ok):
    score = {3: 60, 4: 80, 5: 95}[stars]
    if ok:
        check_rules(stars, score, level, decided, TODAY)
    else:
        with pytest.raises(CertificateInvalid) as caught:
            check_rules(stars, score, level, decided, TODAY)
        assert caught.value.field == "issuing_level"


@pytest.mark.parametrize("decided, ok", [
    (TODAY, True),
    (TODAY + dt.timedelta(days=1), False),  # in the future
    (dt.date(2023, 3, 16), True),  # expires 2026-03-16, tomorrow
    (dt.date(2023, 3, 15), False),  # expired today
])
def test_decision_date_must_be_past_and_still_valid(app, decided, ok):
    level = "province" if decided >= dt.date(2025, 7, 1) else "district"
    if ok:
        check_rules(3, 60, level, decided, TODAY)
    else:
        with pytest.raises(CertificateInvalid) as caught:
            check_rules(3, 60, level, decided, TODAY)
        assert caught.value.field == "decision_date"


@pytest.mark.parametrize("overrides, message", [
    ({"stars": "5", "score": "85", "issuing_level": "central"}, "không khớp hạng 5 sao: cần từ 90 đến 100"),
    ({"stars": "5", "score": "95", "issuing_level": "province"}, "Sản phẩm 5 sao do cấp trung ương công nhận."),
    ({"issuing_level": "district"}, "Cấp huyện chỉ công nhận OCOP trước ngày 01/07/2025."),
    ({"decision_date": (local_today() + dt.timedelta(days=2)).isoformat()}, "không thể ở tương lai"),
    ({"decision_date": (local_today() - dt.timedelta(days=1200)).isoformat(), "issuing_level": "district"},
     "đã hết hạn"),
    ({"decision_date": "15/03/2026"}, "Ngày không hợp lệ."),
    ({"decision_number": " "}, "Hãy nhập số quyết định."),
    ({"score": "80.5"}, "Điểm phải là số nguyên"),
    ({"stars": "2"}, "Hạng sao phải là 3, 4 hoặc 5."),
])
def test_form_shows_a_clear_error_and_saves_nothing(signed_in, db, app, uncertified, overrides, message):
    page = post(signed_in, uncertified, **overrides).get_data(as_text=True)
    assert message in page
    assert certificates(db) == [] and stored_files(app) == []


def test_rejected_certificate_shows_the_admins_note(signed_in, uncertified):
    CertificateFactory(product=uncertified, status="rejected", review_note="Bản chụp bị mờ, không đọc được số")
    page = signed_in.get(f"/producer/products/{uncertified.id}/certificates").get_data(as_text=True)
    assert "Bị từ chối" in page and "Bản chụp bị mờ, không đọc được số" in page
