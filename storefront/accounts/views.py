"""Registration, sign-in, sign-out and the account page."""
from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import limiter, login_manager
from ..i18n import current_language
from ..redirects import safe_next
from ..web.shop import bp
from . import hooks, recovery, services, signin, signup
from .forms import (
    ROLE_LABELS, ChangePasswordForm, ForgotPasswordForm, LoginForm, ProducerRegisterForm, RegisterForm,
    ResetPasswordForm,
)
from .models import Role

# Flask-Login's own "Please log in" is English; flash ours in the visitor's language.
login_manager.login_message = _l("Vui lòng đăng nhập để tiếp tục.")
login_manager.login_message_category = "info"
login_manager.localize_callback = str

# Kept across the session renewal at sign-in: the guest cart (merged on sign-in) and the language.
KEPT_SESSION_KEYS = ("cart", "lang", "order_tokens")


@bp.before_app_request
def _load_user_afresh() -> None:
    """Forget a user cached in ``g`` by an earlier request sharing this app context (tests do)."""
    g.pop("_login_user", None)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _failed(response) -> bool:
    """Count only failed sign-ins from this IP: a success redirects."""
    return response.status_code != 302


def _register_limit() -> str:
    return current_app.config["REGISTER_RATE_LIMIT"]


def _reset_limit() -> str:
    return current_app.config["PASSWORD_RESET_RATE_LIMIT"]


def _submitted_address(prefix: str):
    def key() -> str:
        return f"{prefix}:" + services.normalize_email(request.form.get("email", ""))
    return key


def _submitted(response) -> bool:
    """Count accepted submissions (they redirect and may send mail), not forms sent back with errors."""
    return response.status_code in (302, 303)


def start_session(user, remember: bool = False) -> None:
    """Renew the session (keeping cart and language), then sign ``user`` in."""
    kept = {key: session[key] for key in KEPT_SESSION_KEYS if key in session}
    session.clear()
    session.update(kept)
    login_user(user, remember=remember)


def landing_for(user) -> str:
    """Return where a user lands after signing in without a ``next``."""
    if user.role == Role.ADMIN:
        return url_for("admin.index")
    if user.role == Role.PRODUCER:
        return url_for("producer.index")
    if user.role == Role.OUTLET_STAFF:
        return url_for("outlet.index")
    return url_for("shop.home")


