"""The outlet's form for goods given back after hand-over."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from ..form_fields import strip_text


class ReturnForm(FlaskForm):
    line_id = SelectField(_l("Sản phẩm khách trả"), coerce=int, choices=[])
    quantity = IntegerField(_l("Số lượng trả lại"), default=1, validators=[
        InputRequired(_l("Vui lòng nhập số lượng trả lại.")),
        NumberRange(min=1, max=99, message=_l("Số lượng từ 1 đến 99."))])
    reason = StringField(_l("Lý do trả hàng"), filters=[strip_text], validators=[
        DataRequired(_l("Vui lòng ghi lý do khách trả hàng.")), Length(max=300)])
    resaleable = BooleanField(_l("Hàng còn nguyên vẹn, bán lại được (trả vào kho)"))

    def __init__(self, *args, returnable=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.line_id.choices = [(line.id, f"{line.product_name} ({left}/{line.quantity} {line.unit})")
                                for line, left in returnable if left > 0]
