"""Delivering the outbox over SMTP, one committed message at a time, with retries.

Each message is claimed by one UPDATE (committed), sent, then its result written by another
UPDATE (committed): no transaction stays open while the mail server answers, a crash leaves
the message pending (late, not lost), and two senders never take the same message.

Only workers send: a request writes the outbox and enqueues ``deliver_message`` (below); the
periodic ``sweep_outbox`` (``storefront/worker.py``) sends whatever a lost task left behind.
The relay's acceptance is committed before anything else happens (before QUIT, before the next
message), so a sender killed after the relay said 250 does not send the message again; a
sender killed before that leaves a claim that expires within ``claim_lease()`` (a few minutes).
"""
import logging
import smtplib
import socket
import threading
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate, parseaddr

from flask import current_app
from sqlalchemy import update

from ..extensions import db
from ..queue import task
from ..timeutil import utcnow
from .models import OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)
# Wait after the 1st, 2nd, ... failure; the message is given up after MAX_ATTEMPTS.
BACKOFF = [timedelta(minutes=m) for m in (1, 5, 30, 120, 720, 720, 720)]
MAX_ATTEMPTS = len(BACKOFF) + 1
M = OutboxMessage
# One message takes at most this many SMTP steps, each bounded by MAIL_TIMEOUT: connect,
# greeting, EHLO, STARTTLS, EHLO, AUTH, MAIL, RCPT, DATA, the body.
_SMTP_STEPS = 10


def claim_lease() -> timedelta:
    """Return how long a claimed message is left to its sender before others may retry it.

    Long enough for one send that the watchdog lets finish (every SMTP step at MAIL_TIMEOUT),
    short enough that a message whose sender was killed goes out again within minutes (at least
    ``MAIL_CLAIM_MIN_SECONDS``, 90 s; tests that kill real workers shorten it).
    """
    floor = float(current_app.config["MAIL_CLAIM_MIN_SECONDS"])
    return timedelta(seconds=max(floor, 1.5 * _SMTP_STEPS * _mail_timeout()))


def _mail_timeout() -> float:
    return float(current_app.config["MAIL_TIMEOUT"])


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0  # this time; retried later unless given up
    given_up: int = 0
    server_down: bool = False


class MailServerDown(Exception):
    """The mail server could not be reached; the rest of the batch waits for the next run."""


def send_pending(limit: int = 100) -> SendReport:
    """Send due outbox messages, oldest first, committing each result on its own."""
    report = SendReport()
    connection = _Connection()
    try:
        for _ in range(limit):
            claimed = _claim()
            if claimed is None or not _deliver(claimed, connection, report):
                break
    finally:
        connection.close()
    return report


def send_one(message_id: int) -> SendReport:
    """Send one outbox message if it is still due (a worker's ``deliver_message`` task)."""
    report = SendReport()
    connection = _Connection()
    try:
        claimed = _claim(message_id)
        if claimed is not None:
            _deliver(claimed, connection, report)
    finally:
        connection.close()
    return report


@task()
def deliver_message(message_id: int) -> None:
    """Send one outbox message that a request just committed (if it is still due)."""
    send_one(message_id)


def _deliver(claimed, connection: "_Connection", report: SendReport) -> bool:
    """Send one claimed message and record what happened; return False when the relay is down."""
    try:
        connection.send(_email(claimed))
    except Exception as error:  # noqa: BLE001 — every failure is recorded and retried
        _failed(claimed, error, report)
        if isinstance(error, MailServerDown):
            report.server_down = True
            return False
        return True
    _sent(claimed, report)  # first thing after the relay's 250: see the module docstring
    return True


def _claim(message_id: int | None = None):
    """Take a due message (the oldest, or ``message_id``); return its id, attempts and mail fields.

    One UPDATE … RETURNING: on PostgreSQL concurrent senders skip each other's locked rows;
    on SQLite the statement takes the write lock before it reads, so a claim is never shared.
    """
    now = utcnow()
    due = db.select(M.id).where(M.status == OutboxStatus.PENDING, M.next_attempt_at <= now)
    if message_id is not None:
        due = due.where(M.id == message_id)
    due = due.order_by(M.id).limit(1).with_for_update(skip_locked=True).scalar_subquery()
    claimed = db.session.execute(
        update(M).where(M.id == due, M.status == OutboxStatus.PENDING)
        .values(next_attempt_at=now + claim_lease())
        .returning(M.id, M.attempts, M.to_email, M.subject, M.body, M.locale)
        .execution_options(synchronize_session=False)
    ).first()
    db.session.commit()
    return claimed


