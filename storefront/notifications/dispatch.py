"""Delivering notices by Zalo and SMS, one committed delivery row at a time, as the mailer does mail.

Each row is claimed by one UPDATE (committed), sent, then its result written and committed
before anything else; no transaction stays open while a provider answers. A row's id is the
provider's ``tracking_id`` (Zalo) or ``RequestId`` (eSMS), the same on every attempt, so:

- a sender killed *before* the provider answered leaves its claim, which lapses: SMS is simply
  sent again (eSMS refuses a RequestId it has seen, code 124, which counts as sent); Zalo, which
  has no such check and no look-up by tracking id, is not sent again but waits for its delivery
  report (``UNCERTAIN``) for ``ZALO_REPORT_WAIT_SECONDS``, then the next channel takes the notice.
  The report, when it comes, names the tracking id and marks the row delivered.
- a provider that refuses (no Zalo on the phone, template refused, quota, a blocked number) hands
  the notice to the next channel in the same transaction that records the refusal: nothing is
  lost between the two.
- a provider that is down is tried again (1, 5, 15 minutes), then the next channel.

The guarantee is the mailer's: at least once overall, and never twice on one channel because a
worker died after the provider answered.
"""
import logging
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import update

from ..extensions import db
from ..queue import enqueue, task
from ..timeutil import utcnow
from . import esms, zalo
from .events import sms_text
from .mailer import deliver_message
from .models import Channel, DeliveryStatus as S, Notice, NoticeDelivery, OutboxMessage
from .providers import REFUSED, RETRY, SENT, UNKNOWN, Answer
from .routing import ORDER, plan

log = logging.getLogger(__name__)
D = NoticeDelivery
BACKOFF = [timedelta(minutes=m) for m in (1, 5, 15)]
MAX_ATTEMPTS = len(BACKOFF) + 1
OPEN = (S.PENDING, S.SENDING, S.UNCERTAIN)


def claim_lease() -> timedelta:
    """Return how long a claimed row is left to its sender: a token refresh and a send, with room."""
    floor = float(current_app.config.get("MAIL_CLAIM_MIN_SECONDS", 90))
    return timedelta(seconds=max(floor, 4 * float(current_app.config["NOTIFY_HTTP_TIMEOUT"])))


# --- writing deliveries (in the caller's transaction) ---------------------------------------------

def start(notice: Notice, after: str | None = None) -> NoticeDelivery | None:
    """Add the delivery row for the notice's next channel after ``after`` (None: the first).

    An e-mail is written to the outbox at once; the mailer sends it. Returns None when no
    channel is left (the notice is not sent: every channel failed or was stopped).
    """
    tried = {delivery.channel for delivery in notice.deliveries}
    later = ORDER[ORDER.index(after) + 1:] if after else ORDER
    channel = next((c for c in plan(notice) if c in later and c not in tried), None)
    if channel is None:
        return None
    delivery = NoticeDelivery(notice=notice, channel=channel)
    if channel == Channel.EMAIL:
        delivery.outbox_message = OutboxMessage(
            kind=notice.mail_kind, to_email=notice.email, subject=notice.mail_subject,
            body=notice.mail_body, locale=notice.locale, order_id=notice.order_id)
        delivery.status, delivery.sent_at = S.ACCEPTED, utcnow()
    db.session.add(delivery)
    return delivery


def hand_over(delivery: NoticeDelivery | None) -> None:
    """Enqueue a committed delivery for a worker (an e-mail: its outbox message)."""
    if delivery is None or not current_app.config.get("MAIL_SEND_AFTER_COMMIT"):
        return  # the periodic sweeps send it
    if delivery.channel == Channel.EMAIL:
        enqueue(deliver_message, delivery.outbox_message_id)
    else:
        enqueue(deliver_notice, delivery.id)


# --- sending ------------------------------------------------------------------------------------

@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    fell_back: int = 0
    waiting: int = 0


def send_pending(limit: int = 100) -> SendReport:
    """Send due Zalo and SMS deliveries, oldest first, committing each result on its own."""
    report = SendReport()
    for _ in range(limit):
        claimed = _claim()
        if claimed is None:
            break
        _deliver(claimed, report)
    return report


def send_one(delivery_id: int) -> SendReport:
    report = SendReport()
    claimed = _claim(delivery_id)
    if claimed is not None:
        _deliver(claimed, report)
    return report


@task()
def deliver_notice(delivery_id: int) -> None:
    """Send one Zalo or SMS delivery a request just committed (if it is still due)."""
    send_one(delivery_id)


def _claim(delivery_id: int | None = None):
    """Take a due row (the oldest, or ``delivery_id``) with one UPDATE … RETURNING (see mailer._claim)."""
    now = utcnow()
    due = db.select(D.id).where(D.status.in_(OPEN), D.next_attempt_at <= now)
    if delivery_id is not None:
        due = due.where(D.id == delivery_id)
    due = due.order_by(D.id).limit(1).with_for_update(skip_locked=True).scalar_subquery()
    claimed = db.session.execute(
        update(D).where(D.id == due, D.status.in_(OPEN))
        .values(claimed_from=D.status, status=S.SENDING, next_attempt_at=now + claim_lease())
        .returning(D.id, D.notice_id, D.channel, D.attempts, D.claimed_from)
        .execution_options(synchronize_session=False)
    ).first()
    db.session.commit()
    return claimed


