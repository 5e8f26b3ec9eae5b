"""Expiry reminders 90, 30 and 7 days ahead and on the day: each once, never for a renewed certificate."""
import datetime as dt

import pytest

from storefront.catalog.models import Certificate
from storefront.certificates.reminders import send_expiry_reminders
from storefront.extensions import db
from storefront.notifications.models import OutboxMessage
from tests.support.factories import CertificateFactory, ProducerFactory, ProductFactory, ProducerUserFactory

EXPIRES = dt.date(2027, 3, 15)


@pytest.fixture
def certificate(app):
    producer = ProducerFactory(email="htx@example.com")
    ProducerUserFactory(producer=producer, email="chu.htx@example.com", locale="en")
    product = ProductFactory(producer=producer, name_vi="Mật ong Ba Vì", certified=False)
    return CertificateFactory(product=product, decision_date=dt.date(2024, 3, 15), expires_on=EXPIRES)


def _sent(kind=None):
    query = db.select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    return db.session.scalars(query).all()


def _run_on(days_before: int) -> int:
    return send_expiry_reminders(EXPIRES - dt.timedelta(days=days_before))


def test_each_reminder_goes_once_to_every_producer_address_in_its_language(certificate):
    assert _run_on(91) == 0
    assert _run_on(90) == 1 and _run_on(90) == 0 and _run_on(89) == 0 and _run_on(31) == 0
    assert _run_on(30) == 1 and _run_on(29) == 0
    assert _run_on(7) == 1 and _run_on(1) == 0
    assert _run_on(0) == 1 and _run_on(-1) == 0
    mails = _sent()
    assert [m.kind for m in mails] == ["certificate_expiring"] * 6 + ["certificate_expired"] * 2
    assert {m.to_email for m in mails} == {"htx@example.com", "chu.htx@example.com"}
    english = [m for m in mails if m.to_email == "chu.htx@example.com"]
    assert "expires in 90 days" in english[0].subject.lower() or "90 days" in english[0].subject
    vietnamese = [m for m in mails if m.to_email == "htx@example.com"]
    assert "Mật ong Ba Vì" in vietnamese[0].subject and "90 ngày" in vietnamese[0].subject
    assert "/producer/products/" in vietnamese[0].body


def test_a_missed_run_sends_only_the_most_urgent_reminder(certificate):
    assert _run_on(12) == 1  # the 90- and 30-day reminders were missed: only "30 days" goes
    [mail, _] = _sent()
    assert "12" in mail.subject
    assert _run_on(7) == 1


def test_a_renewed_certificate_needs_no_reminder(certificate):
    CertificateFactory(product=certificate.product, decision_date=dt.date(2027, 1, 10),
                       expires_on=Certificate.expiry_for(dt.date(2027, 1, 10)))
    assert _run_on(30) == 0 and _run_on(0) == 0
    assert _sent() == []


def test_a_renewal_waiting_for_review_stops_the_reminders_too(certificate):
    CertificateFactory(product=certificate.product, status="pending",
                       decision_date=dt.date(2027, 1, 10), expires_on=dt.date(2030, 1, 10))
    assert _run_on(30) == 0


def test_an_old_expiry_does_not_send_a_late_notice(certificate):
    assert send_expiry_reminders(EXPIRES + dt.timedelta(days=30)) == 0


def test_the_producer_dashboard_shows_what_to_renew(client, login, certificate):
    import time_machine

    from storefront.timeutil import HANOI

    with time_machine.travel(dt.datetime(2027, 2, 20, 9, tzinfo=HANOI), tick=False):
        login(certificate.product.producer.users[0])
        page = client.get("/producer/labels").get_data(as_text=True)
    assert "Mật ong Ba Vì" in page and "23" in page
