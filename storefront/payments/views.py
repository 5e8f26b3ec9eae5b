"""Bank transfers on the web: the bank's webhook, an order's VietQR image, the counter, admins."""
import io
import logging

import segno
from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.decorators import role_required
from ..accounts.models import Role
from ..catalog.links import absolute_url
from ..extensions import csrf
from ..orders.models import PaymentMethod
from ..orders.views import _viewed
from ..outlets import queries as outlet_queries
from . import bank_webhook, transfers
from .transfer_forms import BankRefundForm, CounterTransferForm, MatchTransferForm
from .transfer_models import TRANSFER_OUTCOME_LABELS

bp = Blueprint("transfers", __name__)
log = logging.getLogger(__name__)


# --- the bank's notifications ------------------------------------------------------------------

@bp.post("/payments/bank/webhook")
@csrf.exempt
def bank_notification():
    """Record a SePay notification: 401 without the right key, 400 for a bad body, else 200."""
    try:
        bank_webhook.check_key(request.headers.get("Authorization"))
    except bank_webhook.Unauthorized:
        log.warning("rejected bank notification: missing or wrong API key")
        return jsonify(success=False, message="unauthorized"), 401
    try:
        note = bank_webhook.parse(request.get_json(silent=True))
    except bank_webhook.InvalidNotification as error:
        return jsonify(success=False, message=str(error)), 400
    outcome = transfers.record_notification(note)
    return jsonify(success=True, outcome=str(outcome))


# --- the order's QR -------------------------------------------------------------------------------

@bp.get("/orders/<number>/vietqr.png")
def order_qr(number: str):
    """Return the order's VietQR as a PNG, to whoever may see the order (others: 404)."""
    order, _token = _viewed(number)
    payment = transfers.payment_request(order) if transfers.awaiting_transfer(order) else None
    if payment is None:
        abort(404)
    return _png(payment.payload)


@bp.get("/orders/<number>/payment-status")
def order_payment_status(number: str):
    """Tell the order page's script whether it still waits for a transfer (it reloads when not)."""
    order, _token = _viewed(number)
    return jsonify(status=order.payment_status, awaiting=transfers.awaiting_transfer(order),
                   received=order.amount_received or 0), 200, {"Cache-Control": "no-store"}


def _png(payload: str):
    buffer = io.BytesIO()
    segno.make(payload, error="m", micro=False).save(buffer, kind="png", scale=8, border=4)
    return buffer.getvalue(), 200, {"Content-Type": "image/png",
                                    "Cache-Control": "private, no-store"}


# --- outlet staff at the counter -------------------------------------------------------------

def _staff_pickup(pickup_id: int):
    return outlet_queries.pickup_at_or_404(current_user.outlet, pickup_id)


@bp.get("/outlet/pickups/<int:pickup_id>/vietqr.png")
@role_required(Role.OUTLET_STAFF)
def counter_qr(pickup_id: int):
    """Return the VietQR for what this pickup still owes, shown to the shopper at the counter."""
    pickup = _staff_pickup(pickup_id)
    payment = _counter_request(pickup)
    if payment is None:
        abort(404)
    return _png(payment.payload)


def _counter_request(pickup):
    order = pickup.order
    if order.payment_method != PaymentMethod.AT_PICKUP or order.paid_at is not None \
            or pickup.status not in ("confirmed", "ready"):
        return None
    due = min(pickup.subtotal, order.total - (order.amount_received or 0))
    return transfers.payment_request(order, due) if due > 0 else None


@bp.post("/outlet/pickups/<int:pickup_id>/transfers")
@role_required(Role.OUTLET_STAFF)
def counter_transfer(pickup_id: int):
    pickup = _staff_pickup(pickup_id)
    form = CounterTransferForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(" ".join(map(str, errors)), "error")
        return redirect(url_for("outlet_dashboard.pickup", pickup_id=pickup.id), 303)
    try:
        outcome = transfers.record_counter_transfer(pickup, form.amount.data, form.reference.data,
                                                    current_user._get_current_object())
    except transfers.TransferError as error:
        flash(str(error), "error")
    else:
        flash(_("Đã ghi nhận chuyển khoản: %(outcome)s.",
                outcome=TRANSFER_OUTCOME_LABELS[outcome]), "success")
    return redirect(url_for("outlet_dashboard.pickup", pickup_id=pickup.id), 303)


# --- admins -----------------------------------------------------------------------------------

@bp.get("/admin/transfers")
@role_required(Role.ADMIN)
def admin_transfers():
    return render_template("payments/transfers.html", to_resolve=transfers.to_resolve(),
                           owed=transfers.refunds_owed(), partly_paid=transfers.partly_paid(),
                           recent=transfers.recent(), outcome_labels=TRANSFER_OUTCOME_LABELS,
                           match_form=MatchTransferForm(formdata=None),
                           refund_form=BankRefundForm(formdata=None))


def _admin_action(form, action, done: str):
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(" ".join(map(str, errors)), "error")
        return redirect(url_for(".admin_transfers"), 303)
    try:
        action()
    except transfers.TransferError as error:
        flash(str(error), "error")
    else:
        flash(done, "success")
    return redirect(url_for(".admin_transfers"), 303)


@bp.post("/admin/transfers/<int:transfer_id>/match")
@role_required(Role.ADMIN)
def match(transfer_id: int):
    form = MatchTransferForm()
    return _admin_action(form, lambda: transfers.match_transfer(
        transfer_id, form.order_number.data, current_user._get_current_object()),
        _("Đã ghép giao dịch với đơn %(number)s.", number=form.order_number.data))


@bp.post("/admin/transfers/<int:transfer_id>/refund")
@role_required(Role.ADMIN)
def refund(transfer_id: int):
    form = BankRefundForm()
    return _admin_action(form, lambda: transfers.refund_transfer(
        transfer_id, form.reference.data, current_user._get_current_object()),
        _("Đã ghi nhận hoàn tiền; khách hàng được báo qua e-mail."))


@bp.post("/admin/transfer-refunds/<int:refund_id>/refunded")
@role_required(Role.ADMIN)
def refunded(refund_id: int):
    form = BankRefundForm()
    return _admin_action(form, lambda: transfers.settle_refund(
        refund_id, form.reference.data, current_user._get_current_object()),
        _("Đã ghi nhận hoàn tiền; khách hàng được báo qua e-mail."))


@bp.record_once
def _register_helpers(state) -> None:
    env = state.app.jinja_env
    env.globals.update(vietqr_request=transfers.payment_request,
                       awaiting_transfer=transfers.awaiting_transfer,
                       counter_vietqr=_counter_request,
                       counter_transfer_form=lambda: CounterTransferForm(formdata=None),
                       transfers_of=transfers.transfers_of, vietqr_image_url=_image_url)


def _image_url(order, token: str | None = None) -> str:
    return absolute_url("transfers.order_qr", number=order.number, **({"t": token} if token else {}))
