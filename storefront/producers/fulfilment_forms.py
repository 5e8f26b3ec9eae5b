"""Forms of the producer's order and sales pages (GET filters: no CSRF token)."""
from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import Form
from wtforms.validators import Optional

from ..form_fields import DayField, NotBefore
from ..timeutil import local_today


class DateRangeForm(Form):
    """A period of Hanoi days; either end may be left empty for its default."""

    first = DayField(_l("Từ ngày"), validators=[Optional()])
    last = DayField(_l("Đến ngày"), validators=[Optional(), NotBefore("first")])

    def period(self, default_first: date) -> tuple[date, date]:
        """Return the chosen period, falling back to ``default_first`` … today."""
        if self.errors:
            return default_first, local_today()
        return self.first.data or default_first, self.last.data or local_today()
