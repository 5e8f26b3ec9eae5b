"""What an invoice says: built from what was really handed over or attended (a sale: a pickup's
goods, a booking's seats) or given back (an adjustment), frozen on the invoice's rows, and turned
into the provider's ``InvoiceDocument``.

In the caller's transaction; nothing here talks to the provider.
"""
import uuid
from dataclasses import dataclass

from flask import current_app

from ..extensions import db
from ..orders.models import CounterMethod, CounterPayment, LineStatus, PaymentMethod
from . import vat
from .models import Invoice, InvoiceBuyer, InvoiceKind, InvoiceLine, InvoiceStatus, ProviderAccount
from .provider import Buyer, DocumentLine, InvoiceDocument, Original, Seller


def enabled() -> bool:
    """Tell whether the shop issues e-invoices (``EINVOICE_PROVIDER`` is set)."""
    return bool(current_app.config.get("EINVOICE_PROVIDER"))


def producers_sell() -> bool:
    """Tell whether each producer is the seller (``SELLER_OF_RECORD=producer``; else the operator)."""
    return (current_app.config.get("SELLER_OF_RECORD") or "operator") == "producer"


def new_uuid() -> str:
    return uuid.uuid4().hex  # 32 characters: Viettel takes 10 to 36


# --- a sale ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Sold:
    """What an invoice sells — a pickup's goods or a booking's seats — its order and how it was paid."""

    order: object
    pickup: object | None
    booking: object | None
    payment_method: str


@dataclass(frozen=True)
class _Item:
    """One invoice line's source: an order line handed over, or a booking's tickets of one type."""

    producer: object
    order_line_id: int | None
    booking_seat_id: int | None
    name: str
    unit: str
    quantity: int
    amount: int  # with tax, whole đồng
    vat_rate: str


def sale_invoices(pickup, sold_at) -> list[Invoice]:
    """Record the invoices of a pickup just handed over: one, or one per producer when producers
    sell; from the lines handed over (not the cancelled ones). Once per pickup and seller."""
    with db.session.no_autoflush:  # an invoice is written whole, once: never flushed half-built
        items = [_Item(line.producer, line.id, None, line.product_name, line.unit, line.quantity,
                       line.amount, line.product.vat_rate)
                 for line in pickup.lines if line.status != LineStatus.CANCELLED]
        return _sale_invoices(_goods(pickup), f"sale-{pickup.id}", items, sold_at)


def booking_invoices(booking, sold_at) -> list[Invoice]:
    """Record the invoice of a booking that became a sale (checked in, or a paid no-show): one line
    per person type at the price frozen at checkout, sold by the experience's producer when
    producers sell. Once per booking."""
    with db.session.no_autoflush:
        product = booking.experience.product
        items = [_Item(booking.producer, None, seat.id, f"{booking.experience_name} – {seat.label_vi}",
                       product.unit_vi, seat.quantity, seat.amount, product.vat_rate)
                 for seat in booking.lines]
        return _sale_invoices(_seats(booking), f"sale-b{booking.id}", items, sold_at)


def _sale_invoices(sold: _Sold, cause_of_sale: str, items: list[_Item], sold_at) -> list[Invoice]:
    if producers_sell():
        by_producer: dict[int, list[_Item]] = {}
        for item in items:
            by_producer.setdefault(item.producer.id, []).append(item)
        groups = [(group[0].producer, group) for _id, group in sorted(by_producer.items())]
    else:
        groups = [(None, items)] if items else []
    made = []
    for producer, group in groups:
        cause = cause_of_sale + (f"-p{producer.id}" if producer is not None else "")
        if db.session.scalar(db.select(Invoice.id).where(Invoice.cause == cause)) is not None:
            continue
        invoice = _new(sold, producer, InvoiceKind.SALE, cause, sold_at)
        for number, item in enumerate(group, start=1):
            amounts = vat.split(item.amount, item.vat_rate)
            invoice.lines.append(InvoiceLine(
                line_number=number, order_line_id=item.order_line_id,
                booking_seat_id=item.booking_seat_id, name=item.name, unit=item.unit,
                quantity=item.quantity, vat_rate=item.vat_rate,
                amount_without_tax=amounts.without_tax, tax_amount=amounts.tax,
                amount_with_tax=amounts.with_tax))
        _total(invoice)
        made.append(invoice)
    return made


