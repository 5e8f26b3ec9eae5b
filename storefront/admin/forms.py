"""Admin forms: reviews, villages, outlets and staff accounts."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, FloatField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from ..accounts.forms import choices, email_field, new_password_fields, phone_field
from ..catalog.models import PLACE_TYPE_LABELS
from ..form_fields import strip_text

class ActionForm(FlaskForm):
    """A button that only carries the CSRF token (enable, disable)."""


class ReviewForm(FlaskForm):
    note = TextAreaField(_l("Ghi chú / lý do (cơ sở sản xuất sẽ thấy)"), filters=[strip_text],
                         validators=[Optional(), Length(max=2000)])


class CoordinateField(FloatField):
    """A float that also takes the Vietnamese decimal comma (``21,0285``)."""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = float(valuelist[0].strip().replace(",", "."))
        except ValueError:
            self.data = None
            raise ValueError(_l("Vui lòng nhập một số, ví dụ 21.0285.")) from None


def _text(label, max_length, required_message=None):
    first = DataRequired(required_message) if required_message else Optional()
    return StringField(label, filters=[strip_text], validators=[first, Length(max=max_length)])


def _slug():
    return StringField(_l("Đường dẫn (slug)"), filters=[strip_text], validators=[
        Optional(), Length(max=100),
        Regexp(r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
               message=_l("Đường dẫn chỉ gồm chữ thường không dấu, số và dấu gạch ngang.")),
    ])


class VillageForm(FlaskForm):
    name = _text(_l("Tên làng nghề"), 120, _l("Vui lòng nhập tên làng nghề."))
    name_en = _text(_l("Tên tiếng Anh"), 120)
    slug = _slug()
    commune = _text(_l("Xã/phường"), 120)
    district = _text(_l("Quận/huyện"), 120)
    craft_vi = _text(_l("Nghề"), 120)
    craft_en = _text(_l("Nghề (tiếng Anh)"), 120)
    description_vi = TextAreaField(_l("Giới thiệu"), filters=[strip_text],
                                   validators=[Optional(), Length(max=4000)])
    description_en = TextAreaField(_l("Giới thiệu (tiếng Anh)"), filters=[strip_text],
                                   validators=[Optional(), Length(max=4000)])

    def values(self) -> dict:
        return {name: field.data for name, field in self._fields.items() if name != "csrf_token"}


class OutletForm(FlaskForm):
    name = _text(_l("Tên điểm bán"), 200, _l("Vui lòng nhập tên điểm bán."))
    name_en = _text(_l("Tên tiếng Anh"), 200)
    slug = _slug()
    place_type = SelectField(_l("Loại điểm bán"), choices=choices(PLACE_TYPE_LABELS.items()))
    address = _text(_l("Địa chỉ"), 300, _l("Vui lòng nhập địa chỉ."))
    village_id = SelectField(_l("Làng nghề (không bắt buộc)"), coerce=int)
    opening_hours = _text(_l("Giờ mở cửa"), 200)
    opening_hours_en = _text(_l("Giờ mở cửa (tiếng Anh)"), 200)
    phone = phone_field(_l("Số điện thoại"))
    latitude = CoordinateField(_l("Vĩ độ"), validators=[
        Optional(), NumberRange(-90, 90, _l("Vĩ độ phải nằm trong khoảng -90 đến 90."))])
    longitude = CoordinateField(_l("Kinh độ"), validators=[
        Optional(), NumberRange(-180, 180, _l("Kinh độ phải nằm trong khoảng -180 đến 180."))])
    active = BooleanField(_l("Đang hoạt động"), default=True)

    def set_villages(self, villages, placeholder) -> None:
        self.village_id.choices = choices(((v.id, v.name) for v in villages), placeholder)

    def values(self) -> dict:
        return {name: field.data for name, field in self._fields.items() if name != "csrf_token"}


class StaffForm(FlaskForm):
    name = _text(_l("Họ và tên"), 120, _l("Vui lòng nhập họ tên."))
    email = email_field(_l("E-mail"))
    phone = phone_field(_l("Số điện thoại (không bắt buộc)"))
    outlet_id = SelectField(_l("Điểm bán"), coerce=int,
                            validators=[DataRequired(_l("Vui lòng chọn điểm bán."))])
    password, confirm = new_password_fields()

    def set_outlets(self, outlets, placeholder) -> None:
        self.outlet_id.choices = choices(((o.id, o.name) for o in outlets), placeholder)
