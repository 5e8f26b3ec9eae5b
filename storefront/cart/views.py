"""The shopper's cart: show it, add, change, remove, accept a new price."""
from urllib.parse import urlsplit

from flask import abort, flash, has_request_context, jsonify, redirect, render_template, request, \
    session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import user_logged_in

from ..redirects import safe_next
from ..web.shop import bp
from . import services
from .current import SESSION_KEY, current_cart, keep
from .forms import AddToCartForm, CartLineForm, UpdateQuantityForm


def _back(next_value: str | None) -> str:
    referrer = urlsplit(request.referrer).path if request.referrer else None
    return safe_next(next_value or referrer, url_for("shop.cart"))


@bp.get("/cart", endpoint="cart")
def show():
    return _render()


def _render(errors: dict | None = None, status: int = 200):
    """Render the cart; ``errors`` maps a product id to (message, value typed)."""
    cart = current_cart()
    cart_lines = services.lines(cart)
    keep(cart)
    return render_template("cart/show.html", lines=cart_lines, total=services.total(cart_lines),
                           blocked=any(line.issues for line in cart_lines),
                           errors=errors or {}), status


@bp.post("/cart/add", endpoint="cart_add")
def add():
    form = AddToCartForm()
    if not form.validate_on_submit():
        abort(400)
    cart = current_cart()
    try:
        changed = services.add(cart, form.product_id.data, form.quantity.data)
    except services.CartError as error:
        if _wants_json():
            return jsonify(message=str(error)), 409
        flash(str(error), "error")
        return redirect(_back(form.next.data))
    keep(cart)
    message = changed.notice or _("Đã thêm “%(name)s” vào giỏ hàng.", name=changed.product.name)
    if _wants_json():  # the product page's script shows its own sheet with "view cart" and "check out"
        count = services.count(cart)
        return jsonify(message=message, count=count,
                       count_words=ngettext("%(num)d sản phẩm", "%(num)d sản phẩm", count))
    flash(message, "info" if changed.notice else "success")
    return redirect(safe_next(form.next.data, url_for("shop.cart")))


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


@bp.post("/cart/update", endpoint="cart_update")
def update():
    form = UpdateQuantityForm()
    if not form.validate_on_submit():
        abort(400)
    cart = current_cart()
    try:
        changed = services.update(cart, form.product_id.data, form.quantity.data)
    except services.CartError as error:
        return _render(errors={form.product_id.data: (str(error), form.quantity.data)}, status=400)
    keep(cart)
    if changed.notice:
        flash(changed.notice, "info")
    return redirect(safe_next(form.next.data, url_for("shop.cart")))


@bp.post("/cart/remove", endpoint="cart_remove")
def remove():
    form = CartLineForm()
    if not form.validate_on_submit():
        abort(400)
    cart = current_cart()
    services.remove(cart, form.product_id.data)
    keep(cart)
    flash(_("Đã xoá sản phẩm khỏi giỏ hàng."), "info")
    return redirect(safe_next(form.next.data, url_for("shop.cart")))


@bp.post("/cart/accept-price", endpoint="cart_accept_price")
def accept_price():
    form = CartLineForm()
    if not form.validate_on_submit():
        abort(400)
    cart = current_cart()
    try:
        changed = services.accept_price(cart, form.product_id.data)
    except services.CartError as error:
        flash(str(error), "error")
    else:
        keep(cart)
        flash(_("Đã cập nhật giá mới cho “%(name)s”.", name=changed.product.name), "success")
    return redirect(safe_next(form.next.data, url_for("shop.cart")))


@bp.app_context_processor
def cart_count():
    """Give every page the number of units in the cart (base.html shows it)."""
    if not has_request_context():  # mail rendered by a job has no cart
        return {"cart_count": 0}
    return {"cart_count": services.count(current_cart())}


@user_logged_in.connect
def merge_on_sign_in(_sender, user, **_extra) -> None:
    """Fold the guest's session cart into the account cart when they sign in."""
    data = session.pop(SESSION_KEY, None)
    if data:
        services.merge_guest_cart(data, user)