def _goods(pickup) -> _Sold:
    return _Sold(pickup.order, pickup, None, _payment_method(pickup))


def _seats(booking) -> _Sold:
    return _Sold(booking.order, None, booking, _booking_payment_method(booking))


def _sold_by(invoice: Invoice) -> _Sold:
    return _goods(invoice.pickup) if invoice.pickup is not None else _seats(invoice.booking)


def _new(sold: _Sold, producer, kind: InvoiceKind, cause: str, sold_at, original=None) -> Invoice:
    config = current_app.config
    if producer is not None:
        account = db.session.scalar(db.select(ProviderAccount)
                                    .where(ProviderAccount.producer_id == producer.id))
        seller = Seller(producer.name, producer.tax_code or "", producer.legal_address or "")
        provider = account.provider if account else config["EINVOICE_PROVIDER"]
        template, series = (account.template_code, account.series) if account else ("", "")
    else:
        seller = Seller(config.get("OPERATOR_LEGAL_NAME") or "", config.get("OPERATOR_TAX_CODE") or "",
                        config.get("OPERATOR_ADDRESS") or "")
        provider = config["EINVOICE_PROVIDER"]
        template, series = config.get("EINVOICE_TEMPLATE_CODE") or "", config.get("EINVOICE_SERIES") or ""
    if original is not None:  # an adjustment keeps the original's seller and buyer
        seller = Seller(original.seller_name, original.seller_tax_code, original.seller_address)
        provider, template, series = original.provider, original.template_code, original.series
    buyer = _buyer_of(sold.order) if original is None else Buyer(
        original.buyer_legal_name, original.buyer_tax_code, original.buyer_address, original.buyer_email)
    invoice = Invoice(order=sold.order, pickup=sold.pickup, booking=sold.booking, producer=producer,
                      kind=kind, cause=cause,
                      original=original, transaction_uuid=new_uuid(), provider=provider,
                      template_code=template, series=series, seller_name=seller.name,
                      seller_tax_code=seller.tax_code, seller_address=seller.address,
                      buyer_legal_name=buyer.legal_name, buyer_tax_code=buyer.tax_code,
                      buyer_address=buyer.address, buyer_email=buyer.email,
                      payment_method=sold.payment_method, sold_at=sold_at,
                      status=InvoiceStatus.PENDING, attempts=0)
    db.session.add(invoice)
    return invoice


def _buyer_of(order) -> Buyer:
    kept = db.session.get(InvoiceBuyer, order.id)
    if kept is None:
        return Buyer()
    return Buyer(kept.legal_name, kept.tax_code, kept.address, kept.email)


def _payment_method(pickup) -> str:
    """TM (cash) or CK (transfer, card) as the invoice prints it; TM/CK when unknown."""
    if pickup.order.payment_method != PaymentMethod.AT_PICKUP:
        return "CK"
    method = db.session.scalar(db.select(CounterPayment.method)
                               .where(CounterPayment.pickup_id == pickup.id))
    return {CounterMethod.CASH: "TM", CounterMethod.TRANSFER: "CK"}.get(method, "TM/CK")


def _booking_payment_method(booking) -> str:
    """As ``_payment_method``, for a booking: paid at the venue, how its place took the money."""
    if booking.order.payment_method != PaymentMethod.AT_PICKUP:
        return "CK"
    method = booking.payment.method if booking.payment is not None else None
    return {CounterMethod.CASH: "TM", CounterMethod.TRANSFER: "CK"}.get(method, "TM/CK")


def _total(invoice: Invoice) -> None:
    invoice.total_without_tax = sum(line.amount_without_tax for line in invoice.lines)
    invoice.total_tax = sum(line.tax_amount for line in invoice.lines)
    invoice.total_with_tax = sum(line.amount_with_tax for line in invoice.lines)


# --- an adjustment -----------------------------------------------------------------------------

def remaining_by_line(original: Invoice) -> dict[int, int]:
    """Return what each line of an issued sale still counts (with tax), after its adjustments."""
    left = {line.line_number: line.amount_with_tax for line in original.lines}
    by_source = {_source_of(line): line.line_number for line in original.lines}
    adjustments = db.session.scalars(db.select(Invoice).where(Invoice.original_id == original.id)).all()
    for adjustment in adjustments:
        for line in adjustment.lines:
            number = by_source.get(_source_of(line))
            if number is not None:
                left[number] -= line.amount_with_tax
    return left


