"""VietQR on the shopper's order page: the QR image, and whether the order still waits for its money."""
from flask import abort, jsonify

from ..catalog.links import absolute_url
from ..orders.viewing import viewed_order
from ..web.shop import bp
from . import transfers, vietqr


@bp.get("/orders/<number>/vietqr.png")
def order_qr(number: str):
    """Return the order's VietQR as a PNG, to whoever may see the order (others: 404)."""
    order, _token = viewed_order(number)
    payment = transfers.payment_request(order) if transfers.awaiting_transfer(order) else None
    if payment is None:
        abort(404)
    return qr_image(payment.payload)


@bp.get("/orders/<number>/payment-status")
def order_payment_status(number: str):
    """Tell the order page's script whether it still waits for a transfer (it reloads when not)."""
    order, _token = viewed_order(number)
    return jsonify(status=order.payment_status, awaiting=transfers.awaiting_transfer(order),
                   received=order.amount_received or 0), 200, {"Cache-Control": "no-store"}


def qr_image(payload: str):
    """Answer a VietQR payload as a PNG that no cache keeps (it names an order and an amount)."""
    return vietqr.png(payload), 200, {"Content-Type": "image/png", "Cache-Control": "private, no-store"}


@bp.record_once
def _register_helpers(state) -> None:
    state.app.jinja_env.globals.update(vietqr_request=transfers.payment_request,
                                       awaiting_transfer=transfers.awaiting_transfer,
                                       transfers_of=transfers.transfers_of,
                                       vietqr_image_url=_image_url)


def _image_url(order, token: str | None = None) -> str:
    return absolute_url("shop.order_qr", number=order.number, **({"t": token} if token else {}))
