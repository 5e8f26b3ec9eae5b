"""Producer dashboard: products, photos, certificates.

Every product is loaded through ``product_of(producer, id)``, so another producer's product
is simply not found.
"""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user

from ..catalog.models import (
    GROUP_LABELS, ISSUING_LEVEL_LABELS, PRODUCT_STATUS_LABELS, REVIEW_LABELS,
)
from ..certificates.renewals import renewals_of
from ..extensions import db
from ..images import ImageRejected
from ..web.producer import bp
from . import services
from .errors import ProducerError
from .forms import (
    ActionForm, CertificateForm, PhotoAltForm, PhotoUploadForm, ProducerIdentityForm, ProductForm,
)
from ..catalog import producer_identity
from .overview import EXPIRY_WARNING_DAYS, overview

STATUS_MESSAGES = {
    "publish": _l("Đã đăng bán sản phẩm."),
    "unpublish": _l("Đã chuyển sản phẩm về bản nháp."),
    "archive": _l("Đã lưu trữ sản phẩm."),
    "restore": _l("Đã khôi phục sản phẩm về bản nháp."),
}


@bp.context_processor
def _labels():
    return {"GROUP_LABELS": GROUP_LABELS, "PRODUCT_STATUS_LABELS": PRODUCT_STATUS_LABELS,
            "REVIEW_LABELS": REVIEW_LABELS, "ISSUING_LEVEL_LABELS": ISSUING_LEVEL_LABELS}


def _producer():
    return current_user.producer


def _product(product_id: int):
    return services.product_of(_producer(), product_id)


@bp.get("/")
def index():
    products = db.session.scalars(services.products_of(_producer())).all()
    return render_template("producers/index.html", producer=_producer(),
                           rows=[overview(p) for p in products], warning_days=EXPIRY_WARNING_DAYS,
                           renewals=renewals_of(_producer()))


@bp.route("/identity", methods=["GET", "POST"])
def identity():
    producer = _producer()
    form = ProducerIdentityForm(obj=producer)
    if not form.is_submitted() and producer.tax_code:
        form.tax_code.data = producer_identity.format_tax_code(producer.tax_code)
    if form.validate_on_submit():
        producer_identity.save(producer, tax_code=form.tax_code.data,
                               business_registration=form.business_registration.data,
                               legal_address=form.legal_address.data)
        flash(_("Đã lưu thông tin pháp lý."), "success")
        return redirect(url_for(".index"))
    return render_template("producers/identity.html", form=form, producer=producer)


@bp.route("/products/new", methods=["GET", "POST"])
def new_product():
    form = ProductForm(outlets=services.active_outlets())
    if form.validate_on_submit():
        try:
            product = services.create_product(_producer(), form.details())
        except ProducerError as exc:
            form.outlets.errors = [exc.message]
        else:
            flash(_("Đã tạo sản phẩm (bản nháp). Bước tiếp theo: thêm ảnh."), "success")
            return redirect(url_for(".photos", product_id=product.id))  # the guided first listing
    return render_template("producers/product_form.html", form=form, product=None)


@bp.route("/products/<int:product_id>/edit", methods=["GET", "POST"])
def edit_product(product_id: int):
    product = _product(product_id)
    form = ProductForm(obj=product, outlets=services.active_outlets())
    if not form.is_submitted():
        form.outlets.data = [o.id for o in product.outlets]
    if form.validate_on_submit():
        try:
            services.update_product(product, form.details())
        except ProducerError as exc:
            form.outlets.errors = [exc.message]
        else:
            flash(_("Đã lưu sản phẩm."), "success")
            return redirect(url_for(".edit_product", product_id=product.id))
    return render_template("producers/product_form.html", form=form, product=product,
                           row=overview(product))


@bp.post("/products/<int:product_id>/<any(publish, unpublish, archive, restore):action>")
def change_status(product_id: int, action: str):
    product = _product(product_id)
    if ActionForm().validate_on_submit():
        try:
            services.change_status(product, action)
            flash(str(STATUS_MESSAGES[action]), "success")
        except ProducerError as exc:
            flash(str(exc.message), "error")
    return redirect(url_for(".index"))


# --- photos ----------------------------------------------------------------------------------

@bp.route("/products/<int:product_id>/photos", methods=["GET", "POST"])
def photos(product_id: int):
    product = _product(product_id)
    form = PhotoUploadForm()
    if not form.is_submitted():
        form.alt_vi.data = product.name_vi
    if form.validate_on_submit():
        try:
            services.add_photo(product, form.photo.data.read(), form.alt_vi.data, form.alt_en.data)
        except (ImageRejected, ProducerError) as exc:
            form.photo.errors = [exc.message]
        else:
            flash(_("Đã thêm ảnh."), "success")
            return redirect(url_for(".photos", product_id=product.id))
    return render_template("producers/photos.html", product=product, form=form,
                           limit=services.photo_limit(), alt_forms={
                               p.id: _alt_form(p, formdata=None, obj=p) for p in product.photos})


def _alt_form(photo, **kwargs) -> PhotoAltForm:
    """Return the alt-text form of one photo; the prefix keeps ids unique on the page."""
    return PhotoAltForm(prefix=f"photo{photo.id}-", **kwargs)


@bp.post("/products/<int:product_id>/photos/<int:photo_id>/alt")
def photo_alt(product_id: int, photo_id: int):
    photo = services.photo_of(_product(product_id), photo_id)
    form = _alt_form(photo)
    if form.validate_on_submit():
        services.update_alt(photo, form.alt_vi.data, form.alt_en.data)
        flash(_("Đã lưu mô tả ảnh."), "success")
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
    return redirect(url_for(".photos", product_id=product_id))


@bp.post("/products/<int:product_id>/photos/<int:photo_id>/<any(up, down):direction>")
def move_photo(product_id: int, photo_id: int, direction: str):
    photo = services.photo_of(_product(product_id), photo_id)
    if ActionForm().validate_on_submit():
        services.move_photo(photo, -1 if direction == "up" else 1)
    return redirect(url_for(".photos", product_id=product_id))


@bp.post("/products/<int:product_id>/photos/<int:photo_id>/delete")
def delete_photo(product_id: int, photo_id: int):
    photo = services.photo_of(_product(product_id), photo_id)
    if ActionForm().validate_on_submit():
        services.delete_photo(photo)
        flash(_("Đã xoá ảnh."), "success")
    return redirect(url_for(".photos", product_id=product_id))


# --- certificates ----------------------------------------------------------------------------

@bp.route("/products/<int:product_id>/certificates", methods=["GET", "POST"])
def certificates(product_id: int):
    product = _product(product_id)
    form = CertificateForm()
    if form.validate_on_submit():
        try:
            services.submit_certificate(
                product, stars=form.stars.data, score=form.score.data,
                issuing_level=form.issuing_level.data, issuing_body=form.issuing_body.data,
                decision_number=form.decision_number.data, decision_date=form.decision_date.data,
                scan=form.scan.data.read())
        except ImageRejected as exc:
            form.scan.errors = [exc.message]
        except services.CertificateInvalid as exc:
            getattr(form, exc.field or "scan").errors = [exc.message]
        else:
            flash(_("Đã gửi chứng nhận. Quản trị viên sẽ xác minh trước khi sản phẩm được hiển thị."),
                  "success")
            return redirect(url_for(".certificates", product_id=product.id))
    return render_template("producers/certificates.html", product=product, form=form,
                           row=overview(product))

