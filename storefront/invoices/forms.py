"""The buyer's company for an invoice: at checkout ("I need a company invoice") and for an admin
fixing a pending invoice. The tax code is checked with python-stdnum's ``vn.mst``."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from stdnum.exceptions import ValidationError as BadNumber
from stdnum.vn import mst
from wtforms import BooleanField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, ValidationError

from ..accounts.forms import email_field
from ..form_fields import strip_text

BAD_TAX_CODE = _l("Mã số thuế không hợp lệ (10 chữ số, hoặc 10 chữ số - 3 chữ số cho chi nhánh).")


def valid_tax_code(value: str) -> str:
    """Return the tax code compact (``0100109106`` or ``0100109106-001``).

    :raises ValidationError: it is not a valid mã số thuế.
    """
    try:
        return mst.format(mst.validate(value or ""))
    except BadNumber as error:
        raise ValidationError(str(BAD_TAX_CODE)) from error


class CompanyFields:
    """The four fields, shared by checkout's and the admin's forms (wanted: ``wanted()``)."""

    company_name = StringField(_l("Tên công ty (như trên đăng ký kinh doanh)"), filters=[strip_text],
                               validators=[Length(max=200)])
    company_address = StringField(_l("Địa chỉ công ty"), filters=[strip_text], validators=[Length(max=300)])
    company_tax_code = StringField(_l("Mã số thuế công ty"), filters=[strip_text], validators=[Length(max=20)])
    company_email = email_field(_l("E-mail nhận hoá đơn"), required=False)

    def wanted(self) -> bool:
        return True

    def validate_company_name(self, field):
        if self.wanted() and not field.data:
            raise ValidationError(_l("Vui lòng nhập tên công ty."))

    def validate_company_address(self, field):
        if self.wanted() and not field.data:
            raise ValidationError(_l("Vui lòng nhập địa chỉ công ty."))

    def validate_company_tax_code(self, field):
        if self.wanted():
            field.data = valid_tax_code(field.data)

    def validate_company_email(self, field):
        if self.wanted() and not field.data:
            raise ValidationError(_l("Vui lòng nhập e-mail nhận hoá đơn."))

    def company(self) -> dict | None:
        """Return the company as ``services.keep_buyer`` takes it, or None when not wanted."""
        if not self.wanted():
            return None
        return {"legal_name": self.company_name.data, "address": self.company_address.data,
                "tax_code": self.company_tax_code.data, "email": self.company_email.data}


class FixBuyerForm(CompanyFields, FlaskForm):
    submit = SubmitField(_l("Lưu và phát hành lại"))


def company_invoice_checkbox():
    return BooleanField(_l("Tôi cần hoá đơn công ty (hoá đơn điện tử ghi tên, mã số thuế công ty)"))


class ProviderAccountForm(FlaskForm):
    """A producer's own e-invoice account (when producers sell); the password is never shown back."""

    tax_code = StringField(_l("Mã số thuế của cơ sở"), filters=[strip_text],
                           validators=[DataRequired(_l("Vui lòng nhập mã số thuế.")), Length(max=20)])
    username = StringField(_l("Tên đăng nhập tài khoản hoá đơn điện tử"), filters=[strip_text],
                           validators=[DataRequired(_l("Vui lòng nhập tên đăng nhập.")), Length(max=120)])
    password = PasswordField(_l("Mật khẩu tài khoản hoá đơn điện tử"), validators=[Length(max=200)])
    template_code = StringField(_l("Mẫu số hoá đơn"), filters=[strip_text],
                                validators=[DataRequired(_l("Vui lòng nhập mẫu số hoá đơn.")), Length(max=20)])
    series = StringField(_l("Ký hiệu hoá đơn"), filters=[strip_text],
                         validators=[DataRequired(_l("Vui lòng nhập ký hiệu hoá đơn.")), Length(max=20)])
    current_password = PasswordField(_l("Mật khẩu đăng nhập cửa hàng của bạn"),
                                     validators=[DataRequired(_l("Vui lòng nhập mật khẩu của bạn để xác nhận."))])
    submit = SubmitField(_l("Lưu tài khoản hoá đơn"))

    def validate_tax_code(self, field):
        field.data = valid_tax_code(field.data)
