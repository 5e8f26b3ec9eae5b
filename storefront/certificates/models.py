"""Which expiry reminders each certificate has had: each is sent once."""
import enum

from ..extensions import db
from ..model_checks import one_of
from ..timeutil import utcnow


class ReminderKind(enum.StrEnum):
    DAYS_90 = "days_90"
    DAYS_30 = "days_30"
    DAYS_7 = "days_7"
    EXPIRED = "expired"


class CertificateReminder(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    certificate_id = db.Column(db.Integer, db.ForeignKey("certificate.id", ondelete="CASCADE"),
                               nullable=False)
    kind = db.Column(db.String(10), nullable=False)
    sent_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    __table_args__ = (
        # The guarantee "each once", even when two workers run the job at the same moment.
        db.UniqueConstraint("certificate_id", "kind", name="uq_certificate_reminder_once"),
        one_of("kind", ReminderKind, name="kind_known"),
    )