def _source_of(line: InvoiceLine) -> tuple:
    return line.order_line_id, line.booking_seat_id


def adjustment(original: Invoice, amount: int, cause: str, reason: str, sold_at,
               quantities: dict[int, int] | None = None) -> Invoice | None:
    """Record an adjustment decreasing ``original`` by ``amount`` (with tax), spread over its
    lines in proportion to what each still counts (largest remainders get the odd đồng); with
    ``quantities`` (order line id → units given back), for those lines and units instead.
    Never more than the original still counts; None when nothing is left to decrease."""
    with db.session.no_autoflush:  # an invoice is written whole, once: never flushed half-built
        return _adjustment(original, amount, cause, reason, sold_at, quantities)


def _adjustment(original, amount, cause, reason, sold_at, quantities) -> Invoice | None:
    if db.session.scalar(db.select(Invoice.id).where(Invoice.cause == cause)) is not None:
        return None
    left = remaining_by_line(original)
    shares = _shares(left, amount) if quantities is None else _returned(original, left, quantities)
    if not any(shares.values()):
        return None
    invoice = _new(_sold_by(original), original.producer, InvoiceKind.ADJUSTMENT, cause, sold_at, original)
    invoice.reason = reason
    number = 0
    for line in original.lines:
        share = shares.get(line.line_number, 0)
        if share <= 0:
            continue
        number += 1
        quantity = quantities.get(line.order_line_id, 1) if quantities is not None else 1
        amounts = vat.split(share, line.vat_rate)
        invoice.lines.append(InvoiceLine(
            line_number=number, order_line_id=line.order_line_id, booking_seat_id=line.booking_seat_id,
            name=line.name, unit=line.unit, quantity=quantity, vat_rate=line.vat_rate,
            amount_without_tax=amounts.without_tax, tax_amount=amounts.tax, amount_with_tax=amounts.with_tax))
    _total(invoice)
    return invoice


def _shares(left: dict[int, int], amount: int) -> dict[int, int]:
    total = sum(value for value in left.values() if value > 0)
    amount = min(amount, total)
    if amount <= 0:
        return {}
    exact = {n: amount * v for n, v in left.items() if v > 0}
    shares = {n: value // total for n, value in exact.items()}
    short = amount - sum(shares.values())
    for n in sorted(exact, key=lambda n: (-(exact[n] % total), n))[:short]:
        shares[n] += 1
    return shares


def _returned(original: Invoice, left: dict[int, int], quantities: dict[int, int]) -> dict[int, int]:
    shares = {}
    for line in original.lines:
        units = quantities.get(line.order_line_id, 0)
        if units > 0:
            unit_gross = line.amount_with_tax // line.quantity
            shares[line.line_number] = min(units * unit_gross, left[line.line_number])
    return shares


# --- what the provider receives ---------------------------------------------------------------

def document(invoice: Invoice) -> InvoiceDocument:
    """Return the provider-neutral document of ``invoice`` (its frozen rows, nothing recomputed)."""
    original = invoice.original
    return InvoiceDocument(
        transaction_uuid=invoice.transaction_uuid, template_code=invoice.template_code,
        series=invoice.series, issued_at=invoice.sold_at,
        seller=Seller(invoice.seller_name, invoice.seller_tax_code, invoice.seller_address),
        buyer=Buyer(invoice.buyer_legal_name, invoice.buyer_tax_code, invoice.buyer_address,
                    invoice.buyer_email),
        payment_method=invoice.payment_method,
        lines=[DocumentLine(line.line_number, line.name, line.unit, line.quantity,
                            vat.LineAmounts(line.amount_without_tax, line.tax_amount,
                                            line.amount_with_tax).unit_price(line.quantity),
                            line.vat_rate, line.amount_without_tax, line.tax_amount,
                            line.amount_with_tax) for line in invoice.lines],
        adjusts=Original(original.number, original.template_code, original.series,
                         original.sold_at) if original is not None else None,
        reason=invoice.reason)
