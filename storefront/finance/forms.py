"""Forms for the money pages: bank account, fee, shift close, remittance, payouts, period close."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from ..form_fields import DayField, strip_text
from ..payments.bank_directory import BANKS
from ..payments.transfer_forms import MoneyField

REQUIRED = _l("Vui lòng điền mục này.")
MONEY = _l("Vui lòng nhập số tiền bằng chữ số, ví dụ 150.000.")


class BankAccountForm(FlaskForm):
    bank_bin = SelectField(_l("Ngân hàng"), choices=[])
    account_number = StringField(_l("Số tài khoản"), filters=[strip_text],
                                 validators=[DataRequired(REQUIRED), Length(max=30)])
    holder_name = StringField(_l("Tên chủ tài khoản (như trên thẻ)"), filters=[strip_text],
                              validators=[DataRequired(REQUIRED), Length(max=70)])
    password = PasswordField(_l("Mật khẩu của bạn"), validators=[DataRequired(REQUIRED)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.bank_bin.choices = sorted(((b.bin, f"{b.short_name} — {b.name}")
                                        for b in BANKS.values()), key=lambda c: c[1].lower())


class FeeForm(FlaskForm):
    producer_id = SelectField(_l("Cơ sở sản xuất"), coerce=int, choices=[])
    percent = StringField(_l("Phí (%)"), filters=[strip_text],
                          validators=[DataRequired(REQUIRED), Length(max=6)])
    effective_from = DayField(_l("Áp dụng từ ngày"), validators=[InputRequired(REQUIRED)])


class ShiftForm(FlaskForm):
    counted = MoneyField(_l("Tiền mặt đếm được"), validators=[InputRequired(MONEY),
                                                               NumberRange(min=0, message=MONEY)])
    note = StringField(_l("Ghi chú"), filters=[strip_text], validators=[Length(max=300)])


class RemittanceForm(FlaskForm):
    amount = MoneyField(_l("Số tiền đã nộp"), validators=[InputRequired(MONEY),
                                                          NumberRange(min=1, message=MONEY)])
    reference = StringField(_l("Mã giao dịch / phiếu nộp tiền"), filters=[strip_text],
                            validators=[DataRequired(REQUIRED), Length(max=120)])


class ReferenceForm(FlaskForm):
    reference = StringField(_l("Mã giao dịch của ngân hàng"), filters=[strip_text],
                            validators=[DataRequired(REQUIRED), Length(max=120)])


class FailureForm(FlaskForm):
    note = StringField(_l("Lý do"), filters=[strip_text], validators=[DataRequired(REQUIRED),
                                                                       Length(max=150)])


class EmptyForm(FlaskForm):
    """A button that posts with its CSRF token and nothing else."""
