"""The report period: a GET form (a bookmarkable address), so no CSRF token."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.validators import InputRequired, ValidationError

from ..form_fields import DayField, NotBefore

MAX_DAYS = 5 * 366


class PeriodForm(FlaskForm):
    class Meta:
        csrf = False

    start = DayField(_l("Từ ngày"), validators=[InputRequired(_l("Hãy chọn ngày bắt đầu."))],
                     invalid_value_message=_l("Ngày không hợp lệ."), render_kw={"autocomplete": "off"})
    end = DayField(_l("Đến ngày"), validators=[InputRequired(_l("Hãy chọn ngày kết thúc.")), NotBefore("start")],
                   invalid_value_message=_l("Ngày không hợp lệ."), render_kw={"autocomplete": "off"})

    def validate_end(self, field):
        if self.start.data and field.data and (field.data - self.start.data).days > MAX_DAYS:
            raise ValidationError(_l("Khoảng thời gian tối đa là 5 năm."))
