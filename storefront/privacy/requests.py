"""Data-subject requests and their legal due dates (Decree 356/2025).

A request is acknowledged within ``ACKNOWLEDGE_DAYS`` working days of its receipt and completed
within ``COMPLETE_DAYS``, or ``EXTENDED_DAYS`` when an admin extends it with a reason. Working
days skip weekends and Vietnamese public holidays, Tết included (``storefront/workdays.py``).
What a person does for themselves (download, delete the account) is recorded as a request
completed at once; what needs a person at the shop (a guest's erasure, a correction) waits for
an admin at ``/admin/data-requests``, who is mailed and reminded.
"""
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import case, select

from ..accounts.services import active_admins
from ..extensions import db
from ..notifications.services import queue
from ..timeutil import local_today, utcnow
from ..unit_of_work import transaction
from ..workdays import add_working_days, due_after
from . import erasure
from .models import DataRequest, RequestKind, RequestStatus

ACKNOWLEDGE_DAYS = 2
COMPLETE_DAYS = 10
EXTENDED_DAYS = 20
CHANNEL_ACCOUNT = "web:account"
CHANNEL_ORDER = "web:order"
# The last mail to a forgotten address; the retention sweep cuts it down once sent.
ERASED_MAIL = erasure.ERASED_MAIL


class RequestError(Exception):
    """A request action that cannot be done; the message is for the person who tried."""


class RequestClosed(RequestError):
    """The request is already completed or refused."""


def _new(kind: RequestKind, *, user=None, order=None, channel: str, message=None) -> DataRequest:
    now = utcnow()
    request = DataRequest(kind=kind, user_id=user.id if user else None,
                          order_id=order.id if order else None, channel=channel, message=message,
                          received_at=now, acknowledge_by=due_after(now, ACKNOWLEDGE_DAYS),
                          complete_by=due_after(now, COMPLETE_DAYS))
    db.session.add(request)
    return request


def _done_at_once(request: DataRequest, outcome: str) -> None:
    request.status = RequestStatus.COMPLETED
    request.acknowledged_at = request.completed_at = request.received_at
    request.outcome = outcome


def record_download(*, user=None, order=None, channel: str) -> DataRequest:
    """Record that a person downloaded their data (an access request, completed at once)."""
    with transaction():
        request = _new(RequestKind.ACCESS, user=user, order=order, channel=channel)
        _done_at_once(request, "download")
    return request


def delete_account(user) -> DataRequest:
    """Delete ``user``'s account at its owner's request, and record it as a completed request.

    :raises ErasureRefused: see ``erasure.check_erasable``.
    """
    with transaction():
        address, locale = user.email, user.locale
        request = _new(RequestKind.ERASURE, user=user, channel=CHANNEL_ACCOUNT)
        erasure.erase_account(user)
        _done_at_once(request, "account deleted")
        queue(ERASED_MAIL, address, locale, None, request=request)
    return request


def ask(kind: RequestKind, *, user=None, order=None, channel: str, message: str | None = None
        ) -> DataRequest:
    """Receive a request an admin must handle; every admin is mailed with its due dates.

    :raises OrdersStillOpen: a guest asks to forget an order still to be paid or collected.
    """
    if kind == RequestKind.ERASURE and order is not None and erasure.is_erased(order.email):
        raise RequestClosed(_("Thông tin liên hệ của đơn này đã được xoá."))
    with transaction():
        request = _new(kind, user=user, order=order, channel=channel,
                       message=(message or "").strip()[:2000] or None)
        db.session.flush()
        for admin in active_admins():
            queue("data_request_received", admin.email, admin.locale, order, request=request)
    return request


def requester_contact(request: DataRequest) -> tuple[str, str] | None:
    """Return (address, locale) to write to the requester, or None once it has been erased."""
    email, locale = (request.user.email, request.user.locale) if request.user else \
        (request.order.email, request.order.locale)
    return None if erasure.is_erased(email) else (email, locale)


def _tell_requester(request: DataRequest, kind: str) -> None:
    contact = requester_contact(request)
    if contact:
        queue(kind, contact[0], contact[1], request.order, request=request)


def _open(request: DataRequest) -> None:
    if not request.is_open:
        raise RequestClosed(_("Yêu cầu này đã đóng."))


