"""Complaint use cases: file, answer, reply, resolve; each owns its transaction and mails the other side.

Statuses move only along ``TRANSITIONS`` (``_move``). Due dates are counted in Vietnamese working
days (``storefront/workdays.py``): the shop answers within ``COMPLAINT_ANSWER_DAYS`` (Law 19/2023/QH15,
Article 57(2), gives a trader 7 working days to take up and negotiate a consumer's request;
docs/domain.md §Complaints) and aims to settle it within ``COMPLAINT_RESOLVE_DAYS``.
"""
from flask import current_app
from flask_babel import gettext as _

from ..accounts.models import Role, User
from ..accounts.services import active_admins
from ..extensions import db
from ..images import make_renditions
from ..notifications.services import outlet_staff, queue
from ..storage import get_storage, new_key
from ..timeutil import utcnow
from ..unit_of_work import on_commit, transaction
from ..workdays import due_after
from .models import Author, Complaint, ComplaintMessage, Status

TRANSITIONS = {
    Status.OPEN: {Status.ANSWERED, Status.RESOLVED},
    Status.ANSWERED: {Status.OPEN, Status.RESOLVED},
    Status.RESOLVED: set(),
}
MAX_MESSAGE = 4000


class ComplaintError(Exception):
    """A complaint action that cannot be done; the message is for the person who tried."""


class ComplaintClosed(ComplaintError):
    """The complaint is resolved: nothing more can be written on it."""


class NotAboutThisOrder(ComplaintError):
    """The outlet named is not one of the order's pickups."""


def _move(complaint: Complaint, to: Status) -> None:
    if to not in TRANSITIONS[Status(complaint.status)]:
        raise ComplaintClosed(_("Khiếu nại này đã được giải quyết."))
    complaint.status = to
    if to == Status.ANSWERED:
        complaint.answered_at = utcnow()
    elif to == Status.RESOLVED:
        complaint.resolved_at = utcnow()


def _text(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ComplaintError(_("Vui lòng viết nội dung."))
    return body[:MAX_MESSAGE]


def file_complaint(order, *, category: str, message: str, outlet_id: int | None = None,
                   photo: bytes | None = None, by: User | None = None) -> Complaint:
    """File a complaint about ``order``; its outlet's staff and the admins are mailed, and so is the shopper.

    :raises NotAboutThisOrder: ``outlet_id`` is not one of the order's outlets.
    :raises ComplaintError: an empty message.
    :raises ImageRejected: the photo is not an image the shop accepts.
    """
    if outlet_id is not None and outlet_id not in {p.outlet_id for p in order.pickups}:
        raise NotAboutThisOrder(_("Đơn hàng này không nhận tại điểm bán đó."))
    body = _text(message)
    photo_key = _store_photo(photo) if photo else None
    now = utcnow()
    config = current_app.config
    try:
        with transaction():
            complaint = Complaint(order=order, outlet_id=outlet_id, category=category,
                                  status=Status.OPEN, photo_key=photo_key, created_at=now,
                                  answer_by=due_after(now, config["COMPLAINT_ANSWER_DAYS"]),
                                  resolve_by=due_after(now, config["COMPLAINT_RESOLVE_DAYS"]))
            complaint.messages.append(ComplaintMessage(author=Author.SHOPPER, body=body,
                                                       author_id=by.id if by else None,
                                                       created_at=now))
            db.session.add(complaint)
            db.session.flush()
            _tell_staff(complaint, "complaint_filed")
            queue("complaint_received", order.email, order.locale, order, complaint=complaint)
    except BaseException:
        if photo_key:
            get_storage().delete(photo_key)
        raise
    return complaint


def _store_photo(data: bytes) -> str:
    """Keep a re-encoded copy of the photo (no EXIF, no GPS) under the private ``complaints/``."""
    key = new_key("complaints", ".webp")
    get_storage().save(key, make_renditions(data).large, "image/webp")
    return key


def answer(complaint: Complaint, body: str, by: User, *, resolve: bool = False) -> None:
    """Write the shop's answer (and settle the complaint with ``resolve``); the shopper is mailed.

    :raises ComplaintClosed: the complaint is already resolved.
    """
    text = _text(body)
    with transaction():
        _move(complaint, Status.RESOLVED if resolve else Status.ANSWERED)
        if resolve and complaint.answered_at is None:
            complaint.answered_at = complaint.resolved_at
        complaint.messages.append(ComplaintMessage(author=Author.STAFF, author_id=by.id, body=text,
                                                   created_at=utcnow()))
        order = complaint.order
        queue("complaint_answered", order.email, order.locale, order, complaint=complaint,
              answer=text)


def reply(complaint: Complaint, body: str, by: User | None = None) -> None:
    """Add the shopper's reply; an answered complaint opens again and the staff are mailed.

    :raises ComplaintClosed: the complaint is already resolved.
    """
    text = _text(body)
    with transaction():
        if complaint.status == Status.ANSWERED:
            _move(complaint, Status.OPEN)
        elif complaint.status == Status.RESOLVED:
            raise ComplaintClosed(_("Khiếu nại này đã được giải quyết."))
        complaint.messages.append(ComplaintMessage(author=Author.SHOPPER, body=text,
                                                   author_id=by.id if by else None,
                                                   created_at=utcnow()))
        _tell_staff(complaint, "complaint_reply", reply=text)


def resolve(complaint: Complaint, by: User | None = None) -> None:
    """Settle the complaint (the shopper is satisfied, or staff close it); the other side is told.

    :raises ComplaintClosed: it already is.
    """
    with transaction():
        _move(complaint, Status.RESOLVED)
        order = complaint.order
        if by is not None and by.role in (Role.ADMIN, Role.OUTLET_STAFF):
            queue("complaint_resolved", order.email, order.locale, order, complaint=complaint)
        else:
            _tell_staff(complaint, "complaint_resolved_by_shopper")


def _tell_staff(complaint: Complaint, kind: str, **context) -> None:
    """Mail the outlet's staff (for an outlet's complaint) and every admin."""
    people = {user.email: user for user in active_admins()}
    if complaint.outlet is not None:
        people.update({user.email: user for user in outlet_staff(complaint.outlet)})
    for email in sorted(people):
        queue(kind, email, people[email].locale, complaint.order, complaint=complaint,
              staff=people[email], **context)


def discard_photo(complaint: Complaint) -> None:
    """Delete the complaint's photo once the deletion commits (an erasure)."""
    key = complaint.photo_key
    if key:
        complaint.photo_key = None
        on_commit(lambda: get_storage().delete(key))
