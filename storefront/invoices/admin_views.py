"""Admins: e-invoices the provider has not issued yet (down, slow or refusing), to retry or to
correct the buyer of; the latest issued ones beside them."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ..extensions import db
from ..web.admin import bp
from . import services
from .forms import FixBuyerForm
from .models import Invoice, InvoiceStatus


@bp.get("/invoices", endpoint="invoices")
def invoices_page():
    recent = db.session.scalars(db.select(Invoice).where(Invoice.status == InvoiceStatus.ISSUED)
                                .order_by(Invoice.issued_at.desc(), Invoice.id.desc()).limit(30)).all()
    return render_template("invoices/admin.html", failing=services.failing(), recent=recent,
                           form=FixBuyerForm(formdata=None))


def _pending(invoice_id: int) -> Invoice:
    invoice = db.session.get(Invoice, invoice_id)
    if invoice is None:
        abort(404)
    return invoice


@bp.post("/invoices/<int:invoice_id>/retry", endpoint="retry_invoice")
def retry(invoice_id: int):
    try:
        services.retry_now(_pending(invoice_id))
    except services.InvoiceError as error:
        flash(str(error), "error")
    else:
        flash(_("Đã gửi lại hoá đơn cho nhà cung cấp."), "success")
    return redirect(url_for("admin.invoices"), 303)


@bp.post("/invoices/<int:invoice_id>/buyer", endpoint="fix_invoice_buyer")
def fix_buyer(invoice_id: int):
    invoice, form = _pending(invoice_id), FixBuyerForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(" ".join(map(str, errors)), "error")
        return redirect(url_for("admin.invoices", _anchor=f"invoice-{invoice_id}"), 303)
    try:
        services.fix_buyer(invoice, **form.company())
    except services.InvoiceError as error:
        flash(str(error), "error")
    else:
        flash(_("Đã sửa thông tin người mua và gửi lại hoá đơn."), "success")
    return redirect(url_for("admin.invoices"), 303)
