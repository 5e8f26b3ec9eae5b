"""Producers: their own e-invoice provider account, when producers sell (``SELLER_OF_RECORD=producer``)
and the shop issues e-invoices (``EINVOICE_PROVIDER``). The password is kept encrypted and never
shown back; changing anything needs the producer's own password."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..web.producer import bp
from . import accounts, building
from .forms import ProviderAccountForm


def producer_accounts_shown() -> bool:
    """Tell whether producers keep their own e-invoice account here."""
    return building.enabled() and building.producers_sell()


def _producer():
    if not producer_accounts_shown():
        abort(404)
    return current_user.producer


@bp.route("/einvoice-account", methods=["GET", "POST"], endpoint="einvoice_account")
def einvoice_account():
    producer = _producer()
    kept = accounts.account_of(producer)
    form = ProviderAccountForm(obj=kept) if kept else ProviderAccountForm(tax_code=producer.tax_code)
    if kept and not form.is_submitted():
        form.tax_code.data = producer.tax_code
    status = 200
    if form.validate_on_submit():
        try:
            accounts.change_account(producer, current_user._get_current_object(),
                                    current_password=form.current_password.data,
                                    tax_code=form.tax_code.data, username=form.username.data,
                                    password=form.password.data, template_code=form.template_code.data,
                                    series=form.series.data)
        except accounts.AccountRefused as error:
            form.form_errors.append(str(error))
            status = 422
        except accounts.CredentialsKeyMissing:
            form.form_errors.append(_("Cửa hàng chưa thể lưu mật khẩu; vui lòng báo quản trị viên."))
            status = 503
        else:
            flash(_("Đã lưu tài khoản hoá đơn điện tử."), "success")
            return redirect(url_for("producer.einvoice_account"), 303)
    elif form.is_submitted():
        status = 422
    form.password.data = form.current_password.data = None  # never sent back, not even as typed
    return render_template("invoices/producer_account.html", form=form, account=accounts.account_of(producer),
                           producer=producer), status


@bp.record_once
def _register_helpers(state) -> None:
    state.app.jinja_env.globals.update(producer_einvoice_accounts=producer_accounts_shown)
