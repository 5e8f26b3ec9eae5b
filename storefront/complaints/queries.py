"""Which complaints someone may see: one function per viewer, so a foreign id is simply not found."""
from flask import abort
from sqlalchemy import case, select
from sqlalchemy.orm import selectinload

from ..accounts.models import Role
from ..extensions import db
from .models import Complaint, Status


def complaints_of(order) -> list[Complaint]:
    """Return the order's complaints, newest first, with their messages."""
    return list(db.session.scalars(
        select(Complaint).where(Complaint.order_id == order.id)
        .options(selectinload(Complaint.messages)).order_by(Complaint.id.desc())))


def complaint_of(order, complaint_id: int) -> Complaint:
    """Return one of the order's complaints, or answer 404."""
    complaint = db.session.get(Complaint, complaint_id)
    if complaint is None or complaint.order_id != order.id:
        abort(404)
    return complaint


def _visible_to(user):
    query = select(Complaint)
    if user.role == Role.ADMIN:
        return query
    if user.role == Role.OUTLET_STAFF:
        return query.where(Complaint.outlet_id == user.outlet_id)
    return query.where(False)


def complaints_for(user, status: str | None = None) -> list[Complaint]:
    """Return the complaints ``user`` handles (admins: all; staff: their outlet's), open ones first."""
    query = _visible_to(user).options(selectinload(Complaint.order), selectinload(Complaint.outlet))
    if status:
        query = query.where(Complaint.status == status)
    waiting = case((Complaint.status == Status.OPEN, 0), (Complaint.status == Status.ANSWERED, 1),
                   else_=2)
    return list(db.session.scalars(query.order_by(waiting, Complaint.answer_by, Complaint.id)))


def complaint_for(user, complaint_id: int) -> Complaint:
    """Return a complaint ``user`` handles, or answer 404 (another outlet's is not found)."""
    complaint = db.session.scalar(_visible_to(user).where(Complaint.id == complaint_id))
    if complaint is None:
        abort(404)
    return complaint
