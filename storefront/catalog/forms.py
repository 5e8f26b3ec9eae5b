"""Catalogue forms for staff: an admin's take-down of a listing."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from ..form_fields import strip_text


class TakedownForm(FlaskForm):
    reason = TextAreaField(_l("Lý do gỡ (công bố trên trang sản phẩm)"), filters=[strip_text], validators=[
        DataRequired(_l("Hãy ghi lý do gỡ: lý do được công bố trên trang sản phẩm.")), Length(max=1000)])


class RestoreForm(FlaskForm):
    """Put a taken-down listing back: only the CSRF token."""