def _deliver(claimed, report: SendReport) -> None:
    if claimed.channel == Channel.ZALO and claimed.claimed_from == S.SENDING:
        # Its last sender stopped before recording Zalo's answer: Zalo may have sent it.
        _record(claimed.id, status=S.UNCERTAIN, next_attempt_at=utcnow() + _report_wait(),
                answer="The sender stopped before Zalo's answer was recorded; waiting for "
                       "Zalo's delivery report before trying another channel.")
        report.waiting += 1
        return
    if claimed.claimed_from == S.UNCERTAIN:  # no report came: the next channel takes it
        _give_up(claimed, "No delivery report from Zalo in time.", report)
        return
    if claimed.channel not in plan(db.session.get(D, claimed.id).notice):
        # Stopped (or its consent withdrawn) between queueing and sending: the next channel the
        # person still takes has the notice, if any.
        _give_up(claimed, "Not sent: the recipient stopped this channel before it was sent.", report)
        return
    answer = _send(claimed)
    if answer.kind == SENT:  # first thing after the provider's answer: see the module docstring
        _record(claimed.id, status=S.ACCEPTED, sent_at=utcnow(), attempts=claimed.attempts + 1,
                answer=answer.said, provider_id=answer.provider_id or None)
        report.sent += 1
    elif answer.kind == UNKNOWN:
        _record(claimed.id, status=S.UNCERTAIN, attempts=claimed.attempts + 1, answer=answer.said,
                next_attempt_at=utcnow() + _report_wait())
        report.waiting += 1
    elif answer.kind == RETRY and claimed.attempts + 1 < MAX_ATTEMPTS:
        _record(claimed.id, status=S.PENDING, attempts=claimed.attempts + 1, answer=answer.said,
                next_attempt_at=utcnow() + BACKOFF[claimed.attempts])
        report.failed += 1
        log.warning("%s delivery %s failed (attempt %s): %s", claimed.channel, claimed.id,
                    claimed.attempts + 1, answer.said)
    else:  # refused, or the last try
        _give_up(claimed, answer.said, report, attempts=claimed.attempts + 1)


def _send(claimed) -> Answer:
    delivery = db.session.get(D, claimed.id)
    notice = delivery.notice
    tracking_id = delivery.tracking_id
    db.session.rollback()  # nothing held while the provider answers
    try:
        if claimed.channel == Channel.ZALO:
            return zalo.send(notice.phone, notice.event, notice.data, tracking_id)
        text = sms_text(notice.event, notice.locale, notice.data)
        return esms.send(notice.phone, text, tracking_id)
    except Exception as error:  # noqa: BLE001 — a bug in one send must not stop the sweep
        log.exception("sending %s delivery %s", claimed.channel, claimed.id)
        return Answer(RETRY, f"{type(error).__name__}: {error}"[:500])


def _report_wait() -> timedelta:
    return timedelta(seconds=float(current_app.config["ZALO_REPORT_WAIT_SECONDS"]))


def _record(delivery_id: int, **values) -> None:
    db.session.execute(update(D).where(D.id == delivery_id).values(**values)
                       .execution_options(synchronize_session=False))
    db.session.commit()


def _give_up(claimed, said: str, report: SendReport, attempts: int | None = None) -> None:
    """Mark the row failed and start the next channel, in one transaction."""
    delivery = db.session.get(D, claimed.id)
    delivery.status, delivery.answer = S.FAILED, said
    delivery.attempts = attempts if attempts is not None else delivery.attempts
    following = start(delivery.notice, after=delivery.channel)
    db.session.commit()
    report.fell_back += following is not None
    log.warning("%s delivery %s gave up (%s); next: %s", claimed.channel, claimed.id, said[:200],
                following.channel if following else "none")
    hand_over(following)


# --- delivery reports and the admins' retry -----------------------------------------------------

def reported(delivery: NoticeDelivery, delivered: bool, said: str,
             provider_id: str | None = None) -> NoticeDelivery | None:
    """Record a provider's delivery report (in the caller's transaction); a failure falls back.

    Reports come late and may repeat: a row already failed or delivered keeps its state.
    """
    delivery.answer = said[:2000]
    if provider_id and not delivery.provider_id:
        delivery.provider_id = provider_id
    if delivery.status in (S.FAILED, S.DELIVERED, S.STOPPED):
        return None
    if delivered:
        delivery.status, delivery.delivered_at = S.DELIVERED, utcnow()
        delivery.sent_at = delivery.sent_at or delivery.delivered_at
        return None
    delivery.status = S.FAILED
    return start(delivery.notice, after=delivery.channel)


def retry(delivery: NoticeDelivery) -> NoticeDelivery:
    """Send a failed notice again from its first channel (an admin's retry); return the new row.

    The failed rows are kept as they were (their answers stay readable); the new try is a new
    notice, so it has new tracking ids.
    """
    old = delivery.notice
    again = Notice(event=old.event, order_id=old.order_id, phone=old.phone, email=old.email,
                   locale=old.locale, data=old.data, mail_kind=old.mail_kind,
                   mail_subject=old.mail_subject, mail_body=old.mail_body,
                   promotional=old.promotional, opted_in=old.opted_in)
    db.session.add(again)
    return start(again)