def acknowledge(request: DataRequest, by) -> None:
    """Tell the requester the request was received and by when it will be done.

    :raises RequestClosed: it is completed or refused.
    """
    with transaction():
        _open(request)
        if request.acknowledged_at is None:
            request.acknowledged_at = utcnow()
            request.status = RequestStatus.ACKNOWLEDGED
            request.handled_by_id = by.id
            _tell_requester(request, "data_request_acknowledged")


def extend(request: DataRequest, reason: str, by) -> None:
    """Move the completion date to ``EXTENDED_DAYS`` working days after receipt, saying why.

    :raises RequestClosed: it is completed or refused, or already extended.
    """
    reason = (reason or "").strip()
    if not reason:
        raise RequestError(_("Vui lòng ghi lý do gia hạn."))
    with transaction():
        _open(request)
        if request.extended:
            raise RequestClosed(_("Yêu cầu này đã được gia hạn một lần."))
        request.extended = True
        request.complete_by = due_after(request.received_at, EXTENDED_DAYS)
        request.outcome = reason
        request.handled_by_id = by.id
        _tell_requester(request, "data_request_extended")


def complete(request: DataRequest, outcome: str, by) -> None:
    """Complete the request (an erasure forgets the order's contact or deletes the account).

    The requester is mailed before their address is forgotten.

    :raises RequestClosed: it is already closed.
    :raises ErasureRefused: the order is still to be paid or collected.
    """
    with transaction():
        _open(request)
        request.status = RequestStatus.COMPLETED
        request.completed_at = utcnow()
        request.acknowledged_at = request.acknowledged_at or request.completed_at
        request.outcome = (outcome or "").strip() or None
        request.handled_by_id = by.id
        contact = requester_contact(request)
        kind = "data_request_completed"
        if request.kind == RequestKind.ERASURE:
            _erase_subject(request)
            kind = ERASED_MAIL
        if contact:  # to the address as it was: the erasure just forgot it
            queue(kind, contact[0], contact[1], request.order, request=request)


def _erase_subject(request: DataRequest) -> None:
    if request.user is not None:
        erasure.erase_account(request.user)
        return
    if any(p.status in erasure.OPEN_STATUSES for p in request.order.pickups):
        raise erasure.OrdersStillOpen(_("Đơn hàng còn chưa nhận hoặc chưa thanh toán."))
    erasure.forget_order(request.order)


def refuse(request: DataRequest, reason: str, by) -> None:
    """Refuse the request with a reason the requester is sent.

    :raises RequestError: no reason given.
    :raises RequestClosed: it is already closed.
    """
    reason = (reason or "").strip()
    if not reason:
        raise RequestError(_("Vui lòng ghi lý do."))
    with transaction():
        _open(request)
        request.status = RequestStatus.REFUSED
        request.completed_at = utcnow()
        request.outcome = reason
        request.handled_by_id = by.id
        _tell_requester(request, "data_request_refused")


def all_requests(status: str | None = None) -> list[DataRequest]:
    """Return requests for the admin: open ones first, by their nearest due date."""
    query = select(DataRequest)
    if status == "open":
        query = query.where(DataRequest.status.in_((RequestStatus.RECEIVED,
                                                    RequestStatus.ACKNOWLEDGED)))
    closed = case((DataRequest.status.in_((RequestStatus.RECEIVED, RequestStatus.ACKNOWLEDGED)), 0),
                  else_=1)
    return list(db.session.scalars(query.order_by(closed, DataRequest.complete_by,
                                                  DataRequest.id.desc())))


def next_due(request: DataRequest) -> tuple[str, date] | None:
    """Return what is due next on an open request and when: ("acknowledge"|"complete", day)."""
    if not request.is_open:
        return None
    if request.acknowledged_at is None:
        return "acknowledge", request.acknowledge_by
    return "complete", request.complete_by


def due_soon(today: date | None = None) -> list[DataRequest]:
    """Return open requests whose next step is due by the next working day, or overdue."""
    today = today or local_today()
    horizon = add_working_days(today, 1)
    return [request for request in all_requests("open")
            if (due := next_due(request)) and due[1] <= horizon]


def remind_admins(today: date | None = None) -> int:
    """Mail every admin the requests due by the next working day (each request once a day)."""
    today = today or local_today()
    with transaction():
        waiting = [r for r in due_soon(today) if r.reminded_on != today]
        if not waiting:
            return 0
        for admin in active_admins():
            queue("data_request_reminder", admin.email, admin.locale, None, requests=waiting,
                  today=today, next_due=next_due)
        for request in waiting:
            request.reminded_on = today
    return len(waiting)
