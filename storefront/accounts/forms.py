"""Registration, sign-in and password forms."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField, EmailField, PasswordField, SelectChoice, SelectField, StringField, TextAreaField,
)
from wtforms.validators import (
    DataRequired, Email, EqualTo, InputRequired, Length, Optional, ValidationError,
)

from ..catalog.models import PRODUCER_KIND_LABELS
from ..form_fields import strip_text
from ..phones import InvalidPhone, normalize_phone
from ..text import is_one_plain_line
from .models import Role
from .services import MIN_PASSWORD_LENGTH
from .signup import NAME_NOT_PLAIN

ROLE_LABELS = {
    Role.SHOPPER: _l("Người mua"),
    Role.PRODUCER: _l("Cơ sở sản xuất"),
    Role.OUTLET_STAFF: _l("Nhân viên điểm bán"),
    Role.ADMIN: _l("Quản trị viên"),
}

def choices(pairs, placeholder=None) -> list[SelectChoice]:
    """Return select options for (value, label) pairs, after an optional placeholder with value 0."""
    options = [SelectChoice(0, placeholder)] if placeholder is not None else []
    return options + [SelectChoice(value, label) for value, label in pairs]


def vietnamese_phone(form, field):
    """Keep a Vietnamese mobile or landline number in its stored form; refuse anything else."""
    if field.data:
        try:
            field.data = normalize_phone(field.data)
        except InvalidPhone as error:
            raise ValidationError(str(error)) from None


def phone_field(label, required=False):
    """Return a phone field validated as a Vietnamese number (see ``storefront/phones.py``)."""
    first = DataRequired(_l("Vui lòng nhập số điện thoại.")) if required else Optional()
    return StringField(label, filters=[strip_text], validators=[first, vietnamese_phone])


def email_field(label, required=True):
    """Return an e-mail field checked with email-validator (no DNS lookup)."""
    first = DataRequired(_l("Vui lòng nhập e-mail.")) if required else Optional()
    return EmailField(label, filters=[strip_text],
                      validators=[first, Email(_l("Địa chỉ e-mail không hợp lệ.")), Length(max=254)])


def new_password_fields():
    """Return a (password, confirm) pair with the length and match rules."""
    password = PasswordField(_l("Mật khẩu"), validators=[
        InputRequired(_l("Vui lòng nhập mật khẩu.")),
        Length(min=MIN_PASSWORD_LENGTH,
               message=_l("Mật khẩu phải có ít nhất %(min)d ký tự.")),
        Length(max=200),
    ])
    confirm = PasswordField(_l("Nhập lại mật khẩu"), validators=[
        InputRequired(_l("Vui lòng nhập lại mật khẩu.")),
        EqualTo("password", _l("Hai mật khẩu không khớp.")),
    ])
    return password, confirm


def one_plain_line(_form, field) -> None:
    """Refuse a name with a line break, a control character or a link (``accounts.signup``)."""
    if not is_one_plain_line(field.data):
        raise ValidationError(NAME_NOT_PLAIN)


class RegisterForm(FlaskForm):
    name = StringField(_l("Họ và tên"), filters=[strip_text], validators=[
        DataRequired(_l("Vui lòng nhập họ tên.")), Length(max=120), one_plain_line])
    email = email_field(_l("E-mail"))
    phone = phone_field(_l("Số điện thoại (không bắt buộc)"))
    password, confirm = new_password_fields()
    # No uniqueness check here: saying "already used" would tell anyone who has an account.
    # ``accounts.signup`` mails the owner instead.


class ProducerRegisterForm(RegisterForm):
    """Sign a producer up; its one phone and one e-mail are both the account's and the producer's."""

    phone = phone_field(_l("Số điện thoại"), required=True)
    producer_name = StringField(_l("Tên cơ sở sản xuất"), filters=[strip_text], validators=[
        DataRequired(_l("Vui lòng nhập tên cơ sở sản xuất.")), Length(max=200), one_plain_line])
    kind = SelectField(_l("Loại hình"), choices=choices(PRODUCER_KIND_LABELS.items()),
                       validators=[DataRequired(_l("Vui lòng chọn loại hình."))])
    village_id = SelectField(_l("Làng nghề"), coerce=int, validate_choice=True,
                             validators=[DataRequired(_l("Vui lòng chọn làng nghề."))])
    description = TextAreaField(_l("Giới thiệu"), filters=[strip_text],
                                validators=[Optional(), Length(max=4000)])

    def set_villages(self, villages, placeholder) -> None:
        self.village_id.choices = choices(((v.id, v.display_name) for v in villages), placeholder)

    def producer_details(self) -> dict:
        """Return the producer's fields as the service takes them."""
        return {"name": self.producer_name.data, "kind": self.kind.data,
                "village_id": self.village_id.data, "phone": self.phone.data,
                "email": self.email.data,
                "description_vi": self.description.data or None}


class LoginForm(FlaskForm):
    email = StringField(_l("E-mail"), filters=[strip_text],
                        validators=[DataRequired(_l("Vui lòng nhập e-mail."))])
    password = PasswordField(_l("Mật khẩu"), validators=[InputRequired(_l("Vui lòng nhập mật khẩu."))])
    remember = BooleanField(_l("Ghi nhớ đăng nhập trên máy này"))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Mật khẩu hiện tại"), validators=[
        InputRequired(_l("Vui lòng nhập mật khẩu hiện tại."))])
    password, confirm = new_password_fields()


class ForgotPasswordForm(FlaskForm):
    email = email_field(_l("E-mail"))


class ResetPasswordForm(FlaskForm):
    password, confirm = new_password_fields()
