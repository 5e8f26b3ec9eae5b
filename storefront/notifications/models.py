"""The outbox: mail written in the transaction that causes it, delivered afterwards."""
import enum

from ..extensions import db
from ..model_checks import one_of
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


# --- notices by channel: Zalo ZNS, else SMS, else e-mail (storefront/notifications/channels.py) ---

class Channel(enum.StrEnum):
    ZALO = "zalo"
    SMS = "sms"
    EMAIL = "email"


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"      # due at next_attempt_at
    SENDING = "sending"      # claimed by a sender until next_attempt_at (its lease)
    UNCERTAIN = "uncertain"  # Zalo may have it (the answer was lost): wait for its callback
    ACCEPTED = "accepted"    # the provider took it; its delivery report may follow
    DELIVERED = "delivered"  # the provider reported it on the phone
    FAILED = "failed"        # this channel gave up; the next one has its own row
    STOPPED = "stopped"      # not sent: the recipient stopped this channel


class Notice(db.Model):
    """One event for one recipient (shopper, producer or outlet staff), with what it says.

    Its e-mail (subject and body) is rendered when the event happens, so a fallback to e-mail
    days later says what was true then; ``data`` holds the template parameters for Zalo and SMS.
    """

    id = db.Column(db.Integer, primary_key=True)
    event = db.Column(db.String(40), nullable=False)
    order_id = db.Column(db.Integer, db.ForeignKey("order.id"), index=True)
    phone = db.Column(db.String(15))        # 84… (a mobile), when Zalo or SMS may be used
    email = db.Column(db.String(254))
    locale = db.Column(db.String(5), nullable=False, default="vi")
    data = db.Column(db.JSON, nullable=False)  # {"order_number": "OC-…", …}
    mail_kind = db.Column(db.String(40))
    mail_subject = db.Column(db.String(300))
    mail_body = db.Column(db.Text)
    promotional = db.Column(db.Boolean, nullable=False, default=False)
    # A promotional notice goes only by the channels its recipient opted in to: "zalo,sms".
    opted_in = db.Column(db.String(30))
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    deliveries = db.relationship("NoticeDelivery", back_populates="notice",
                                 order_by="NoticeDelivery.id")


class NoticeDelivery(db.Model):
    """One channel's try at a notice; its id is the provider's tracking_id / RequestId."""

    id = db.Column(db.Integer, primary_key=True)
    notice_id = db.Column(db.Integer, db.ForeignKey("notice.id"), nullable=False, index=True)
    channel = db.Column(db.String(10), nullable=False)
    status = db.Column(db.String(20), nullable=False, default=DeliveryStatus.PENDING, index=True)
    attempts = db.Column(db.Integer, nullable=False, default=0)
    next_attempt_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    provider_id = db.Column(db.String(100), index=True)  # Zalo msg_id, eSMS SMSID
    answer = db.Column(db.Text)                         # the provider's last answer, as said
    claimed_from = db.Column(db.String(20))  # the status before the current claim (a crash shows)
    outbox_message_id = db.Column(db.Integer, db.ForeignKey("outbox_message.id"))
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    sent_at = db.Column(db.DateTime)
    delivered_at = db.Column(db.DateTime)

    notice = db.relationship("Notice", back_populates="deliveries")
    outbox_message = db.relationship("OutboxMessage")

    __table_args__ = (
        one_of("channel", Channel, name="channel_known"),
        one_of("status", DeliveryStatus, name="status_known"),
        db.UniqueConstraint("notice_id", "channel", name="notice_delivery_once_per_channel"),
    )

    @property
    def tracking_id(self) -> str:
        """The id every attempt of this row sends (ZNS tracking_id, eSMS RequestId)."""
        return f"ocop-{self.id}"


class ChannelStop(db.Model):
    """A recipient stopped a channel for an address (a phone 84… or an e-mail), from a link.

    In force until a later consent to news by that channel lifts it (``lifted_at``, and the
    consent record that did, ``lifted_by``); a stop after that is a new row. Rows are never
    deleted: together they are the address's history. At most one is in force per channel and
    address (``ix_channel_stop_open``).
    """

    id = db.Column(db.Integer, primary_key=True)
    channel = db.Column(db.String(10), nullable=False)
    address = db.Column(db.String(254), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    lifted_at = db.Column(db.DateTime)
    lifted_by = db.Column(db.String(40))  # "consent:<consent record id>"

    __table_args__ = (one_of("channel", Channel, name="channel_known"),
                      db.Index("ix_channel_stop_open", "channel", "address", unique=True,
                               postgresql_where=db.text("lifted_at IS NULL"),
                               sqlite_where=db.text("lifted_at IS NULL")))


class ProviderToken(db.Model):
    """A provider's OAuth tokens (Zalo's OA): the rotated refresh token lives here, not in memory.

    ``seed`` is a hash of the refresh token the environment gave: a new one (the OA authorised
    again) replaces what is stored. Both tokens are stored encrypted with ``NOTIFY_TOKEN_KEY``
    (Fernet; ``zalo._seal``), never shown or logged; one stored in plain text before is sealed
    the next time it is read (``zalo._token_row``).
    """

    provider = db.Column(db.String(20), primary_key=True)
    access_token = db.Column(db.Text)  # encrypted (Fernet)
    access_expires_at = db.Column(db.DateTime)
    refresh_token = db.Column(db.Text, nullable=False)  # encrypted (Fernet)
    seed = db.Column(db.String(64), nullable=False)
    refreshed_at = db.Column(db.DateTime)
