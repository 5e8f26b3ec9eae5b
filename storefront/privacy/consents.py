"""Consent per purpose: every grant and withdrawal is a new record with its wording, time and channel.

Handling an order needs no consent: it is the contract the shopper asked for (Law 91/2025, the
contract ground). News and offers by Zalo, SMS or e-mail each need their own opt-in, never
pre-ticked; the latest record per purpose is the one in force.
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..extensions import db
from ..timeutil import utcnow
from ..unit_of_work import transaction
from .models import ConsentRecord, Purpose

# The version of the wording below; change it whenever the wording changes.
TEXT_VERSION = "consent-2026-01"

PURPOSE_LABELS = {
    Purpose.NEWS_ZALO: _l("Nhận tin mới và ưu đãi qua Zalo"),
    Purpose.NEWS_SMS: _l("Nhận tin mới và ưu đãi qua SMS"),
    Purpose.NEWS_EMAIL: _l("Nhận tin mới và ưu đãi qua e-mail"),
}

CHANNEL_ACCOUNT = "web:account"
CHANNEL_ERASURE = "web:erasure"
CHANNEL_STOP_LINK = "link:notice-stop"  # a notice's stop link (privacy/notices.py)


def history(user) -> list[ConsentRecord]:
    """Return every consent record of ``user``, oldest first."""
    return list(db.session.scalars(select(ConsentRecord).where(ConsentRecord.user_id == user.id)
                                   .order_by(ConsentRecord.id)))


def in_force(user) -> dict[Purpose, ConsentRecord | None]:
    """Return, per purpose, the record in force (None: never asked, which counts as no)."""
    found: dict[Purpose, ConsentRecord | None] = {purpose: None for purpose in Purpose}
    for record in history(user):
        found[Purpose(record.purpose)] = record
    return found


def granted(user) -> set[Purpose]:
    return {purpose for purpose, record in in_force(user).items() if record and record.granted}


def record_choices(user, wanted: set[Purpose], channel: str = CHANNEL_ACCOUNT) -> list[ConsentRecord]:
    """Record a grant or a withdrawal for each purpose whose answer changes; return the new records."""
    with transaction():
        return _record(user, wanted, channel)


def _record(user, wanted: set[Purpose], channel: str) -> list[ConsentRecord]:
    now, written = utcnow(), []
    for purpose, record in in_force(user).items():
        was = bool(record and record.granted)
        if was != (purpose in wanted):
            written.append(ConsentRecord(user_id=user.id, purpose=purpose, granted=not was,
                                         text_version=TEXT_VERSION, channel=channel,
                                         created_at=now))
    db.session.add_all(written)
    return written


def withdraw(user, purposes: set[Purpose], channel: str) -> list[ConsentRecord]:
    """Withdraw ``purposes`` where in force, in the caller's transaction; return the new records."""
    return _record(user, granted(user) - set(purposes), channel)


def withdraw_all(user, channel: str) -> list[ConsentRecord]:
    """Withdraw every consent in force, in the caller's transaction (an erasure)."""
    return _record(user, set(), channel)
