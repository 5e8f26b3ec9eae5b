"""The public certificate check: verdicts by day, codes that cannot be guessed, search, API, revocation."""
import datetime as dt
import re

import pytest
import time_machine

from storefront.catalog.models import Certificate, ReviewStatus
from storefront.certificates.verdict import Verdict, verdict_of
from storefront.extensions import db
from storefront.notifications.models import OutboxMessage
from storefront.text import CODE_ALPHABET
from storefront.timeutil import HANOI
from tests.support.factories import AdminFactory, CertificateFactory, ProductFactory

DECIDED = dt.date(2024, 3, 15)
EXPIRES = dt.date(2027, 3, 15)  # decision date + 36 months: the first day it no longer counts


def _at_noon_in_hanoi(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(12), HANOI), tick=False)


@pytest.fixture
def certificate(app):
    product = ProductFactory(name_vi="Bình gốm men lam", certified=False)
    return CertificateFactory(product=product, stars=5, score=93, decision_number="1234/QĐ-UBND",
                              decision_date=DECIDED, expires_on=Certificate.expiry_for(DECIDED),
                              issuing_body="UBND thành phố Hà Nội")


@pytest.mark.parametrize("day, verdict", [
    (EXPIRES - dt.timedelta(days=1), Verdict.VALID),
    (EXPIRES, Verdict.EXPIRED),
    (EXPIRES + dt.timedelta(days=1), Verdict.EXPIRED),
])
def test_the_verdict_turns_to_expired_on_the_expiry_day_in_hanoi(client, certificate, day, verdict):
    assert certificate.expires_on == EXPIRES
    with _at_noon_in_hanoi(day):
        page = client.get(f"/certificates/{certificate.code}")
        api = client.get(f"/api/certificates/{certificate.code}").get_json()
    assert page.status_code == 200
    assert f"verdict-{verdict}" in page.get_data(as_text=True)
    assert api["verdict"] == verdict and api["valid"] is (verdict == Verdict.VALID)


def test_just_after_midnight_in_hanoi_the_expiry_day_has_begun(certificate):
    # 17:30 UTC on the 14th is 00:30 on the 15th in Hanoi.
    with time_machine.travel(dt.datetime(2027, 3, 14, 17, 30, tzinfo=dt.timezone.utc), tick=False):
        assert verdict_of(certificate) == Verdict.EXPIRED


def test_the_page_shows_the_facts_and_the_verdict_in_both_languages(client, certificate):
    with _at_noon_in_hanoi(dt.date(2026, 6, 1)):
        vi = client.get(f"/certificates/{certificate.code}").get_data(as_text=True)
        client.post("/lang/en")
        en = client.get(f"/certificates/{certificate.code}").get_data(as_text=True)
    for text in ("Bình gốm men lam", "1234/QĐ-UBND", "93/100", "UBND thành phố Hà Nội",
                 certificate.product.producer.name, certificate.code):
        assert text in vi and text in en
    assert "Còn hiệu lực" in vi and "Valid" in en
    assert certificate.scan_key is None or certificate.scan_key not in vi


def test_pending_and_rejected_certificates_are_not_found(client, app):
    for status in (ReviewStatus.PENDING, ReviewStatus.REJECTED):
        cert = CertificateFactory(status=status)
        response = client.get(f"/certificates/{cert.code}")
        assert response.status_code == 404
        assert "verdict-not_found" in response.get_data(as_text=True)
        assert client.get(f"/api/certificates/{cert.code}").get_json()["verdict"] == "not_found"


def test_codes_are_random_unguessable_and_stable(app):
    certs = [CertificateFactory() for _ in range(20)]
    codes = [c.code for c in certs]
    assert len(set(codes)) == 20
    assert all(len(code) == 10 and set(code) <= set(CODE_ALPHABET) for code in codes)
    db.session.refresh(certs[0])
    assert certs[0].code == codes[0]


def test_unknown_codes_are_not_found_and_guessing_is_rate_limited(client, certificate):
    statuses = [client.get(f"/certificates/{'2' * 9}{c}").status_code for c in "3456789ABCDEFGHJKMNPQRSTUVWXYZ"]
    assert set(statuses[:29]) == {404}
    statuses += [client.get("/api/certificates/ZZZZZZZZZZ").status_code for _ in range(5)]
    assert 429 in statuses
    assert client.get("/certificates/%00").status_code in (404, 429)


def test_a_code_typed_in_lower_case_or_with_a_dash_finds_the_certificate(client, certificate):
    typed = certificate.code[:5].lower() + "-" + certificate.code[5:].lower()
    response = client.get(f"/certificates/{typed}")
    assert response.status_code == 301 and response.location.endswith(f"/certificates/{certificate.code}")


@pytest.mark.parametrize("query", ["1234/QĐ-UBND", "1234/qd-ubnd", "1234 / QD - UBND", " 1234/Qđ-ubnd "])
def test_the_decision_number_is_found_ignoring_accents_case_and_spacing(client, certificate, query):
    page = client.get("/certificates", query_string={"q": query}).get_data(as_text=True)
    assert f"/certificates/{certificate.code}" in page and "Bình gốm men lam" in page