def _record(message_id: int, **values) -> None:
    db.session.execute(update(M).where(M.id == message_id).values(**values)
                       .execution_options(synchronize_session=False))
    db.session.commit()


def _sent(claimed, report: SendReport) -> None:
    _record(claimed.id, status=OutboxStatus.SENT, sent_at=utcnow(),
            attempts=claimed.attempts + 1, last_error=None)
    report.sent += 1


def _failed(claimed, error: Exception, report: SendReport) -> None:
    cause = error.__cause__ or error
    attempts = claimed.attempts + 1
    last_error = f"{type(cause).__name__}: {cause}"[:2000]
    if attempts >= MAX_ATTEMPTS:
        _record(claimed.id, status=OutboxStatus.FAILED, attempts=attempts, last_error=last_error)
        report.given_up += 1
        log.error("gave up mail %s to %s: %s", claimed.id, claimed.to_email, last_error)
        return
    _record(claimed.id, attempts=attempts, last_error=last_error,
            next_attempt_at=utcnow() + BACKOFF[attempts - 1])
    report.failed += 1
    log.warning("mail %s failed (attempt %s): %s", claimed.id, attempts, last_error)


def _email(claimed) -> EmailMessage:
    """Build a UTF-8 plain-text e-mail from a claimed outbox row."""
    sender = current_app.config["MAIL_SENDER"]
    email = EmailMessage()
    email["From"] = sender
    email["To"] = claimed.to_email
    email["Subject"] = claimed.subject
    email["Date"] = formatdate(localtime=False)
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    # One Message-ID per outbox row, every attempt: a message sent again after a crash between
    # the relay's 250 and our record of it is folded into one by mail clients.
    email["Message-ID"] = f"<outbox-{claimed.id}@{domain}>"
    email.set_content(claimed.body, subtype="plain", charset="utf-8", cte="base64")
    email["Content-Language"] = claimed.locale  # after set_content, which clears Content-*
    return email


class _Connection:
    """One SMTP session per batch, opened on first use and reopened after an error.

    A watchdog cuts the socket when one message takes longer than its claim allows, so a relay
    that answers each step slowly cannot hold a message past its lease (and get it sent twice).
    """

    def __init__(self):
        self.smtp: smtplib.SMTP | None = None
        self._opening: smtplib.SMTP | None = None  # while connecting, for the watchdog

    def send(self, email: EmailMessage) -> None:
        watchdog = threading.Timer(claim_lease().total_seconds() * 2 / 3, self._cut)
        watchdog.daemon = True
        watchdog.start()
        try:
            self._send(email)
        finally:
            watchdog.cancel()

    def _cut(self) -> None:
        smtp = self.smtp or self._opening
        sock = getattr(smtp, "sock", None) if smtp is not None else None
        if sock is not None:
            log.warning("mail relay too slow: closing the connection")
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def _send(self, email: EmailMessage) -> None:
        if self.smtp is None:
            self.smtp = self._open()
        try:
            self.smtp.send_message(email)
        except (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused):
            self.close()  # refused this message: start clean for the next one
            raise
        except OSError as error:  # disconnected, reset, timed out
            self.close()
            raise MailServerDown(f"{type(error).__name__}: {error}") from error

    def _open(self) -> smtplib.SMTP:
        config = current_app.config
        smtp = self._opening = smtplib.SMTP(timeout=config["MAIL_TIMEOUT"])
        try:
            smtp.connect(config["MAIL_SERVER"], config["MAIL_PORT"])
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        except OSError as error:  # refused, unreachable, TLS or login failed
            smtp.close()
            raise MailServerDown(f"{type(error).__name__}: {error}") from error
        finally:
            self._opening = None
        return smtp

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                self.smtp.close()
            self.smtp = None
