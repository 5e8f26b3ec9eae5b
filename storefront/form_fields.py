"""Form pieces every area's forms share: trimmed text, a calendar day, checkboxes, a period's end."""
from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectMultipleField
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget


def strip_text(value):
    """Trim what was typed (a field filter); leave anything that is not text alone."""
    return value.strip() if isinstance(value, str) else value


class DayField(DateField):
    """A calendar day (``2026-11-30``, what a date input sends) with a message in the reader's language.

    A blank value is missing (``InputRequired`` or ``Optional`` decide), not malformed.
    """

    def __init__(self, label=None, validators=None, invalid_value_message=None, **kwargs):
        super().__init__(label, validators, invalid_value_message=invalid_value_message or _l(
            "Ngày không hợp lệ, hãy nhập theo dạng năm-tháng-ngày."), **kwargs)

    def process_formdata(self, valuelist):
        if valuelist and not "".join(valuelist).strip():
            self.data = None
            return
        super().process_formdata(valuelist)


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as one checkbox per option."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class NotBefore:
    """Check a period's last day is not before its first (the field named ``first``).

    A missing day on either side is left to the fields' own validators.
    """

    def __init__(self, first: str, message=None):
        self.first = first
        self.message = message or _l("Ngày kết thúc phải sau ngày bắt đầu.")

    def __call__(self, form, field):
        first = form[self.first].data
        if field.data and first and field.data < first:
            raise ValidationError(self.message)
