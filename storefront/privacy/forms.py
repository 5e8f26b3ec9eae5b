"""Forms of the privacy pages: consents, deleting an account, a request, and the admin's side."""
from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateTimeLocalField, Form, IntegerField, PasswordField, \
    RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..form_fields import strip_text
from .consents import PURPOSE_LABELS
from .models import Purpose, RequestKind


class ConsentForm(FlaskForm):
    """One unticked box per purpose: ticked only by the person, or by a consent in force."""

    news_zalo = BooleanField(PURPOSE_LABELS[Purpose.NEWS_ZALO], default=False)
    news_sms = BooleanField(PURPOSE_LABELS[Purpose.NEWS_SMS], default=False)
    news_email = BooleanField(PURPOSE_LABELS[Purpose.NEWS_EMAIL], default=False)

    def show(self, in_force: set[Purpose]) -> "ConsentForm":
        if not self.is_submitted():
            for purpose in Purpose:
                self[purpose.value].data = purpose in in_force
        return self

    def wanted(self) -> set[Purpose]:
        return {purpose for purpose in Purpose if self[purpose.value].data}


class ConsentBoxes(Form):
    """The same boxes where people decide, beside another form (registration, checkout).

    Never ticked by the shop: a box is ticked by the person (or kept ticked from their own earlier
    step). It only grants (``consents.give``); the page's own form carries the CSRF token. Boxes
    for purposes the person already receives are not offered (``offered``).
    """

    news_zalo = BooleanField(PURPOSE_LABELS[Purpose.NEWS_ZALO], default=False)
    news_sms = BooleanField(PURPOSE_LABELS[Purpose.NEWS_SMS], default=False)
    news_email = BooleanField(PURPOSE_LABELS[Purpose.NEWS_EMAIL], default=False)

    receiving: frozenset = frozenset()

    def offered(self) -> list:
        """Return the boxes to show: one per purpose not already received."""
        return [self[purpose.value] for purpose in Purpose if purpose not in self.receiving]

    def wanted(self) -> set[Purpose]:
        return {purpose for purpose in Purpose
                if purpose not in self.receiving and self[purpose.value].data}


def consent_boxes(ticked=(), receiving=frozenset()) -> ConsentBoxes:
    """Return the boxes bound to this request's POST (names ``consent-news_zalo``, …); on a GET,
    ticked only where ``ticked`` (the person's own earlier choice in the same checkout) says."""
    posted = request.form if request.method == "POST" else None
    boxes = ConsentBoxes(posted, prefix="consent-",
                         data=None if posted else {purpose: True for purpose in ticked})
    boxes.receiving = frozenset(receiving)
    return boxes


class DeleteAccountForm(FlaskForm):
    password = PasswordField(_l("Mật khẩu hiện tại"),
                             validators=[DataRequired(_l("Vui lòng nhập mật khẩu."))])
    confirm = BooleanField(_l("Tôi hiểu: tài khoản bị xoá vĩnh viễn và không đăng nhập lại được."),
                           validators=[DataRequired(_l("Vui lòng đánh dấu để xác nhận."))])


class DataRequestForm(FlaskForm):
    """A guest's (or account holder's) request that a person at the shop handles."""

    kind = RadioField(_l("Yêu cầu"), choices=[
        SelectChoice(RequestKind.ERASURE.value, _l("Xoá thông tin liên hệ của tôi trong đơn này")),
        SelectChoice(RequestKind.CORRECTION.value,
                     _l("Sửa thông tin, hoặc câu hỏi khác về dữ liệu của tôi")),
    ], validators=[DataRequired(_l("Vui lòng chọn một yêu cầu."))])
    message = TextAreaField(_l("Chi tiết (không bắt buộc)"), filters=[strip_text],
                            validators=[Optional(), Length(max=2000)])


class RequestActionForm(FlaskForm):
    """The admin's note with an action on a request (a reason is needed to extend or refuse)."""

    note = TextAreaField(_l("Ghi chú, kết quả hoặc lý do"), filters=[strip_text],
                         validators=[Optional(), Length(max=2000)])


class IncidentForm(FlaskForm):
    title = StringField(_l("Tóm tắt"), filters=[strip_text],
                        validators=[DataRequired(_l("Vui lòng nhập tóm tắt.")), Length(max=200)])
    discovered_at = DateTimeLocalField(_l("Phát hiện lúc (giờ UTC)"),
                                       validators=[InputRequired(_l("Vui lòng nhập thời điểm."))])
    occurred_at = DateTimeLocalField(_l("Xảy ra lúc (nếu biết, giờ UTC)"), validators=[Optional()])
    description = TextAreaField(_l("Chuyện gì đã xảy ra"), filters=[strip_text],
                                validators=[DataRequired(_l("Vui lòng mô tả."))])
    data_affected = TextAreaField(_l("Dữ liệu bị ảnh hưởng"), filters=[strip_text],
                                  validators=[DataRequired(_l("Vui lòng ghi loại dữ liệu."))])
    people_affected = IntegerField(_l("Số người bị ảnh hưởng (ước tính)"),
                                   validators=[Optional(), NumberRange(
                                       min=0, message=_l("Vui lòng nhập một số không âm."))])
    measures = TextAreaField(_l("Biện pháp đã làm"), filters=[strip_text], validators=[Optional()])
    reported_at = DateTimeLocalField(_l("Đã báo cơ quan chức năng (A05) lúc (giờ UTC)"),
                                     validators=[Optional()])
    close = BooleanField(_l("Đóng sự cố"))
