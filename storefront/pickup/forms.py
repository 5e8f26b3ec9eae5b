"""Forms for outlet hours and closures (admin), delivery settings (producer), pickup days."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError,
)
from wtforms.fields.choices import SelectChoice

from ..form_fields import MultiCheckboxField, NotBefore, strip_text
from ..outlets.forms import PickupCodeField
from . import schedule

WEEKDAY_LABELS = (_l("Thứ Hai"), _l("Thứ Ba"), _l("Thứ Tư"), _l("Thứ Năm"), _l("Thứ Sáu"),
                  _l("Thứ Bảy"), _l("Chủ Nhật"))


class HoursField(StringField):
    """One weekday's opening intervals, typed as ``08:00-12:00, 13:30-17:30`` (blank: closed)."""

    def pre_validate(self, form):
        try:
            self.intervals = schedule.parse_intervals(self.data or "")
        except ValueError:
            self.intervals = ()
            raise ValidationError(_l("Giờ mở cửa viết dạng 08:00-12:00, 13:30-17:30 (giờ đóng sau giờ "
                                     "mở, không chồng nhau); để trống nếu nghỉ cả ngày.")) from None


class OutletPickupForm(FlaskForm):
    """An outlet's week, pickup instructions and daily pickup limit."""

    mon = HoursField(WEEKDAY_LABELS[0], filters=[strip_text])
    tue = HoursField(WEEKDAY_LABELS[1], filters=[strip_text])
    wed = HoursField(WEEKDAY_LABELS[2], filters=[strip_text])
    thu = HoursField(WEEKDAY_LABELS[3], filters=[strip_text])
    fri = HoursField(WEEKDAY_LABELS[4], filters=[strip_text])
    sat = HoursField(WEEKDAY_LABELS[5], filters=[strip_text])
    sun = HoursField(WEEKDAY_LABELS[6], filters=[strip_text])
    instructions_vi = TextAreaField(_l("Hướng dẫn nhận hàng"), filters=[strip_text],
                                    validators=[Length(max=1000)])
    instructions_en = TextAreaField(_l("Hướng dẫn nhận hàng (tiếng Anh)"), filters=[strip_text],
                                    validators=[Length(max=1000)])
    pickups_per_day = IntegerField(_l("Số lượt nhận tối đa mỗi ngày"), validators=[
        Optional(), NumberRange(min=1, max=10000, message=_l("Nhập một số từ 1 đến 10.000, "
                                                             "hoặc để trống nếu không giới hạn."))])

    DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

    def week_fields(self):
        return [getattr(self, name) for name in self.DAYS]

    def fill(self, week: dict) -> None:
        for weekday, name in enumerate(self.DAYS):
            getattr(self, name).data = schedule.format_intervals(week.get(weekday, ())).replace("–", "-")

    def week(self) -> dict[int, tuple]:
        return {n: f.intervals for n, f in enumerate(self.week_fields()) if f.intervals}


class ClosureForm(FlaskForm):
    first_day = DateField(_l("Từ ngày"), validators=[DataRequired(_l("Vui lòng chọn ngày bắt đầu."))])
    last_day = DateField(_l("Đến hết ngày"), validators=[
        Optional(), NotBefore("first_day", _l("Ngày kết thúc không được trước ngày bắt đầu."))])
    reason = StringField(_l("Lý do"), filters=[strip_text], validators=[
        DataRequired(_l("Vui lòng nhập lý do nghỉ.")), Length(max=200)])
    reason_en = StringField(_l("Lý do (tiếng Anh)"), filters=[strip_text],
                            validators=[Length(max=200)])


class DeliveryForm(FlaskForm):
    """A producer's lead time and delivery weekdays."""

    lead_days = IntegerField(_l("Số ngày cần để mang hàng đến điểm bán"), validators=[
        InputRequired(_l("Vui lòng nhập số ngày (0 nếu mang đến ngay trong ngày).")),
        NumberRange(min=0, max=60, message=_l("Số ngày từ 0 đến 60."))])
    weekdays = MultiCheckboxField(_l("Ngày trong tuần có giao hàng"), coerce=int,
                                  choices=[SelectChoice(n, label) for n, label in enumerate(WEEKDAY_LABELS)])

    def validate_weekdays(self, field):
        if not field.data:
            raise ValidationError(_l("Chọn ít nhất một ngày giao hàng trong tuần."))


class PartialHandOverForm(FlaskForm):
    code = PickupCodeField()
    # Pay at pickup: the "collected … in cash / by transfer" button pressed, and the amount it showed.
    collected = HiddenField(filters=[strip_text])
    amount = IntegerField(_l("Số tiền đã thu"), validators=[Optional()])
    agreed = BooleanField(_l("Khách đồng ý chỉ nhận các sản phẩm đã về; phần còn lại được huỷ và "
                             "hoàn tiền"), validators=[
        DataRequired(_l("Cần khách đồng ý trước khi giao một phần."))])
