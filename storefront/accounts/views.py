"""Registration, sign-in, sign-out and the account page."""
from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import limiter, login_manager
from ..i18n import current_language
from ..redirects import safe_next
from . import services
from .forms import ROLE_LABELS, ChangePasswordForm, LoginForm, ProducerRegisterForm, RegisterForm
from .models import Role

bp = Blueprint("accounts", __name__, url_prefix="/auth")

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


def _submitted_email() -> str:
    """Key failed sign-ins by the e-mail they tried, whatever address they came from."""
    return "login-email:" + services.normalize_email(request.form.get("email", ""))


def _failed(response) -> bool:
    """Count only failed sign-ins: a success redirects."""
    return response.status_code != 302


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
        return url_for("producer_dashboard.index")
    if user.role == Role.OUTLET_STAFF:
        return url_for("outlet_dashboard.index")
    return url_for("catalog.home")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_failed)
@limiter.limit(_login_limit, methods=["POST"], key_func=_submitted_email, deduct_when=_failed)
def login():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data)
        except services.SignInFailed as error:
            form.form_errors.append(str(error))
        else:
            start_session(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next"), landing_for(user)))
    return render_template("accounts/login.html", form=form)


@bp.route("/register", methods=["GET", "POST"])
def register():
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = services.register_shopper(email=form.email.data, name=form.name.data,
                                             password=form.password.data, phone=form.phone.data,
                                             locale=current_language())
        except services.AccountError as error:
            form.form_errors.append(str(error))
        else:
            start_session(user)
            flash(_("Chào mừng bạn! Tài khoản đã được tạo."), "success")
            return redirect(safe_next(request.args.get("next"), url_for("catalog.home")))
    return render_template("accounts/register.html", form=form)


@bp.route("/register/producer", methods=["GET", "POST"])
def register_producer():
    form = ProducerRegisterForm()
    form.set_villages(services.all_villages(), _("— Chọn làng nghề —"))
    if form.validate_on_submit():
        try:
            user = services.register_producer(
                email=form.email.data, name=form.name.data, password=form.password.data,
                phone=form.phone.data, producer=form.producer_details(),
                locale=current_language())
        except services.AccountError as error:
            form.form_errors.append(str(error))
        else:
            start_session(user)
            flash(_("Đã gửi đăng ký. Cơ sở của bạn đang chờ quản trị viên xác minh."), "success")
            return redirect(url_for("producer_dashboard.index"))
    return render_template("accounts/register_producer.html", form=form)


@bp.post("/logout")
def logout():
    logout_user()
    flash(_("Bạn đã đăng xuất."), "info")
    return redirect(url_for("catalog.home"))


@bp.route("/account", methods=["GET", "POST"])
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
            return redirect(url_for("accounts.account"))
    return render_template("accounts/account.html", form=form, role_labels=ROLE_LABELS)