def test_a_search_that_finds_nothing_says_so(client, certificate):
    page = client.get("/certificates", query_string={"q": "9999/QĐ-XYZ"}).get_data(as_text=True)
    assert "verdict-not_found" in page


def test_the_code_from_a_label_typed_into_the_search_opens_the_certificate(client, certificate):
    response = client.get("/certificates", query_string={"q": certificate.code.lower()})
    assert response.status_code == 302 and response.location.endswith(certificate.code)


def test_the_api_gives_the_public_facts_and_never_the_scan(client, certificate):
    certificate.scan_key = "scans/secret-scan.pdf"
    db.session.commit()
    with _at_noon_in_hanoi(dt.date(2026, 6, 1)):
        data = client.get(f"/api/certificates/{certificate.code}").get_json()
    assert data["stars"] == 5 and data["score"] == 93 and data["decision_number"] == "1234/QĐ-UBND"
    assert data["decision_date"] == "2024-03-15" and data["expires_on"] == "2027-03-15"
    assert data["product"]["name"] == "Bình gốm men lam" and data["verdict"] == "valid"
    assert "scan" not in str(data)


def test_the_product_page_links_to_its_certificate_page(client, certificate):
    page = client.get(f"/products/{certificate.product.slug}").get_data(as_text=True)
    assert f"/certificates/{certificate.code}" in page


def test_an_admin_revokes_with_a_reason_the_product_leaves_the_shop_and_the_producer_is_told(
        client, login, certificate):
    certificate.product.producer.email = "htx@example.com"
    db.session.commit()
    login(AdminFactory())
    response = client.post(f"/admin/certificates/{certificate.id}/revoke",
                           data={"reason": "Sản phẩm không đạt kiểm tra chất lượng lại"})
    assert response.status_code == 302
    db.session.refresh(certificate)
    assert certificate.status == ReviewStatus.REVOKED and certificate.revoked_at is not None
    page = client.get(f"/certificates/{certificate.code}").get_data(as_text=True)
    assert "verdict-revoked" in page and "không đạt kiểm tra chất lượng lại" in page
    assert client.get(f"/products/{certificate.product.slug}").status_code == 404
    mail = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.kind == "certificate_revoked")).all()
    assert [m.to_email for m in mail] == ["htx@example.com"]


def test_revoking_needs_a_reason_and_a_verified_certificate(client, login, certificate):
    login(AdminFactory())
    client.post(f"/admin/certificates/{certificate.id}/revoke", data={"reason": ""})
    db.session.refresh(certificate)
    assert certificate.status == ReviewStatus.VERIFIED
    pending = CertificateFactory(status=ReviewStatus.PENDING)
    response = client.post(f"/admin/certificates/{pending.id}/revoke", data={"reason": "Không hợp lệ nữa"},
                           follow_redirects=True)
    assert "Chỉ thu hồi được chứng nhận đã xác minh" in response.get_data(as_text=True)
    db.session.refresh(pending)
    assert pending.status == ReviewStatus.PENDING


def test_only_admins_revoke(client, login, certificate):
    from tests.support.factories import ProducerUserFactory

    login(ProducerUserFactory(producer=certificate.product.producer))
    assert client.post(f"/admin/certificates/{certificate.id}/revoke",
                       data={"reason": "Tự thu hồi"}).status_code == 403
    db.session.refresh(certificate)
    assert certificate.status == ReviewStatus.VERIFIED


def test_admins_see_certificates_expiring_in_30_60_90_days(client, login, app):
    today = dt.date(2026, 6, 1)
    soon = CertificateFactory(decision_number="A-20", decision_date=dt.date(2023, 6, 21),
                              expires_on=today + dt.timedelta(days=20))
    later = CertificateFactory(decision_number="B-75", decision_date=dt.date(2023, 8, 15),
                               expires_on=today + dt.timedelta(days=75))
    with _at_noon_in_hanoi(today):
        login(AdminFactory())
        in_30 = client.get("/admin/certificates/expiring?within=30").get_data(as_text=True)
        in_90 = client.get("/admin/certificates/expiring?within=90").get_data(as_text=True)
        assert client.get("/admin/certificates/expiring?within=45").status_code == 404
    assert "A-20" in in_30 and "B-75" not in in_30
    assert "A-20" in in_90 and "B-75" in in_90
    assert re.search(r"còn 20 ngày", in_30)


def test_the_admin_review_card_revokes_a_verified_certificate_and_a_revoked_one_stays_revoked(
        client, login, certificate):
    login(AdminFactory())
    page = client.get("/admin/certificates?status=verified").get_data(as_text=True)
    assert f'action="/admin/certificates/{certificate.id}/revoke"' in page and "Thu hồi chứng nhận" in page
    client.post(f"/admin/certificates/{certificate.id}/revoke", data={"reason": "Nhãn sai hạng sao"})
    revoked = client.get("/admin/certificates?status=revoked").get_data(as_text=True)
    assert "Nhãn sai hạng sao" in revoked and f"/certificates/{certificate.id}/verify" not in revoked
    client.post(f"/admin/certificates/{certificate.id}/verify", data={"note": ""})
    db.session.refresh(certificate)
    assert certificate.status == ReviewStatus.REVOKED
