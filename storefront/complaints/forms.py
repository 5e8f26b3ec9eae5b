"""Complaint forms: the shopper's complaint and reply, the staff's answer."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, RadioField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from ..form_fields import strip_text
from .models import CATEGORY_LABELS
from .services import MAX_MESSAGE

PHOTO_ACCEPT = "image/jpeg,image/png,image/webp"


class ComplaintForm(FlaskForm):
    category = RadioField(_l("Bạn muốn phản ánh về"), choices=[SelectChoice(value, label) for value, label in CATEGORY_LABELS.items()],
                          validators=[DataRequired(_l("Vui lòng chọn một loại."))])
    outlet_id = SelectField(_l("Điểm bán liên quan"), coerce=int, choices=[])
    message = TextAreaField(_l("Nội dung khiếu nại"), filters=[strip_text],
                            validators=[DataRequired(_l("Vui lòng viết nội dung.")),
                                        Length(max=MAX_MESSAGE)])
    photo = FileField(_l("Ảnh (không bắt buộc; JPEG, PNG hoặc WebP, tối đa 10 MB)"))

    def for_order(self, order) -> "ComplaintForm":
        """Offer the order's outlets (and "the shop in general")."""
        outlets = {pickup.outlet_id: pickup.outlet.display_name for pickup in order.pickups}
        self.outlet_id.choices = [SelectChoice(0, _l("Cửa hàng nói chung"))] + [
            SelectChoice(outlet_id, name) for outlet_id, name in sorted(outlets.items())]
        if len(outlets) == 1 and not self.is_submitted():
            self.outlet_id.data = next(iter(outlets))
        return self


class ComplaintReplyForm(FlaskForm):
    message = TextAreaField(_l("Trả lời thêm"), filters=[strip_text],
                            validators=[DataRequired(_l("Vui lòng viết nội dung.")),
                                        Length(max=MAX_MESSAGE)])


class ComplaintAnswerForm(FlaskForm):
    message = TextAreaField(_l("Trả lời khách"), filters=[strip_text],
                            validators=[DataRequired(_l("Vui lòng viết nội dung.")),
                                        Length(max=MAX_MESSAGE)])
    resolve = BooleanField(_l("Đánh dấu đã giải quyết"))