@bp.route("/auth/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_failed)  # per IP; per address: signin
def login():
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = signin.sign_in(form.email.data, form.password.data,
                                  request.cookies.get(signin.DEVICE_COOKIE))
        except services.AccountError as error:
            form.form_errors.append(str(error))
            status = 429 if isinstance(error, signin.TooManyFailures) else 200
        else:
            start_session(user, remember=form.remember.data)
            return _signed_in(user, redirect(_landing_after_sign_in(user)))
    return render_template("accounts/login.html", form=form), status


def _landing_after_sign_in(user) -> str:
    target = safe_next(request.args.get("next"), landing_for(user))
    return landing_for(user) if target == url_for("shop.home") else target  # the home page's link


def _signed_in(user, response):
    """Mark this browser as one the owner signed in from (its failures count apart: ``signin``)."""
    response.set_cookie(signin.DEVICE_COOKIE, signin.device_cookie_for(user),
                        max_age=signin.DEVICE_COOKIE_DAYS * 86400, httponly=True, samesite="Lax",
                        secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
    return response


@bp.route("/auth/register", methods=["GET", "POST"])
@limiter.limit(_register_limit, methods=["POST"], deduct_when=_submitted)
@limiter.limit(_register_limit, methods=["POST"], key_func=_submitted_address("register"),
               deduct_when=_submitted)
def register():
    form = RegisterForm()
    boxes = hooks.consent_boxes()  # news by Zalo, SMS, e-mail: unticked (privacy.forms)
    if form.validate_on_submit():
        try:
            signup.register_shopper(email=form.email.data, name=form.name.data,
                                    password=form.password.data, phone=form.phone.data,
                                    locale=current_language(), consents=boxes.wanted())
        except services.AccountError as error:
            form.form_errors.append(str(error))
        else:
            return redirect(url_for(".check_email"))
    return render_template("accounts/register.html", form=form, boxes=boxes)


@bp.get("/auth/register/check-email")
def check_email():
    """The same answer for a new address and one already in use: the mail tells the difference."""
    return render_template("accounts/check_email.html")


@bp.route("/auth/register/producer", methods=["GET", "POST"])
@limiter.limit(_register_limit, methods=["POST"], deduct_when=_submitted)
@limiter.limit(_register_limit, methods=["POST"], key_func=_submitted_address("register"),
               deduct_when=_submitted)
def register_producer():
    form = ProducerRegisterForm()
    form.set_villages(services.all_villages(), _("— Chọn làng nghề —"))
    if form.validate_on_submit():
        try:
            signup.register_producer(
                email=form.email.data, name=form.name.data, password=form.password.data,
                phone=form.phone.data, producer=form.producer_details(),
                locale=current_language())
        except services.AccountError as error:
            form.form_errors.append(str(error))
        else:
            return redirect(url_for(".check_email"))
    return render_template("accounts/register_producer.html", form=form)


@bp.get("/auth/confirm/<token>")
def confirm_email(token):
    try:
        user = recovery.confirm_email(token)
    except recovery.InvalidLink as error:
        return render_template("accounts/link_invalid.html", message=str(error)), 400
    if user.is_producer:
        flash(_("Đã xác nhận e-mail. Đơn đăng ký của cơ sở đã được gửi tới quản trị viên."), "success")
    else:
        flash(_("Đã xác nhận e-mail. Mời bạn đăng nhập."), "success")
    return redirect(url_for(".login"))


@bp.route("/auth/forgot", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"])
@limiter.limit(_reset_limit, methods=["POST"], key_func=_submitted_address("reset"))
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        recovery.request_password_reset(form.email.data)
        # The same words whether or not the address has an account.
        flash(_("Nếu địa chỉ này có tài khoản, chúng tôi đã gửi tới đó đường dẫn đặt lại mật khẩu "
                "(có hiệu lực trong một giờ)."), "info")
        return redirect(url_for(".login"))
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/auth/reset/<token>", methods=["GET", "POST"])
def reset_password(token):
    try:
        recovery.user_for_reset(token)
    except recovery.InvalidLink as error:
        return render_template("accounts/link_invalid.html", message=str(error)), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            user = recovery.reset_password(token, form.password.data)
        except services.AccountError as error:
            form.password.errors.append(str(error))
        else:
            start_session(user)
            flash(_("Đã đặt mật khẩu mới. Các phiên đăng nhập khác đã kết thúc."), "success")
            return _signed_in(user, redirect(landing_for(user)))
    return render_template("accounts/reset_password.html", form=form)


@bp.post("/auth/logout")
def logout():
    staff = current_user.is_authenticated and current_user.role == Role.OUTLET_STAFF
    if current_user.is_authenticated:
        recovery.sign_out(current_user)  # a copied session or remember cookie is dead from now on
    logout_user()
    flash(_("Bạn đã đăng xuất."), "info")
    response = redirect(url_for("shop.home"))
    if staff:  # the counter's copy of the day's pickups, its queue and its worker leave the device
        response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@bp.route("/auth/account", methods=["GET", "POST"])
@login_required
def account():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, current=form.current_password.data,
                                     new=form.password.data)
        except services.AccountError as error:
            form.current_password.errors.append(str(error))
        else:
            login_user(current_user._get_current_object())  # this session carries the new token
            flash(_("Đã đổi mật khẩu. Các phiên đăng nhập khác đã kết thúc."), "success")
            return redirect(url_for("shop.account"))
    return render_template("accounts/account.html", form=form, role_labels=ROLE_LABELS)
