"""The waitlist of a full session: who asked for how many seats, in the order they asked.

A guest gives a name and an e-mail or a phone; a signed-in shopper's account is kept too. When
seats free up (a booking cancelled or moved away, seats held for a payment released), the first
in line is offered them with a link that lasts ``waitlist.OFFER_MINUTES`` and the seats are held
for them meanwhile (``hold``, a ``bookings.models.SeatHold``); unused or declined, the offer and
its hold pass to the next (``waitlist.py``).
"""
import enum

from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..model_checks import one_of
from ..timeutil import utcnow


class WaitlistStatus(enum.StrEnum):
    WAITING = "waiting"  # in line
    OFFERED = "offered"  # seats held for them; the link works until ``offer_expires_at``
    BOOKED = "booked"  # booked through the offer (or otherwise booked the session)
    EXPIRED = "expired"  # the offer passed unused: the next in line was told
    LEFT = "left"  # left the line (or declined an offer), or the session was cancelled or started


WAITLIST_STATUS_LABELS = {
    WaitlistStatus.WAITING: _l("Đang chờ"),
    WaitlistStatus.OFFERED: _l("Đã báo có chỗ"),
    WaitlistStatus.BOOKED: _l("Đã đặt chỗ"),
    WaitlistStatus.EXPIRED: _l("Hết hạn giữ lượt"),
    WaitlistStatus.LEFT: _l("Đã rời danh sách"),
}
IN_LINE = (WaitlistStatus.WAITING, WaitlistStatus.OFFERED)


class WaitlistEntry(db.Model):
    """One shopper waiting for seats in one session; the line is ordered by ``id``."""

    __tablename__ = "waitlist_entry"
    id = db.Column(db.Integer, primary_key=True)
    session_id = db.Column(db.Integer, db.ForeignKey("experience_session.id", ondelete="CASCADE"),
                           nullable=False)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id", ondelete="SET NULL"), index=True)
    name = db.Column(db.String(120), nullable=False)
    email = db.Column(db.String(254))
    phone = db.Column(db.String(20))
    locale = db.Column(db.String(5), nullable=False, default="vi")
    seats = db.Column(db.Integer, nullable=False, default=1)  # seats wanted
    status = db.Column(db.String(20), nullable=False, default=WaitlistStatus.WAITING)
    # The offer link's token, only as a hash (like an order's access token).
    token_hash = db.Column(db.String(64), unique=True)
    offered_at = db.Column(db.DateTime)
    offer_expires_at = db.Column(db.DateTime)
    closed_at = db.Column(db.DateTime)
    # The seats held for the offer; the hold's own status says whether it still holds them.
    hold_id = db.Column(db.Integer, db.ForeignKey("seat_hold.id", ondelete="SET NULL"))
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    session = db.relationship("ExperienceSession")
    user = db.relationship("User")
    hold = db.relationship("SeatHold")

    __table_args__ = (
        db.Index("ix_waitlist_entry_line", "session_id", "status", "id"),
        one_of("status", WaitlistStatus, name="status_known"),
        db.CheckConstraint("seats between 1 and 100", name="seats_range"),
        db.CheckConstraint("email IS NOT NULL OR phone IS NOT NULL", name="contact_given"),
    )
