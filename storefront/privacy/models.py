"""Consent records, data-subject requests and personal-data incidents."""
import enum

from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..model_checks import one_of
from ..timeutil import utcnow


class Purpose(enum.StrEnum):
    """What personal data may be used for beyond the order itself (which the contract covers)."""

    NEWS_ZALO = "news_zalo"
    NEWS_SMS = "news_sms"
    NEWS_EMAIL = "news_email"


class ConsentRecord(db.Model):
    """One grant or withdrawal of consent: never edited; the latest per purpose is in force.

    Whose it is: an account (``user_id``), or a guest, who is the phone and e-mail of the order
    they gave it at (``order_id`` without ``user_id``). An account's consent given at checkout
    names that order too.
    """

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"), index=True)
    order_id = db.Column(db.Integer, db.ForeignKey("order.id"), index=True)
    purpose = db.Column(db.String(20), nullable=False)
    granted = db.Column(db.Boolean, nullable=False)
    text_version = db.Column(db.String(40), nullable=False)  # the wording the person saw
    # where it was given: "web:account", "web:register", "web:checkout", "link:notice-stop", …
    channel = db.Column(db.String(20), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    __table_args__ = (one_of("purpose", Purpose, name="consent_purpose_known"),
                      db.CheckConstraint("user_id IS NOT NULL OR order_id IS NOT NULL",
                                         name="consent_has_subject"))


class RequestKind(enum.StrEnum):
    ACCESS = "access"           # a copy of everything held
    ERASURE = "erasure"         # delete the account / forget the order's contact
    CORRECTION = "correction"   # correct something, or any other question about my data


REQUEST_KIND_LABELS = {
    RequestKind.ACCESS: _l("Tải dữ liệu"),
    RequestKind.ERASURE: _l("Xoá dữ liệu"),
    RequestKind.CORRECTION: _l("Sửa dữ liệu, câu hỏi khác"),
}


class RequestStatus(enum.StrEnum):
    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    COMPLETED = "completed"
    REFUSED = "refused"


REQUEST_STATUS_LABELS = {
    RequestStatus.RECEIVED: _l("Mới nhận"),
    RequestStatus.ACKNOWLEDGED: _l("Đã xác nhận đã nhận"),
    RequestStatus.COMPLETED: _l("Đã xong"),
    RequestStatus.REFUSED: _l("Từ chối"),
}


class DataRequest(db.Model):
    """A data subject's request, from the account page or an order's private link."""

    id = db.Column(db.Integer, primary_key=True)
    kind = db.Column(db.String(20), nullable=False)
    status = db.Column(db.String(20), nullable=False, default=RequestStatus.RECEIVED, index=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"), index=True)
    order_id = db.Column(db.Integer, db.ForeignKey("order.id"), index=True)  # a guest's
    channel = db.Column(db.String(20), nullable=False)  # "web:account", "web:order"
    message = db.Column(db.Text)                        # what to correct (erased with the account)
    received_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    acknowledge_by = db.Column(db.Date, nullable=False)  # Hanoi days, counted in working days
    complete_by = db.Column(db.Date, nullable=False)
    extended = db.Column(db.Boolean, nullable=False, default=False)
    acknowledged_at = db.Column(db.DateTime)
    completed_at = db.Column(db.DateTime)
    handled_by_id = db.Column(db.Integer, db.ForeignKey("user.id"))
    outcome = db.Column(db.Text)
    reminded_on = db.Column(db.Date)  # the last day admins were reminded of it

    user = db.relationship("User", foreign_keys=[user_id])
    order = db.relationship("Order")
    handled_by = db.relationship("User", foreign_keys=[handled_by_id])

    __table_args__ = (
        one_of("kind", RequestKind, name="data_request_kind_known"),
        one_of("status", RequestStatus, name="data_request_status_known"),
        db.CheckConstraint("user_id IS NOT NULL OR order_id IS NOT NULL",
                           name="data_request_has_subject"),
    )

    @property
    def reference(self) -> str:
        return f"DL-{self.id:06d}"

    @property
    def is_open(self) -> bool:
        return self.status in (RequestStatus.RECEIVED, RequestStatus.ACKNOWLEDGED)


class Incident(db.Model):
    """A personal-data incident: what happened, whose data, what was done, when it was reported."""

    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    discovered_at = db.Column(db.DateTime, nullable=False)
    occurred_at = db.Column(db.DateTime)
    description = db.Column(db.Text, nullable=False)
    data_affected = db.Column(db.Text, nullable=False)
    people_affected = db.Column(db.Integer)
    measures = db.Column(db.Text)
    reported_at = db.Column(db.DateTime)  # to the Ministry of Public Security (A05)
    closed_at = db.Column(db.DateTime)
    recorded_by_id = db.Column(db.Integer, db.ForeignKey("user.id"))
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    recorded_by = db.relationship("User")
