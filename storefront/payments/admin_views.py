"""Admins: bank transfers to match or refund, and refunds owed."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from ..web.admin import bp
from . import transfers
from .transfer_forms import BankRefundForm, MatchTransferForm
from .transfer_models import TRANSFER_OUTCOME_LABELS


PER_PAGE = 20  # rows of each list an admin works through


@bp.get("/transfers", endpoint="transfers")
def transfers_page():
    """Each list an admin works through is paged on its own; the page numbers travel together."""
    pages = {"page": request.args.get("page", 1, type=int),
             "owed_page": request.args.get("owed_page", 1, type=int)}
    to_resolve = db.paginate(transfers.to_resolve_query(), page=pages["page"],
                             per_page=PER_PAGE, error_out=False)
    owed = db.paginate(transfers.refunds_owed_query(), page=pages["owed_page"],
                       per_page=PER_PAGE, error_out=False)

    def page_url(key, anchor):
        return lambda n: url_for("admin.transfers", **{**pages, key: n}, _anchor=anchor)

    return render_template("payments/transfers.html", to_resolve=to_resolve, owed=owed,
                           to_resolve_url=page_url("page", "to-resolve"),
                           owed_url=page_url("owed_page", "refunds-owed"),
                           partly_paid=transfers.partly_paid(),
                           recent=transfers.recent(), outcome_labels=TRANSFER_OUTCOME_LABELS,
                           match_form=MatchTransferForm(formdata=None),
                           refund_form=BankRefundForm(formdata=None))


def _admin_action(form, action, done: str):
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(" ".join(map(str, errors)), "error")
        return redirect(url_for("admin.transfers"), 303)
    try:
        action()
    except transfers.TransferError as error:
        flash(str(error), "error")
    else:
        flash(done, "success")
    return redirect(url_for("admin.transfers"), 303)


@bp.post("/transfers/<int:transfer_id>/match")
def match_transfer(transfer_id: int):
    form = MatchTransferForm()
    return _admin_action(form, lambda: transfers.match_transfer(
        transfer_id, form.order_number.data, current_user._get_current_object()),
        _("Đã ghép giao dịch với đơn %(number)s.", number=form.order_number.data))


@bp.post("/transfers/<int:transfer_id>/refund")
def refund_transfer(transfer_id: int):
    form = BankRefundForm()
    return _admin_action(form, lambda: transfers.refund_transfer(
        transfer_id, form.reference.data, current_user._get_current_object()),
        _("Đã ghi nhận hoàn tiền; khách hàng được báo qua e-mail."))


@bp.post("/refunds/<int:refund_id>/paid-back")
def card_refund_paid_back(refund_id: int):
    form = BankRefundForm()
    if not form.validate_on_submit():
        flash(_("Vui lòng nhập mã giao dịch của ngân hàng."), "error")
        return redirect(url_for("admin.failed_refunds"), 303)
    try:
        transfers.repay_failed_card_refund(refund_id, form.reference.data,
                                           current_user._get_current_object())
    except transfers.TransferError as error:
        flash(str(error), "error")
    else:
        flash(_("Đã ghi nhận hoàn tiền; khách hàng được báo qua e-mail."), "success")
    return redirect(url_for("admin.failed_refunds"), 303)


@bp.post("/transfer-refunds/<int:refund_id>/refunded")
def transfer_refunded(refund_id: int):
    form = BankRefundForm()
    return _admin_action(form, lambda: transfers.settle_refund(
        refund_id, form.reference.data, current_user._get_current_object()),
        _("Đã ghi nhận hoàn tiền; khách hàng được báo qua e-mail."))
