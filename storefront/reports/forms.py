"""The report period: a GET form (a bookmarkable address), so no CSRF token."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField
from wtforms.validators import InputRequired, ValidationError

MAX_DAYS = 5 * 366


class DayField(DateField):
    """A calendar day (``2026-11-30``, what a date input sends) with a message in the reader's language."""

    def process_formdata(self, valuelist):
        if valuelist and not "".join(valuelist).strip():
            self.data = None  # missing: InputRequired says so
            return
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(_l("Ngày không hợp lệ.")) from None


class PeriodForm(FlaskForm):
    class Meta:
        csrf = False

    start = DayField(_l("Từ ngày"), validators=[InputRequired(_l("Hãy chọn ngày bắt đầu."))],
                      render_kw={"autocomplete": "off"})
    end = DayField(_l("Đến ngày"), validators=[InputRequired(_l("Hãy chọn ngày kết thúc."))],
                    render_kw={"autocomplete": "off"})

    def validate_end(self, field):
        if self.start.data and field.data:
            if field.data < self.start.data:
                raise ValidationError(_l("Ngày kết thúc phải sau ngày bắt đầu."))
            if (field.data - self.start.data).days > MAX_DAYS:
                raise ValidationError(_l("Khoảng thời gian tối đa là 5 năm."))
