"""Expiry reminders to producers, 90, 30 and 7 days ahead and on the day; each sent once.

Run daily (the task queue schedules it; ``flask certificates remind`` for operators). A run
that was missed sends only the most urgent reminder that is due, never a burst of stale ones.
"""
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..catalog.links import absolute_url
from ..extensions import db
from ..notifications.services import producer_addresses, queue
from ..timeutil import local_today
from ..unit_of_work import transaction
from .models import CertificateReminder, ReminderKind
from .renewals import REMIND_DAYS, expiring

KIND_FOR_DAYS = {90: ReminderKind.DAYS_90, 30: ReminderKind.DAYS_30, 7: ReminderKind.DAYS_7}
EXPIRED_NOTICE_DAYS = 7  # the "has expired" mail is sent only for this fresh an expiry


def due_kind(days_left: int) -> ReminderKind | None:
    """Return the reminder a certificate with ``days_left`` should have had by now."""
    if days_left <= 0:
        return ReminderKind.EXPIRED if days_left > -EXPIRED_NOTICE_DAYS else None
    tightest = [days for days in REMIND_DAYS if days_left <= days]
    return KIND_FOR_DAYS[min(tightest)] if tightest else None


def send_expiry_reminders(today: date | None = None) -> int:
    """Queue every due reminder that was not sent yet; return how many certificates were reminded."""
    today = today or local_today()
    candidates = db.session.scalars(
        expiring(today, max(REMIND_DAYS), expired_since=EXPIRED_NOTICE_DAYS)).unique().all()
    sent = {(r.certificate_id, r.kind) for r in db.session.scalars(
        select(CertificateReminder).where(
            CertificateReminder.certificate_id.in_([c.id for c in candidates])))}
    reminded = 0
    for certificate in candidates:
        kind = due_kind((certificate.expires_on - today).days)
        if kind is None or (certificate.id, kind) in sent:
            continue
        reminded += _remind(certificate, kind, today)
    return reminded


def _remind(certificate, kind: ReminderKind, today: date) -> int:
    """Record and queue one reminder in its own transaction; a parallel run's record wins."""
    try:
        with transaction():
            db.session.add(CertificateReminder(certificate_id=certificate.id, kind=kind))
            db.session.flush()  # the unique constraint decides, before any mail is queued
            renew_url = absolute_url("producer.certificates",
                                     product_id=certificate.product_id)
            template = "certificate_expired" if kind == ReminderKind.EXPIRED else "certificate_expiring"
            for address, locale in producer_addresses(certificate.product.producer):
                queue(template, address, locale, certificate=certificate,
                      days_left=(certificate.expires_on - today).days, renew_url=renew_url)
    except IntegrityError:
        return 0
    return 1
