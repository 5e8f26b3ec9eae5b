"""The shopper's side: /account/data (consents, download, delete) and a guest's order link."""
from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from ..catalog.links import absolute_url
from ..i18n import format_day
from ..orders.viewing import viewed_order
from ..web.shop import bp
from . import consents, export, requests
from .erasure import ErasureRefused
from .forms import ConsentForm, DataRequestForm, DeleteAccountForm
from ..notifications.labels import CHANNEL_LABELS
from .models import REQUEST_KIND_LABELS, REQUEST_STATUS_LABELS, Purpose, RequestKind


def _zip(data: bytes, name: str) -> Response:
    response = Response(data, mimetype="application/zip")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _account_page(consent_form=None, delete_form=None, status=200):
    user = current_user._get_current_object()
    waiting = consents.waiting_on_stop(user)  # read once: each read is a few queries
    return render_template(
        "privacy/account_data.html", history=consents.history(user),
        consent_form=consent_form or ConsentForm().show(consents.receiving(user) | waiting),
        waiting=[CHANNEL_LABELS[consents.CHANNEL_OF_PURPOSE[purpose]] for purpose in Purpose
                 if purpose in waiting],
        delete_form=delete_form or DeleteAccountForm(), purposes=consents.PURPOSE_LABELS,
        requests=export.account_data(user)[0]["data_requests"],
        KIND_LABELS=REQUEST_KIND_LABELS, STATUS_LABELS=REQUEST_STATUS_LABELS), status


@bp.get("/account/data", endpoint="account_data")
@login_required
def account_data():
    return _account_page()


@bp.post("/account/consents", endpoint="account_consents")
@login_required
def account_consents():
    form = ConsentForm()
    if form.validate_on_submit():
        consents.record_choices(current_user, form.wanted())
        flash(_("Đã lưu lựa chọn của bạn."), "success")
    return redirect(url_for("shop.account_data") + "#consents", 303)


@bp.post("/account/data/download", endpoint="download_account_data")
@login_required
def download_account_data():
    data = export.as_zip(*export.account_data(current_user))
    requests.record_download(user=current_user, channel=requests.CHANNEL_ACCOUNT)
    return _zip(data, "ocop-my-data.zip")


@bp.post("/account/data/delete", endpoint="delete_account")
@login_required
def delete_account():
    form = DeleteAccountForm()
    if not form.validate_on_submit():
        return _account_page(delete_form=form, status=422)
    user = current_user._get_current_object()
    if not user.check_password(form.password.data or ""):
        form.password.errors.append(_("Mật khẩu hiện tại không đúng."))
        return _account_page(delete_form=form, status=422)
    try:
        requests.delete_account(user)
    except ErasureRefused as error:
        flash(str(error), "error")
        return redirect(url_for("shop.account_data"), 303)
    logout_user()
    flash(_("Tài khoản của bạn đã bị xoá. Các đơn hàng được giữ lại cho sổ sách, không còn tên và "
            "thông tin liên hệ của bạn."), "success")
    return redirect(url_for("shop.home"), 303)


@bp.route("/orders/<number>/data", methods=["GET", "POST"], endpoint="order_data")
def order_data(number: str):
    order, _token = viewed_order(number)
    form = DataRequestForm()
    if form.validate_on_submit():
        try:
            asked = requests.ask(RequestKind(form.kind.data), order=order,
                                   channel=requests.CHANNEL_ORDER, message=form.message.data)
        except requests.RequestError as error:
            flash(str(error), "error")
        else:
            flash(_("Đã nhận yêu cầu %(ref)s. Chúng tôi xác nhận trước ngày %(ack)s và làm xong "
                    "trước ngày %(done)s.", ref=asked.reference,
                    ack=format_day(asked.acknowledge_by),
                    done=format_day(asked.complete_by)), "success")
            return redirect(url_for("shop.order_data", number=number), 303)
    return render_template("privacy/order_data.html", order=order, form=form,
                           requests=export.order_data(order)[0]["data_requests"],
                           KIND_LABELS=REQUEST_KIND_LABELS, STATUS_LABELS=REQUEST_STATUS_LABELS)


@bp.post("/orders/<number>/data/download", endpoint="download_order_data")
def download_order_data(number: str):
    order, _token = viewed_order(number)
    data = export.as_zip(*export.order_data(order))
    requests.record_download(order=order, channel=requests.CHANNEL_ORDER)
    return _zip(data, f"ocop-{order.number}.zip")




def data_request_kind(asked) -> str:
    return str(REQUEST_KIND_LABELS[asked.kind])


def data_request_admin_url(asked) -> str:
    return absolute_url("admin.data_request", request_id=asked.id)


@bp.record_once
def _register_helpers(state) -> None:
    state.app.jinja_env.globals.update(data_request_kind=data_request_kind,
                                       data_request_admin_url=data_request_admin_url,
                                       consent_note=consents.CONSENT_NOTE)
