"""Everything the shop holds about a person, as JSON in a ZIP (with their complaint photos)."""
import io
import json
import zipfile

from sqlalchemy import select

from ..complaints.models import Complaint
from ..extensions import db
from ..notifications.models import OutboxMessage
from ..orders.models import Order
from ..storage import get_storage
from ..timeutil import utcnow
from . import consents
from .models import DataRequest

README = """data.json: everything OCOP Hà Nội holds about you, as of {when} (UTC).
- account: your contact details; orders: each order with its contact, pickups and lines;
- consents: every opt-in and withdrawal, with the wording's version, time and channel;
- complaints: what you wrote and what we answered; data_requests: your requests to us;
- mail: the messages we sent you. Photos you sent with a complaint are in photos/.
Order handling is the contract you asked for; no consent is needed for it.
"""


def _when(value) -> str | None:
    return value.isoformat() if value else None


def _order(order: Order) -> dict:
    return {
        "number": order.number, "placed_at": _when(order.created_at),
        "contact": {"name": order.name, "phone": order.phone, "email": order.email},
        "payment_method": order.payment_method, "payment_status": order.payment_status,
        "total_vnd": order.total, "legal_basis": "contract",
        "pickups": [{"outlet": p.outlet.name, "status": p.status,
                     "pickup_day": p.pickup_day.isoformat() if p.pickup_day else None,
                     "lines": [{"product": line.product_name, "unit": line.unit,
                                "quantity": line.quantity, "unit_price_vnd": line.unit_price}
                               for line in p.lines]}
                    for p in order.pickups],
    }


def _complaint(complaint: Complaint) -> dict:
    return {"reference": complaint.reference, "order": complaint.order.number,
            "category": complaint.category, "status": complaint.status,
            "filed_at": _when(complaint.created_at), "answer_by": complaint.answer_by.isoformat(),
            "photo": f"photos/{complaint.reference}.webp" if complaint.photo_key else None,
            "messages": [{"from": m.author, "at": _when(m.created_at), "text": m.body}
                         for m in complaint.messages]}


def _request(request: DataRequest) -> dict:
    return {"reference": request.reference, "kind": request.kind, "status": request.status,
            "received_at": _when(request.received_at), "message": request.message,
            "completed_at": _when(request.completed_at)}


def _mail(addresses: set[str]) -> list[dict]:
    rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_email.in_(addresses))
                              .order_by(OutboxMessage.id))
    return [{"to": m.to_email, "subject": m.subject, "written_at": _when(m.created_at),
             "sent_at": _when(m.sent_at), "text": m.body} for m in rows]


def _consents(who) -> list[dict]:
    """Every opt-in and withdrawal of an account, or of a guest through its order."""
    return [{"purpose": c.purpose, "granted": c.granted, "text_version": c.text_version,
             "channel": c.channel, "at": _when(c.created_at)} for c in consents.history(who)]


def account_data(user) -> tuple[dict, list[Complaint]]:
    """Return what is held about an account holder, and their complaints (for the photos)."""
    orders = list(db.session.scalars(select(Order).where(Order.user_id == user.id)
                                     .order_by(Order.id)))
    ids = [order.id for order in orders]
    complaints = list(db.session.scalars(select(Complaint).where(Complaint.order_id.in_(ids or [-1]))
                                         .order_by(Complaint.id)))
    requests = db.session.scalars(select(DataRequest).where(DataRequest.user_id == user.id)
                                  .order_by(DataRequest.id))
    data = {
        "account": {"name": user.name, "email": user.email, "phone": user.phone,
                    "language": user.locale, "created_at": _when(user.created_at)},
        "orders": [_order(order) for order in orders],
        "consents": _consents(user),
        "complaints": [_complaint(c) for c in complaints],
        "data_requests": [_request(r) for r in requests],
        "mail": _mail({user.email} | {o.email for o in orders}),
    }
    return data, complaints


def order_data(order) -> tuple[dict, list[Complaint]]:
    """Return what is held about a guest through one order, and its complaints."""
    complaints = list(db.session.scalars(select(Complaint).where(Complaint.order_id == order.id)
                                         .order_by(Complaint.id)))
    requests = db.session.scalars(select(DataRequest).where(DataRequest.order_id == order.id)
                                  .order_by(DataRequest.id))
    data = {"orders": [_order(order)],
            "consents": _consents(order) if order.user_id is None else [],
            "complaints": [_complaint(c) for c in complaints],
            "data_requests": [_request(r) for r in requests],
            "mail": _mail({order.email})}
    return data, complaints


def as_zip(data: dict, complaints: list[Complaint]) -> bytes:
    """Pack ``data`` as data.json (UTF-8, readable) with a README and the complaint photos."""
    now = utcnow()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps({"generated_at": _when(now), **data},
                                                 ensure_ascii=False, indent=2))
        archive.writestr("README.txt", README.format(when=now.strftime("%Y-%m-%d %H:%M")))
        storage = get_storage()
        for complaint in complaints:
            if complaint.photo_key:
                try:
                    archive.writestr(f"photos/{complaint.reference}.webp",
                                     storage.open(complaint.photo_key))
                except FileNotFoundError:
                    pass
    return out.getvalue()
