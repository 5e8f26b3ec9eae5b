"""The shopper's forms: cancel or move a booking, join a full session's waitlist."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from ..accounts.forms import email_field, phone_field
from ..form_fields import strip_text


class CancelBookingForm(FlaskForm):
    """Only the CSRF token: the booking is in the address."""


class OfferForm(FlaskForm):
    """Only the CSRF token: the offer is in the address (booking its held seats, declining it)."""


class MoveBookingForm(FlaskForm):
    session_id = SelectField(_l("Chuyển sang buổi"), coerce=int,
                             validators=[InputRequired(_l("Hãy chọn buổi muốn chuyển sang."))])

    def offer(self, sessions, describe) -> "MoveBookingForm":
        """Offer the given sessions, each shown by ``describe(session)``."""
        self.session_id.choices = [(s.id, describe(s)) for s in sessions]
        return self


class WaitlistForm(FlaskForm):
    name = StringField(_l("Họ và tên"), filters=[strip_text], validators=[
        DataRequired(_l("Vui lòng nhập họ và tên.")), Length(max=120)])
    email = email_field(_l("E-mail"), required=False)
    phone = phone_field(_l("Số điện thoại"))
    seats = IntegerField(_l("Số chỗ cần"), default=1, validators=[
        InputRequired(_l("Hãy cho biết số chỗ cần.")),
        NumberRange(min=1, max=20, message=_l("Từ 1 đến 20 chỗ."))])
