"""Delivering the outbox over real SMTP: nothing lost when the server is down, none sent twice."""
from datetime import timedelta

import pytest

from storefront.extensions import db
from storefront.notifications.mailer import BACKOFF, MAX_ATTEMPTS, send_pending
from storefront.notifications.models import OutboxMessage, OutboxStatus
from storefront.orders import services as orders
from storefront.orders.models import PickupStatus
from storefront.timeutil import utcnow
from tests.support.factories import OutletFactory, ProductFactory
from tests.support.order_builder import place
from tests.support.race import at_once
from tests.support.smtp_server import closed_port, refusing_smtp_server, smtp_server  # noqa: F401


def use_mail_server(app, port: int, **config) -> None:
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_TIMEOUT=5, **config)


def make_ready(locale: str = "vi", email: str = "khach@example.com"):
    """Receive the goods of a 150.000 ₫ pickup, which tells its shopper it is ready."""
    outlet = OutletFactory(opening_hours="8:00–17:00")
    product = ProductFactory(price=150000, outlets=[outlet])
    pickup = place(outlet, (product, 1), email=email)
    pickup.order.locale = locale
    db.session.commit()
    orders.receive_line(pickup.lines[0], "staff@example.com")
    return pickup


def outbox() -> list[OutboxMessage]:
    db.session.expire_all()
    return db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)).all()


def make_due(message: OutboxMessage) -> None:
    """Let the retry time of a message come (instead of waiting for it)."""
    message.next_attempt_at = utcnow() - timedelta(seconds=1)
    db.session.commit()


def test_a_queued_mail_is_delivered_once_as_utf8_plain_text(app, smtp_server):
    use_mail_server(app, smtp_server.port)
    pickup = make_ready()

    report = send_pending()

    (mail,) = smtp_server.messages
    assert mail["To"] == "khach@example.com"
    assert mail["From"] == app.config["MAIL_SENDER"]
    assert pickup.order.number in mail["Subject"] and "sẵn sàng" in mail["Subject"]
    assert mail.get_content_type() == "text/plain" and mail.get_content_charset() == "utf-8"
    assert pickup.outlet.name in mail.get_content()
    (message,) = outbox()
    assert (message.status, message.attempts) == (OutboxStatus.SENT, 1)
    assert message.sent_at is not None
    assert (report.sent, report.failed) == (1, 0)
    assert send_pending().sent == 0 and len(smtp_server.envelopes) == 1


@pytest.mark.parametrize("locale, money", [("vi", "150.000 ₫"), ("en", "₫150,000")])
def test_mail_is_written_in_the_order_language(app, smtp_server, locale, money):
    use_mail_server(app, smtp_server.port)
    make_ready(locale=locale)

    send_pending()

    (mail,) = smtp_server.messages
    assert money in mail.get_content()
    assert mail["Content-Language"] == locale
    assert outbox()[0].locale == locale


def test_a_mail_server_that_is_down_loses_nothing_and_sends_once_when_back(
        app, smtp_server, closed_port):
    use_mail_server(app, closed_port)
    make_ready()
    before = utcnow()

    report = send_pending()

    (message,) = outbox()
    assert report.server_down and report.failed == 1
    assert (message.status, message.attempts) == (OutboxStatus.PENDING, 1)
    assert "ConnectionRefusedError" in message.last_error
    assert before + BACKOFF[0] <= message.next_attempt_at <= utcnow() + BACKOFF[0]
    assert send_pending().sent == 0  # not due yet

    use_mail_server(app, smtp_server.port)
    make_due(message)
    assert send_pending().sent == 1
    assert send_pending().sent == 0
    assert len(smtp_server.envelopes) == 1
    assert outbox()[0].status == OutboxStatus.SENT


def test_a_server_refusing_mail_keeps_every_message_for_a_retry(app, refusing_smtp_server):
    use_mail_server(app, refusing_smtp_server.port)
    make_ready(email="a@example.com")
    make_ready(email="b@example.com")

    report = send_pending()

    assert report.failed == 2 and refusing_smtp_server.tries == 2
    for message in outbox():
        assert (message.status, message.attempts) == (OutboxStatus.PENDING, 1)
        assert "451" in message.last_error


def test_a_refused_recipient_does_not_hold_up_the_others(app, smtp_server):
    use_mail_server(app, smtp_server.port)
    smtp_server.refused.add("gone@example.com")
    make_ready(email="gone@example.com")
    make_ready(email="here@example.com")

    report = send_pending()

    gone, here = outbox()
    assert (report.sent, report.failed) == (1, 1)
    assert gone.status == OutboxStatus.PENDING and "550" in gone.last_error
    assert here.status == OutboxStatus.SENT
    assert [m["To"] for m in smtp_server.messages] == ["here@example.com"]


def test_retries_back_off_then_give_up_after_the_last_attempt(app, closed_port):
    use_mail_server(app, closed_port)
    make_ready()
    waits = []

    for _ in range(MAX_ATTEMPTS):
        (message,) = outbox()
        make_due(message)
        before = utcnow()
        send_pending()
        message = outbox()[0]
        if message.status == OutboxStatus.PENDING:
            waits.append(message.next_attempt_at - before)

    assert [round(w / timedelta(minutes=1)) for w in waits] == [1, 5, 30, 120, 720, 720, 720]
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, MAX_ATTEMPTS)


def test_two_senders_at_once_send_each_message_once(app, smtp_server):
    use_mail_server(app, smtp_server.port)
    for n in range(6):
        make_ready(email=f"shopper{n}@example.com")
    db.session.commit()

    at_once(app, send_pending, send_pending)

    assert sorted(m["To"] for m in smtp_server.messages) == [
        f"shopper{n}@example.com" for n in range(6)]
    assert {m.status for m in outbox()} == {OutboxStatus.SENT}


def test_mail_goes_out_right_after_commit_when_enabled(app, smtp_server):
    use_mail_server(app, smtp_server.port, MAIL_SEND_AFTER_COMMIT=True)

    make_ready()

    assert len(smtp_server.envelopes) == 1
    assert outbox()[0].status == OutboxStatus.SENT


def test_a_down_mail_server_never_breaks_the_change_that_queued_mail(app, closed_port):
    use_mail_server(app, closed_port, MAIL_SEND_AFTER_COMMIT=True)

    pickup = make_ready()

    db.session.expire_all()
    assert pickup.status == PickupStatus.READY
    (message,) = outbox()
    assert (message.status, message.attempts) == (OutboxStatus.PENDING, 1)


def test_the_send_command_reports_counts_and_succeeds_even_when_the_server_is_down(
        app, closed_port):
    use_mail_server(app, closed_port)
    make_ready()

    result = app.test_cli_runner().invoke(args=["outbox", "send"])

    assert result.exit_code == 0
    assert "sent: 0, failed: 1" in result.output
    assert outbox()[0].status == OutboxStatus.PENDING
