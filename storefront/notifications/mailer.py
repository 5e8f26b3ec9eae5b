"""Delivering the outbox over SMTP, one committed message at a time, with retries.

Each message is claimed by one UPDATE (committed), sent, then its result written by another
UPDATE (committed): no transaction stays open while the mail server answers, a crash leaves
the message pending (late, not lost), and two senders never take the same message.
"""
import logging
import smtplib
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from flask import current_app, g
from sqlalchemy import update

from ..extensions import db
from ..timeutil import utcnow
from .models import OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)
# Wait after the 1st, 2nd, ... failure; the message is given up after MAX_ATTEMPTS.
BACKOFF = [timedelta(minutes=m) for m in (1, 5, 30, 120, 720, 720, 720)]
MAX_ATTEMPTS = len(BACKOFF) + 1
# A claimed message is left alone by other senders this long; one whose sender crashed
# mid-send is picked up again afterwards.
CLAIM_LEASE = timedelta(minutes=10)
M = OutboxMessage


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
            claimed = _claim_next()
            if claimed is None:
                break
            try:
                connection.send(_email(claimed))
            except Exception as error:  # noqa: BLE001 — every failure is recorded and retried
                _failed(claimed, error, report)
                if isinstance(error, MailServerDown):
                    report.server_down = True
                    break
            else:
                _sent(claimed, report)
    finally:
        connection.close()
    return report


def deliver_after_commit() -> None:
    """Send what a request just queued, when configured; never let mail trouble break it."""
    if not current_app.config.get("MAIL_SEND_AFTER_COMMIT") or g.get("mail_server_down"):
        return
    try:
        report = send_pending(limit=20)
    except Exception:  # noqa: BLE001 — the outbox keeps the message; `flask outbox send` retries
        db.session.rollback()
        log.exception("sending mail after commit failed")
        report = None
    if report is None or report.server_down:
        g.mail_server_down = True  # one wait per request is enough


def _claim_next():
    """Take the oldest due message for this sender; return its row (id, attempts, mail fields).

    One UPDATE … RETURNING: on PostgreSQL concurrent senders skip each other's locked rows;
    on SQLite the statement takes the write lock before it reads, so a claim is never shared.
    """
    now = utcnow()
    due = (
        db.select(M.id).where(M.status == OutboxStatus.PENDING, M.next_attempt_at <= now)
        .order_by(M.id).limit(1).with_for_update(skip_locked=True).scalar_subquery()
    )
    claimed = db.session.execute(
        update(M).where(M.id == due, M.status == OutboxStatus.PENDING)
        .values(next_attempt_at=now + CLAIM_LEASE)
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
    email["Message-ID"] = make_msgid(idstring=f"outbox-{claimed.id}", domain=domain)
    email.set_content(claimed.body, subtype="plain", charset="utf-8", cte="base64")
    email["Content-Language"] = claimed.locale  # after set_content, which clears Content-*
    return email


class _Connection:
    """One SMTP session per batch, opened on first use and reopened after an error."""

    def __init__(self):
        self.smtp: smtplib.SMTP | None = None

    def send(self, email: EmailMessage) -> None:
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
        smtp = smtplib.SMTP(timeout=config["MAIL_TIMEOUT"])
        try:
            smtp.connect(config["MAIL_SERVER"], config["MAIL_PORT"])
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        except OSError as error:  # refused, unreachable, TLS or login failed
            smtp.close()
            raise MailServerDown(f"{type(error).__name__}: {error}") from error
        return smtp

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                self.smtp.close()
            self.smtp = None
