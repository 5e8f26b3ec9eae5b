"""E-invoice use cases: record one per sale in the hand-over's transaction (a booking's: its
check-in's, or its paid no-show's), issue from a worker
after it commits (never while the counter waits), adjust when money or goods go back, retry with
backoff, and let admins retry or fix the buyer.

Nothing is lost and nothing is issued twice: the invoice row is written with the hand-over (the
outbox), each attempt is claimed (a guarded UPDATE of ``attempts``, committed) before the provider
is called, and every attempt after the first — or after an admin changed the buyer — looks the
invoice up by our ``transaction_uuid`` before creating it.
"""
import logging
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import event, update
from sqlalchemy.orm import Session

from ..extensions import db
from ..notifications import services as notify
from ..orders.models import PickupStatus
from ..orders.money_events import MoneyKind
from ..queue import enqueue, task
from ..storage import get_storage, new_key
from ..timeutil import utcnow
from ..unit_of_work import on_commit, transaction
from . import accounts, building
from .models import Invoice, InvoiceBuyer, InvoiceKind, InvoiceStatus
from .adapters import adapter
from .provider import ProviderError, ProviderRefused, ProviderUnavailable

log = logging.getLogger(__name__)
FIRST_RETRY_SECONDS = 60
LONGEST_WAIT_SECONDS = 6 * 3600
_DONE_NOW = "invoices_done_now"  # pickups, bookings and orders invoiced or adjusted in this transaction


class InvoiceError(Exception):
    """An admin's action on an invoice cannot be done; the message says why."""


# --- recording (in the caller's transaction) --------------------------------------------------

def on_money_moved(event_, **_ignored) -> None:
    """Record the invoices a money event calls for (connected in ``wiring.py``)."""
    if not building.enabled():
        return
    if event_.kind == MoneyKind.HANDED_OVER:
        record_sale(event_.pickup)
    elif event_.kind == MoneyKind.BOOKING_ATTENDED:
        record_booking_sale(event_.booking)
    elif event_.kind == MoneyKind.REFUND_OWED and not event_.from_overpayments:
        record_refund(event_.order, event_.pickup, event_.amount, event_.key)


def record_sale(pickup) -> list[Invoice]:
    """Record the invoice(s) of a pickup handed over just now and issue them after commit."""
    made = building.sale_invoices(pickup, utcnow())
    # A refund in this same transaction (a partial hand-over's missing lines) is for goods not invoiced.
    _done_now().update({("pickup", pickup.id), ("order", pickup.order_id)})
    _issue_after_commit(made)
    return made


def record_booking_sale(booking) -> list[Invoice]:
    """Record the invoice of a booking that became a sale just now (its check-in, or a paid
    no-show) and issue it after commit, as a pickup's."""
    made = building.booking_invoices(booking, utcnow())
    _done_now().update({("booking", booking.id), ("order", booking.order_id)})
    _issue_after_commit(made)
    return made


def record_refund(order, pickup, amount: int, key: str) -> list[Invoice]:
    """Record adjustments for money owed back on goods already invoiced in an earlier transaction.

    A refund in the hand-over's own transaction (the lines a partial hand-over did not hand over)
    is for goods never invoiced: nothing to adjust.
    """
    done = _done_now()
    if ("pickup", pickup.id if pickup else None) in done or ("order", order.id) in done:
        return []
    query = db.select(Invoice).where(Invoice.kind == InvoiceKind.SALE, Invoice.order_id == order.id)
    if pickup is not None:
        query = query.where(Invoice.pickup_id == pickup.id)
    made = []
    for original in db.session.scalars(query.order_by(Invoice.id)).all():
        if amount <= 0:
            break
        adjustment = building.adjustment(original, amount, f"{key}-i{original.id}",
                                         _("Điều chỉnh giảm do hoàn tiền cho người mua"), utcnow())
        if adjustment is not None:
            amount -= adjustment.total_with_tax
            made.append(adjustment)
    _issue_after_commit(made)
    return made


def record_return(pickup, quantities: dict[int, int], reason: str, key: str) -> list[Invoice]:
    """Record adjustments for units given back after hand-over (order line id → units), in the
    caller's transaction; the refund it causes in the same transaction adjusts nothing more."""
    made = []
    if building.enabled():
        originals = db.session.scalars(db.select(Invoice).where(
            Invoice.kind == InvoiceKind.SALE, Invoice.pickup_id == pickup.id).order_by(Invoice.id)).all()
        for original in originals:
            adjustment = building.adjustment(original, 0, f"{key}-i{original.id}", reason, utcnow(),
                                             quantities=quantities)
            if adjustment is not None:
                made.append(adjustment)
    _done_now().update({("pickup", pickup.id), ("order", pickup.order_id)})
    _issue_after_commit(made)
    return made


def _done_now() -> set:
    return db.session.info.setdefault(_DONE_NOW, set())


