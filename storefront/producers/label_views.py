"""Producer dashboard: label sheets for products with a valid certificate."""
from flask import Response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from ..catalog.links import absolute_url
from ..extensions import db
from ..certificates.forms import LabelSheetForm
from ..certificates.labels import LAYOUTS, MAX_LABELS, Label, label_sheet
from ..certificates.renewals import renewals_of
from ..web.producer import bp
from .services import products_of


def _labelled_products(producer) -> list:
    """Return the producer's products that have a valid certificate to print, newest first."""
    products = db.session.scalars(products_of(producer)).all()
    return [p for p in products if p.current_certificate() is not None]


@bp.get("/labels")
def labels():
    """Choose products and a sheet; with a valid choice, download the PDF."""
    producer = current_user.producer
    products = _labelled_products(producer)
    form = LabelSheetForm(request.args)
    form.product.choices = [(p.id, p.name_vi) for p in products]
    if not request.args:
        form = LabelSheetForm(formdata=None)
        form.product.choices = [(p.id, p.name_vi) for p in products]
        return render_template("certificates/labels.html", form=form, products=products,
                               renewals=renewals_of(producer))
    if not form.validate():
        return render_template("certificates/labels.html", form=form, products=products,
                               renewals=renewals_of(producer)), 400
    chosen = [p for p in products if p.id in set(form.product.data)]
    if form.count.data * len(chosen) > MAX_LABELS:
        form.count.errors = [_("Tối đa %(max)d nhãn mỗi lần in.", max=MAX_LABELS)]
        return render_template("certificates/labels.html", form=form, products=products,
                               renewals=renewals_of(producer)), 400
    pdf = label_sheet(_labels_for(chosen, form.count.data), form.layout.data)
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="ocop-labels-{form.layout.data}.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _labels_for(products, count: int) -> list[Label]:
    labels = []
    for product in products:
        certificate = product.current_certificate()
        url = absolute_url("shop.certificate", code=certificate.code)
        labels += [Label(product.name_vi, certificate.stars, certificate.code, url)] * count
    return labels


@bp.context_processor
def _layouts():
    return {"label_layouts": LAYOUTS}
