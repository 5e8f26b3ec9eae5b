"""Forms of the outlet dashboard."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Form, HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..form_fields import DayField, strip_text
from ..orders import codes

TAB_LABELS = {
    "open": _l("Đang xử lý"),
    "confirmed": _l("Chờ nhận hàng từ cơ sở"),
    "ready": _l("Sẵn sàng giao khách"),
    "collected": _l("Đã giao khách"),
    "ended": _l("Đã huỷ / không đến nhận"),
    "unpaid": _l("Chờ thanh toán"),
}


class PickupFilterForm(Form):
    """Tab and day filters read from the query string (a GET form: no CSRF token)."""

    tab = StringField(_l("Trạng thái"), default="open")
    day = DayField(_l("Ngày đặt"), validators=[Optional()])

    @property
    def chosen_tab(self) -> str:
        return self.tab.data if self.tab.data in TAB_LABELS else "open"


class PickupCodeField(StringField):
    """A pickup code typed at the till: case, spaces and dashes do not matter."""

    def __init__(self, label=None, **kwargs):
        super().__init__(label or _l("Mã nhận hàng"), filters=[strip_text], validators=[
            DataRequired(_l("Vui lòng nhập mã nhận hàng.")),
            Length(max=20, message=_l("Mã nhận hàng quá dài.")),
        ], render_kw={"autocomplete": "off", "autocapitalize": "characters",
                      "spellcheck": "false"}, **kwargs)


class HandOverForm(FlaskForm):
    code = PickupCodeField()
    # Pay at pickup: the "collected … in cash / by transfer" button pressed, and the amount it showed.
    collected = HiddenField(filters=[strip_text])
    amount = IntegerField(_l("Số tiền đã thu"), validators=[Optional()])

    def validate_code(self, field):
        if len(codes.normalize_code(field.data)) != codes.CODE_LENGTH:
            raise ValidationError(_l("Mã nhận hàng gồm %(n)d chữ và số, ví dụ ABCD-EFGH.",
                                     n=codes.CODE_LENGTH))


class CodeLookupForm(HandOverForm):
    """Find which ready pickup of this outlet a code opens."""


class CancelForm(FlaskForm):
    reason = TextAreaField(_l("Lý do huỷ"), filters=[strip_text], validators=[
        DataRequired(_l("Vui lòng nhập lý do huỷ.")),
        Length(max=500, message=_l("Lý do huỷ tối đa %(max)d ký tự.")),
    ])