@event.listens_for(Session, "after_transaction_end")
def _forget_done_now(session, transaction_) -> None:
    if transaction_.parent is None:  # the whole transaction, not a savepoint (the ledger uses them)
        session.info.pop(_DONE_NOW, None)


def _issue_after_commit(invoices: list[Invoice]) -> None:
    if not invoices:
        return
    db.session.flush()
    ids = [invoice.id for invoice in invoices]
    on_commit(lambda: [enqueue(issue_invoice_task, invoice_id) for invoice_id in ids])


def keep_buyer(order, *, legal_name: str, address: str, tax_code: str, email: str) -> InvoiceBuyer:
    """Keep the company an order's invoice is for (in the caller's transaction)."""
    buyer = db.session.get(InvoiceBuyer, order.id) or InvoiceBuyer(order_id=order.id)
    buyer.legal_name, buyer.address, buyer.tax_code, buyer.email = legal_name, address, tax_code, email
    db.session.add(buyer)
    return buyer


def buyer_of(order) -> InvoiceBuyer | None:
    return db.session.get(InvoiceBuyer, order.id)


# --- issuing (worker) --------------------------------------------------------------------------

@task(name="issue_invoice")
def issue_invoice_task(invoice_id: int) -> None:
    """Issue one recorded invoice (if it is still pending and due)."""
    issue(invoice_id)


def backoff(attempts: int) -> timedelta:
    """Return how long to wait after the ``attempts``-th attempt: 1, 2, 4 ... minutes, at most 6 h."""
    return timedelta(seconds=min(FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0), LONGEST_WAIT_SECONDS))


def issue(invoice_id: int, now=None) -> str | None:
    """Issue one pending invoice at its provider; return its status, or None when not due or taken.

    No transaction stays open while the provider answers.
    """
    now = now or utcnow()
    tried_before = _claim(invoice_id, now)
    if tried_before is None:
        return None
    invoice = db.session.get(Invoice, invoice_id)
    try:
        if invoice.is_adjustment and invoice.original.status != InvoiceStatus.ISSUED:
            raise ProviderUnavailable("waiting for the original invoice to be issued")
        account = (accounts.producer_account(invoice.producer) if invoice.producer_id
                   else accounts.operator_account())
        provider, document = adapter(account), building.document(invoice)
        lookups = [uuid for uuid in (invoice.superseded_uuid, invoice.transaction_uuid if tried_before
                                     else None) if uuid]
        db.session.commit()  # ends the read: nothing is held while the provider answers
        issued, used = None, document.transaction_uuid
        for uuid in lookups:
            issued = provider.find(uuid)
            if issued is not None:
                used = uuid
                break
        if issued is None:
            issued = provider.issue(document)
    except ProviderError as error:
        _failed(invoice_id, error)
        return InvoiceStatus.PENDING
    _issued(invoice_id, issued, used, now)
    return InvoiceStatus.ISSUED


