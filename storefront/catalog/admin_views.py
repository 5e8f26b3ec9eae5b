"""Admins find a listing and take it down with a public reason, or put it back (``/admin/products``)."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..text import fold
from ..web.admin import bp
from . import takedown
from .forms import RestoreForm, TakedownForm
from .models import Product

LIMIT = 50


@bp.get("/products")
def products():
    q = request.args.get("q", "", type=str)[:100].strip()
    query = select(Product).options(joinedload(Product.producer)).order_by(
        Product.taken_down_at.is_(None), Product.id.desc()).limit(LIMIT)
    if q:
        query = query.where(or_(Product.search_text.contains(fold(q)), Product.slug == q))
    return render_template("catalog/admin_products.html", products=db.session.scalars(query).all(),
                           q=q, form=TakedownForm(), restore_form=RestoreForm())


@bp.post("/products/<int:product_id>/take-down")
def take_down(product_id: int):
    product = db.get_or_404(Product, product_id)
    form = TakedownForm()
    if not form.validate_on_submit():
        flash(" ".join(map(str, form.reason.errors)) or _("Yêu cầu không hợp lệ."), "error")
    else:
        try:
            takedown.take_down(product, by=current_user, reason=form.reason.data)
            flash(_("Đã gỡ “%(name)s” khỏi cửa hàng.", name=product.name_vi), "success")
        except takedown.TakedownError as error:
            flash(str(error), "error")
    return redirect(url_for("admin.products", q=product.slug), 303)


@bp.post("/products/<int:product_id>/restore")
def restore_listing(product_id: int):
    product = db.get_or_404(Product, product_id)
    if RestoreForm().validate_on_submit():
        takedown.restore(product, by=current_user)
        flash(_("Đã đưa “%(name)s” trở lại; quy tắc hiển thị quyết định khách có thấy hay không.",
                name=product.name_vi), "success")
    return redirect(url_for("admin.products", q=product.slug), 303)
