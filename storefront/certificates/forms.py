"""Forms for label sheets and for revoking a certificate."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from .labels import DEFAULT_LAYOUT, LAYOUTS, MAX_LABELS


class LabelSheetForm(FlaskForm):
    """Which products, how many stickers of each, on which sheet (a GET form: a download)."""

    class Meta:
        csrf = False

    product = SelectMultipleField(_l("Sản phẩm"), coerce=int,
                                  validators=[DataRequired(_l("Hãy chọn ít nhất một sản phẩm."))])
    layout = SelectField(_l("Loại giấy nhãn"), default=DEFAULT_LAYOUT,
                         choices=[(key, layout.label) for key, layout in LAYOUTS.items()],
                         validate_choice=True)
    count = IntegerField(_l("Số nhãn mỗi sản phẩm"), default=24, validators=[
        InputRequired(_l("Hãy nhập số nhãn.")),
        NumberRange(1, MAX_LABELS, _l("Số nhãn phải từ %(min)s đến %(max)s.")),
    ])


class RevokeForm(FlaskForm):
    reason = TextAreaField(_l("Lý do thu hồi (công khai trên trang kiểm tra)"), validators=[
        DataRequired(_l("Hãy nhập lý do thu hồi.")), Length(min=5, max=1000, message=_l(
            "Lý do thu hồi dài từ %(min)d đến %(max)d ký tự."))])
