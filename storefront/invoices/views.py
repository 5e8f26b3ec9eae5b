"""The shop's e-invoice pages: an issued invoice's PDF, served through the shop from the
provider (then kept in private storage), behind a signed link."""
from flask import Response, abort, render_template

from ..extensions import db
from ..web.shop import bp
from . import links, services
from .models import Invoice, InvoiceStatus
from .provider import ProviderError


@bp.get("/invoices/<key>.pdf", endpoint="invoice_pdf")
def invoice_pdf(key: str):
    invoice_id = links.invoice_id_of(key)
    invoice = db.session.get(Invoice, invoice_id) if invoice_id is not None else None
    if invoice is None or invoice.status != InvoiceStatus.ISSUED:
        abort(404)
    try:
        data = services.pdf(invoice)
    except ProviderError:
        return render_template("invoices/unavailable.html"), 503, {"Retry-After": "300"}
    name = f"{invoice.number or invoice.id}.pdf".replace("/", "-")
    return Response(data, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{name}"',
        "Cache-Control": "private, no-store"})


@bp.record_once
def _register_helpers(state) -> None:
    state.app.jinja_env.globals.update(order_invoices=services.invoices_of,
                                       no_invoice_reason=services.no_invoice_reason,
                                       invoice_pdf_url=links.pdf_url)

