"""What waits for an admin: the counts of the home page's to-do panel, and one order read in full.

Every count is one ``SELECT count(*)`` over an indexed status, so the home page stays cheap.
"""
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..catalog.models import Certificate
from ..certificates.renewals import expiring
from ..complaints.models import Complaint
from ..complaints.models import Status as ComplaintStatus
from ..extensions import db
from ..finance.models import CashShift
from ..invoices.models import Invoice, InvoiceStatus
from ..orders.models import (
    COUNTER_METHOD_LABELS, LINE_STATUS_LABELS, PAYMENT_METHOD_LABELS, PAYMENT_STATUS_LABELS,
    PICKUP_STATUS_LABELS, Order, Pickup,
)
from ..payments.models import Refund, RefundStatus
from ..payments.transfer_models import (
    BankTransfer, RefundOwedStatus, TransferRefund, TransferStatus,
)
from ..privacy.models import DataRequest, RequestStatus
from ..timeutil import local_today
from .services import dashboard_counts

EXPIRING_WITHIN_DAYS = 30  # the shortest window of /admin/certificates/expiring
ORDER_LABELS = {"payment_status_labels": PAYMENT_STATUS_LABELS,
                "payment_method_labels": PAYMENT_METHOD_LABELS,
                "pickup_status_labels": PICKUP_STATUS_LABELS, "line_status_labels": LINE_STATUS_LABELS,
                "counter_method_labels": COUNTER_METHOD_LABELS}


def _count(query) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery()))


def todo_counts(today=None) -> dict[str, int]:
    """Count each kind of work waiting for an admin (a key per line of the to-do panel)."""
    today = today or local_today()
    return {
        **dashboard_counts(),
        "transfers_to_match": _count(select(BankTransfer.id)
                                     .where(BankTransfer.status == TransferStatus.TO_RESOLVE)),
        "transfer_refunds_owed": _count(select(TransferRefund.id)
                                        .where(TransferRefund.status == RefundOwedStatus.OWED)),
        "failed_refunds": _count(select(Refund.id).where(Refund.status == RefundStatus.FAILED)),
        "certificates_expiring": _count(
            expiring(today, EXPIRING_WITHIN_DAYS).with_only_columns(Certificate.id)),
        "complaints_open": _count(select(Complaint.id).where(Complaint.status == ComplaintStatus.OPEN)),
        "data_requests_open": _count(select(DataRequest.id).where(
            DataRequest.status.in_((RequestStatus.RECEIVED, RequestStatus.ACKNOWLEDGED)))),
        # as /admin/invoices lists them: still pending after at least one attempt
        "invoices_failing": _count(select(Invoice.id).where(Invoice.status == InvoiceStatus.PENDING,
                                                            Invoice.attempts > 0)),
        "cash_differences": _count(select(CashShift.id).where(CashShift.difference != 0,
                                                             CashShift.reviewed_at.is_(None))),
    }


def order_for_admin(number: str) -> Order | None:
    """Return any order by its number, with what its admin page shows, or None."""
    return db.session.scalar(
        select(Order).where(Order.number == number.strip())
        .options(selectinload(Order.pickups).selectinload(Pickup.lines),
                 selectinload(Order.pickups).selectinload(Pickup.outlet),
                 selectinload(Order.events), selectinload(Order.counter_payments)))


def money_of(order: Order) -> dict[str, list]:
    """Return every movement of the order's money: transfers, refunds owed or sent, card refunds."""
    def rows(model, *where):
        return db.session.scalars(select(model).where(model.order_id == order.id, *where)
                                  .order_by(model.id)).all()

    return {"transfers": rows(BankTransfer), "transfer_refunds": rows(TransferRefund),
            "card_refunds": rows(Refund), "counter": list(order.counter_payments)}