def _claim(invoice_id: int, now) -> bool | None:
    """Take the next attempt (committed); return whether it was tried before, None if not ours."""
    row = db.session.execute(db.select(Invoice.attempts, Invoice.next_attempt_at).where(
        Invoice.id == invoice_id, Invoice.status == InvoiceStatus.PENDING)).first()
    db.session.commit()
    if row is None or (row.next_attempt_at is not None and row.next_attempt_at > now):
        return None
    claimed = db.session.execute(
        update(Invoice).where(Invoice.id == invoice_id, Invoice.status == InvoiceStatus.PENDING,
                              Invoice.attempts == row.attempts)
        # The lease: a worker killed while the provider answers leaves it to the sweep after this.
        .values(attempts=row.attempts + 1, next_attempt_at=now + backoff(row.attempts + 1))
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return row.attempts > 0 if claimed else None


def _issued(invoice_id: int, issued, used_uuid: str, now) -> None:
    with transaction():
        invoice = db.session.get(Invoice, invoice_id)
        db.session.refresh(invoice)
        if invoice.status != InvoiceStatus.PENDING:
            return
        if used_uuid != invoice.transaction_uuid:  # issued before the admin's fix: that one stands
            log.warning("invoice %s was issued under %s, before its buyer was fixed", invoice_id, used_uuid)
            invoice.transaction_uuid, invoice.superseded_uuid = used_uuid, None
        invoice.status, invoice.number, invoice.lookup_code = InvoiceStatus.ISSUED, issued.number, issued.lookup_code
        invoice.issued_at, invoice.last_error, invoice.next_attempt_at = now, None, None
        _mail(invoice)
    log.info("invoice %s issued as %s", invoice_id, issued.number)


def _mail(invoice: Invoice) -> None:
    order = invoice.order
    notify.queue("einvoice_issued", order.email, order.locale, order, invoice=invoice)
    if invoice.buyer_email and invoice.buyer_email.lower() != order.email.lower():
        notify.queue("einvoice_issued", invoice.buyer_email, order.locale, order, invoice=invoice)


def _failed(invoice_id: int, error: ProviderError) -> None:
    message = f"{'refused' if isinstance(error, ProviderRefused) else 'unavailable'}: {error}"[:2000]
    with transaction():
        db.session.execute(update(Invoice).where(Invoice.id == invoice_id,
                                                 Invoice.status == InvoiceStatus.PENDING)
                           .values(last_error=message).execution_options(synchronize_session=False))
    log.warning("invoice %s not issued: %s", invoice_id, message)


def retry_due(now=None, limit: int = 200) -> int:
    """Try every pending invoice that is due, oldest first (the worker's periodic sweep)."""
    now = now or utcnow()
    due = db.session.scalars(db.select(Invoice.id).where(
        Invoice.status == InvoiceStatus.PENDING,
        db.or_(Invoice.next_attempt_at.is_(None), Invoice.next_attempt_at <= now))
        .order_by(Invoice.id).limit(limit)).all()
    db.session.commit()
    return sum(issue(invoice_id, now) == InvoiceStatus.ISSUED for invoice_id in due)


# --- what people see -------------------------------------------------------------------------

def invoices_of(order) -> list[Invoice]:
    return db.session.scalars(db.select(Invoice).where(Invoice.order_id == order.id)
                              .order_by(Invoice.id)).all()


def pdf(invoice: Invoice) -> bytes:
    """Return an issued invoice's PDF: kept in private storage after the provider's first answer.

    :raises ProviderError: not issued yet, or the provider cannot give it now.
    """
    if invoice.status != InvoiceStatus.ISSUED:
        raise ProviderUnavailable("the invoice is not issued yet")
    storage = get_storage()
    if invoice.pdf_key and storage.exists(invoice.pdf_key):
        return storage.open(invoice.pdf_key)
    account = (accounts.producer_account(invoice.producer) if invoice.producer_id
               else accounts.operator_account())
    data = adapter(account).pdf(invoice.number, invoice.template_code, invoice.transaction_uuid)
    key = new_key("invoices", ".pdf")
    storage.save(key, data, "application/pdf")
    with transaction():
        invoice.pdf_key = key
    return data


# --- the admins' fixes -------------------------------------------------------------------------

def failing() -> list[Invoice]:
    """Return the invoices still waiting after at least one attempt, oldest first."""
    return db.session.scalars(db.select(Invoice).where(
        Invoice.status == InvoiceStatus.PENDING, Invoice.attempts > 0).order_by(Invoice.id)).all()


def retry_now(invoice: Invoice) -> None:
    """Make a pending invoice due now and hand it to a worker.

    :raises InvoiceError: it is issued already.
    """
    with transaction():
        if invoice.status != InvoiceStatus.PENDING:
            raise InvoiceError(_("Hoá đơn này đã được phát hành."))
        invoice.next_attempt_at = utcnow()
        invoice_id = invoice.id
        on_commit(lambda: enqueue(issue_invoice_task, invoice_id))


def fix_buyer(invoice: Invoice, *, legal_name: str, address: str, tax_code: str, email: str) -> None:
    """Correct the buyer of a pending invoice (and of its order) and try again at once.

    The invoice gets a fresh ``transaction_uuid``; the old one is looked up first, in case the
    provider issued it after all.

    :raises InvoiceError: it is issued already (then only an adjustment can correct it).
    """
    with transaction():
        if invoice.status != InvoiceStatus.PENDING:
            raise InvoiceError(_("Hoá đơn đã phát hành không sửa được; hãy lập hoá đơn điều chỉnh."))
        if invoice.attempts:
            invoice.superseded_uuid = invoice.superseded_uuid or invoice.transaction_uuid
            invoice.transaction_uuid = building.new_uuid()
        invoice.buyer_legal_name, invoice.buyer_address = legal_name, address
        invoice.buyer_tax_code, invoice.buyer_email = tax_code, email
        invoice.next_attempt_at = utcnow()
        keep_buyer(invoice.order, legal_name=legal_name, address=address, tax_code=tax_code, email=email)
        invoice_id = invoice.id
        on_commit(lambda: enqueue(issue_invoice_task, invoice_id))


def no_invoice_reason(order) -> str | None:
    """Return why the order page shows no e-invoice, if it shows none."""
    if not building.enabled():
        return _("Cửa hàng chưa phát hành hoá đơn điện tử cho đơn này.")
    if not order.pickups:  # bookings only: the sale is the check-in (or a paid no-show)
        return _("Hoá đơn điện tử được lập khi bạn tham gia buổi trải nghiệm.")
    if not any(p.status == PickupStatus.COLLECTED for p in order.pickups):
        return _("Hoá đơn điện tử được lập khi bạn nhận hàng.")
    return None
