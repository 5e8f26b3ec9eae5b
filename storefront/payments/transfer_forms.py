"""Forms for transfers: recorded at a counter, matched or refunded by an admin."""
import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from ..form_fields import strip_text


class MoneyField(StringField):
    """A whole number of đồng as people type it: ``150.000``, ``150 000`` or ``150000 ₫``."""

    def process_formdata(self, valuelist):
        self.data = None
        if not valuelist or not str(valuelist[0]).strip():
            return
        compact = re.sub(r"[\s.,_₫đ]|vnd|VND", "", str(valuelist[0]))
        if not compact.isdigit() or len(compact) > 13:
            raise ValueError(_l("Vui lòng nhập số tiền bằng chữ số, ví dụ 150.000."))
        self.data = int(compact)

    def _value(self):
        return str(self.data) if self.data is not None else ""


def _reference(label):
    return StringField(label, filters=[strip_text], validators=[
        DataRequired(_l("Vui lòng nhập mã giao dịch của ngân hàng.")),
        Length(max=120, message=_l("Mã giao dịch quá dài (tối đa 120 ký tự)."))],
        render_kw={"autocomplete": "off"})


class CounterTransferForm(FlaskForm):
    amount = MoneyField(_l("Số tiền đã nhận (đồng)"), validators=[
        InputRequired(_l("Vui lòng nhập số tiền đã nhận.")),
        NumberRange(min=1, message=_l("Số tiền phải lớn hơn 0."))],
        render_kw={"inputmode": "numeric", "autocomplete": "off"})
    reference = _reference(_l("Mã giao dịch ngân hàng"))


class MatchTransferForm(FlaskForm):
    order_number = StringField(_l("Mã đơn hàng"), filters=[strip_text], validators=[
        DataRequired(_l("Vui lòng nhập mã đơn hàng, ví dụ OC-2026-000123.")),
        Length(max=20, message=_l("Mã đơn hàng quá dài."))], render_kw={"autocomplete": "off"})


class BankRefundForm(FlaskForm):
    reference = _reference(_l("Mã giao dịch hoàn tiền"))
