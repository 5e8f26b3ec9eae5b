"""Bank transfers at the outlet's counter: the QR for what a pickup still owes, and a transfer seen."""
from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..orders.models import PaymentMethod
from ..outlets.pages import staff_pickup
from ..web.outlet import bp
from . import transfers
from .transfer_forms import CounterTransferForm
from .transfer_models import TRANSFER_OUTCOME_LABELS
from .views import qr_image


@bp.get("/pickups/<int:pickup_id>/vietqr.png")
def counter_qr(pickup_id: int):
    """Return the VietQR for what this pickup still owes, shown to the shopper at the counter."""
    payment = counter_request(staff_pickup(pickup_id))
    if payment is None:
        abort(404)
    return qr_image(payment.payload)


def counter_request(pickup):
    """Return the transfer request for what a pay-at-pickup pickup still owes, if anything."""
    order = pickup.order
    if order.payment_method != PaymentMethod.AT_PICKUP or order.paid_at is not None \
            or pickup.status not in ("confirmed", "ready"):
        return None
    due = min(pickup.subtotal, order.total - (order.amount_received or 0))
    return transfers.payment_request(order, due) if due > 0 else None


@bp.post("/pickups/<int:pickup_id>/transfers")
def counter_transfer(pickup_id: int):
    pickup = staff_pickup(pickup_id)
    form = CounterTransferForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(" ".join(map(str, errors)), "error")
        return redirect(url_for("outlet.pickup", pickup_id=pickup.id), 303)
    try:
        outcome = transfers.record_counter_transfer(pickup, form.amount.data, form.reference.data,
                                                    current_user._get_current_object())
    except transfers.TransferError as error:
        flash(str(error), "error")
    else:
        flash(_("Đã ghi nhận chuyển khoản: %(outcome)s.",
                outcome=TRANSFER_OUTCOME_LABELS[outcome]), "success")
    return redirect(url_for("outlet.pickup", pickup_id=pickup.id), 303)


@bp.record_once
def _register_helpers(state) -> None:
    state.app.jinja_env.globals.update(
        counter_vietqr=counter_request,
        counter_transfer_form=lambda: CounterTransferForm(formdata=None))
