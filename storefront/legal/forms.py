"""Admins publish a new policy version; a shopper ticks the terms (the checkout form adds it)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..form_fields import DayField, strip_text


NOT_ACCEPTED = _l("Vui lòng đánh dấu ô đồng ý với điều khoản để đặt hàng. Giỏ hàng của bạn vẫn được giữ.")


def accept_terms_field(required: bool = True) -> BooleanField:
    """The separate, unticked box a shopper ticks before an order is sent (Decree 52/2013 Art. 32).

    Its label, with the links to the exact versions, is written by the page (``legal/_accept_terms.html``).
    """
    return BooleanField(_l("Đồng ý với điều khoản"), default=False,
                        validators=[DataRequired(NOT_ACCEPTED)] if required else [])


class PolicyVersionForm(FlaskForm):
    title_vi = StringField(_l("Tiêu đề (tiếng Việt)"), filters=[strip_text],
                           validators=[DataRequired(_l("Hãy nhập tiêu đề.")), Length(max=200)])
    title_en = StringField(_l("Tiêu đề (tiếng Anh)"), filters=[strip_text],
                           validators=[Optional(), Length(max=200)])
    body_vi = TextAreaField(_l("Nội dung (tiếng Việt, Markdown)"),
                            validators=[DataRequired(_l("Hãy nhập nội dung tiếng Việt.")),
                                        Length(max=100_000)])
    body_en = TextAreaField(_l("Nội dung (tiếng Anh, Markdown)"),
                            validators=[Optional(), Length(max=100_000)])
    summary_vi = StringField(_l("Thay đổi gì (tiếng Việt)"), filters=[strip_text],
                             validators=[Optional(), Length(max=500)])
    summary_en = StringField(_l("Thay đổi gì (tiếng Anh)"), filters=[strip_text],
                             validators=[Optional(), Length(max=500)])
    effective_on = DayField(_l("Ngày hiệu lực"), validators=[InputRequired(_l("Hãy chọn ngày hiệu lực."))])

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in
                ("title_vi", "title_en", "body_vi", "body_en", "summary_vi", "summary_en", "effective_on")}
