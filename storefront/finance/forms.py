"""Forms for the money pages: bank account, fee, shift close, remittance, payouts, period close,
and the books' hand-posted reversals and adjustments."""
import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Regexp

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


# --- the books by hand: reversals and adjustments ---------------------------------------------

AMOUNT_MISSING = _l("Vui lòng nhập số tiền.")
AMOUNT_DIGITS = _l("Vui lòng nhập số tiền bằng chữ số, ví dụ 150.000.")
AMOUNT_NEGATIVE = _l("Số tiền không được âm: để ghi chiều ngược lại, hãy đổi tài khoản Nợ và Có.")
AMOUNT_DECIMAL = _l("Số tiền là số đồng nguyên, không có phần lẻ.")
AMOUNT_ZERO = _l("Số tiền phải lớn hơn 0 đồng.")
AMOUNT_TOO_BIG = _l("Số tiền quá lớn.")
ACCOUNT_MISSING = _l("Vui lòng chọn một tài khoản trong hệ thống tài khoản.")
SAME_ACCOUNT = _l("Tài khoản ghi Nợ và tài khoản ghi Có phải khác nhau.")
_GROUPED = re.compile(r"\d{1,3}(?:([.,\s])\d{3})(?:\1\d{3})*|\d+")
_FRACTION = re.compile(r"[\d.,\s]*\d[.,]\d+")


class WholeDongField(StringField):
    """Whole đồng as people type them: ``150000``, ``150.000``, ``150 000`` or ``150,000`` (groups
    of three), ``₫``/``đ``/``VND`` after; a sign, a fraction or a letter is refused, each with its
    own message, and what was typed is shown again."""

    def process_formdata(self, valuelist):
        self.data, self.raw = None, str(valuelist[0]) if valuelist else ""
        text = re.sub(r"\s*(₫|đồng|đ|vnd)$", "", self.raw.strip(), flags=re.IGNORECASE)
        if not text:
            return
        if text[0] in "-−–":
            raise ValueError(AMOUNT_NEGATIVE)
        if text[0] == "+":
            text = text[1:]
        if _GROUPED.fullmatch(text):
            digits = re.sub(r"\D", "", text)
            if len(digits) > 13:
                raise ValueError(AMOUNT_TOO_BIG)
            self.data = int(digits)
        elif _FRACTION.fullmatch(text):
            raise ValueError(AMOUNT_DECIMAL)
        else:
            raise ValueError(AMOUNT_DIGITS)

    def _value(self):
        raw = getattr(self, "raw", None)  # what was typed, shown again as typed
        return raw if raw is not None else "" if self.data is None else str(self.data)


class ReversalForm(FlaskForm):
    reason = StringField(_l("Lý do đảo bút toán"), filters=[strip_text], validators=[
        DataRequired(_l("Vui lòng ghi lý do đảo bút toán.")),
        Length(max=200, message=_l("Lý do quá dài (tối đa 200 ký tự)."))])


class AdjustmentForm(FlaskForm):
    """Two lines between accounts of the chart: ``amount`` debited to one, credited to the other."""

    debit = SelectField(_l("Ghi Nợ (tăng tài sản/chi phí, giảm nợ phải trả/doanh thu)"),
                        choices=[], validate_choice=False,
                        validators=[DataRequired(ACCOUNT_MISSING)])
    credit = SelectField(_l("Ghi Có (giảm tài sản/chi phí, tăng nợ phải trả/doanh thu)"),
                         choices=[], validate_choice=False,
                         validators=[DataRequired(ACCOUNT_MISSING)])
    amount = WholeDongField(_l("Số tiền (đồng)"), validators=[
        InputRequired(AMOUNT_MISSING), NumberRange(min=1, message=AMOUNT_ZERO)],
        render_kw={"inputmode": "numeric", "autocomplete": "off"})
    memo = StringField(_l("Nội dung điều chỉnh (lý do)"), filters=[strip_text], validators=[
        DataRequired(_l("Vui lòng ghi nội dung điều chỉnh.")),
        Length(max=200, message=_l("Nội dung quá dài (tối đa 200 ký tự)."))])
    token = HiddenField(validators=[Regexp(r"^[0-9a-f]{32}$", message=_l(
        "Biểu mẫu không hợp lệ. Vui lòng tải lại trang và thử lại."))])

    def __init__(self, chart: list[tuple[str, str]], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.codes = {code for code, _label in chart}
        choices = [("", _l("— Chọn tài khoản —"))] + chart
        self.debit.choices = self.credit.choices = choices

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in (self.debit, self.credit):
            if field.data and field.data not in self.codes:
                field.errors.append(ACCOUNT_MISSING)
                valid = False
        if self.debit.data and self.debit.data == self.credit.data and not self.credit.errors:
            self.credit.errors.append(SAME_ACCOUNT)
            valid = False
        return valid
