"""The outbox: mail written in the transaction that causes it, delivered afterwards."""
import enum

from ..extensions import db
from ..timeutil import utcnow


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # gave up after the last retry


class OutboxMessage(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    kind = db.Column(db.String(40), nullable=False)
    to_email = db.Column(db.String(254), nullable=False)
    subject = db.Column(db.String(300), nullable=False)
    body = db.Column(db.Text, nullable=False)
    locale = db.Column(db.String(5), nullable=False, default="vi")
    order_id = db.Column(db.Integer, db.ForeignKey("order.id"), index=True)
    status = db.Column(db.String(20), nullable=False, default=OutboxStatus.PENDING, index=True)
    attempts = db.Column(db.Integer, nullable=False, default=0)
    next_attempt_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    last_error = db.Column(db.Text)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    sent_at = db.Column(db.DateTime)
