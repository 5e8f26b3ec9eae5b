"""Forms of the producer's experience pages: the experience, its prices, the weekly pattern, exceptions."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, URL

from ..catalog.models import GROUP_LABELS, ProductGroup
from ..form_fields import DayField, MultiCheckboxField, strip_text
from .models import LANGUAGE_LABELS, PlaceKind
from .services import ExperienceDetails

WEEKDAYS = [(0, _l("Thứ Hai")), (1, _l("Thứ Ba")), (2, _l("Thứ Tư")), (3, _l("Thứ Năm")),
            (4, _l("Thứ Sáu")), (5, _l("Thứ Bảy")), (6, _l("Chủ nhật"))]
PLACE_CHOICES = [(PlaceKind.OUTLET.value, _l("Tại một điểm bán / trung tâm làng nghề")),
                 (PlaceKind.WORKSHOP.value, _l("Tại xưởng của cơ sở"))]
TEXT = {"filters": [strip_text]}
FILL_IN = _l("Hãy điền mục này.")


def at_most(n: int) -> Length:
    return Length(max=n, message=_l("Tối đa %(max)d ký tự.", max=n))


def between(low: int, high: int) -> NumberRange:
    return NumberRange(low, high, message=_l("Hãy nhập số từ %(low)d đến %(high)d.", low=low, high=high))


class ExperienceForm(FlaskForm):
    title_vi = StringField(_l("Tên trải nghiệm (tiếng Việt)"), [DataRequired(message=FILL_IN), at_most(200)], **TEXT)
    title_en = StringField(_l("Tên tiếng Anh (không bắt buộc)"), [Optional(), at_most(200)], **TEXT)
    description_vi = TextAreaField(_l("Mô tả (tiếng Việt)"), [DataRequired(message=FILL_IN), at_most(5000)], **TEXT)
    description_en = TextAreaField(_l("Mô tả tiếng Anh (không bắt buộc)"), [Optional(), at_most(5000)], **TEXT)
    group = SelectField(_l("Nhóm OCOP"), choices=[(g.value, label) for g, label in GROUP_LABELS.items()],
                        default=ProductGroup.TOURISM.value)
    place_kind = SelectField(_l("Địa điểm"), choices=PLACE_CHOICES, default=PlaceKind.OUTLET.value)
    outlet_id = SelectField(_l("Điểm bán"), coerce=int, validators=[Optional()])
    address = StringField(_l("Địa chỉ xưởng"), [Optional(), at_most(300)], **TEXT)
    map_url = StringField(_l("Liên kết bản đồ (https://…)"), [Optional(), URL(message=_l("Hãy nhập một địa chỉ web đầy đủ, bắt đầu bằng https://.")), at_most(500)], **TEXT)
    duration_minutes = IntegerField(_l("Thời lượng (phút)"), [InputRequired(message=FILL_IN), between(15, 1440)], default=120)
    languages = MultiCheckboxField(_l("Ngôn ngữ hướng dẫn"), choices=list(LANGUAGE_LABELS.items()),
                                   default=["vi"])
    bring_vi = TextAreaField(_l("Cần mang theo"), [Optional(), at_most(1000)], **TEXT)
    bring_en = TextAreaField(_l("Cần mang theo (tiếng Anh)"), [Optional(), at_most(1000)], **TEXT)
    accessibility_vi = TextAreaField(_l("Tiếp cận cho người khuyết tật"), [Optional(), at_most(1000)], **TEXT)
    accessibility_en = TextAreaField(_l("Tiếp cận (tiếng Anh)"), [Optional(), at_most(1000)], **TEXT)
    min_age = IntegerField(_l("Tuổi tối thiểu"), [Optional(), between(0, 99)])
    cutoff_minutes = IntegerField(_l("Ngừng nhận đặt chỗ trước giờ bắt đầu (phút)"),
                                  [InputRequired(message=FILL_IN), between(0, 10080)], default=120)
    cancel_free_hours = IntegerField(_l("Huỷ miễn phí đến trước giờ bắt đầu (giờ)"),
                                     [InputRequired(message=FILL_IN), between(0, 720)], default=24)
    weeks_ahead = IntegerField(_l("Mở lịch trước (tuần)"), [InputRequired(message=FILL_IN), between(1, 52)], default=8)

    def __init__(self, *args, outlets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.outlet_id.choices = [(0, _l("— Chọn điểm bán —"))] + [(o.id, o.name) for o in outlets]

    def details(self) -> ExperienceDetails:
        names = [name for name in ExperienceDetails.__dataclass_fields__ if name in self._fields]
        values = {name: self._fields[name].data for name in names}
        values["outlet_id"] = values.get("outlet_id") or None
        values["languages"] = list(values.get("languages") or ["vi"])
        return ExperienceDetails(**values)


class PricesForm(FlaskForm):
    """One price and an on-sale box per person type, named ``price-<code>`` and ``active-<code>``."""


def prices_from(form_data, person_types) -> dict[str, tuple[int, bool]] | None:
    """Read each person type's price (whole đồng) from the posted form; None when one is not a number."""
    prices = {}
    for person_type in person_types:
        raw = (form_data.get(f"price-{person_type.code}") or "").replace(".", "").replace(",", "").strip()
        if not raw.isdigit() or int(raw) > 100_000_000:
            return None
        prices[person_type.code] = (int(raw), form_data.get(f"active-{person_type.code}") == "y")
    return prices


class SlotForm(FlaskForm):
    weekday = SelectField(_l("Thứ"), coerce=int, choices=WEEKDAYS)
    starts_at = TimeField(_l("Giờ bắt đầu"), [InputRequired(message=FILL_IN)])
    capacity = IntegerField(_l("Số chỗ"), [InputRequired(message=FILL_IN), between(1, 1000)], default=12)
    valid_from = DayField(_l("Từ ngày (không bắt buộc)"), [Optional()])
    valid_until = DayField(_l("Đến ngày (không bắt buộc)"), [Optional()])


class ExceptionForm(FlaskForm):
    kind = SelectField(_l("Loại"), choices=[("skip", _l("Nghỉ (không tổ chức)")),
                                            ("add", _l("Thêm một buổi"))])
    day = DayField(_l("Ngày"), [InputRequired(message=FILL_IN)])
    starts_at = TimeField(_l("Giờ (nghỉ: để trống là cả ngày)"), [Optional()])
    capacity = IntegerField(_l("Số chỗ (buổi thêm)"), [Optional(), between(1, 1000)])
    note = StringField(_l("Ghi chú"), [Optional(), at_most(200)], **TEXT)


class CancelSessionForm(FlaskForm):
    reason = StringField(_l("Lý do huỷ (gửi cho khách đã đặt)"), [Optional(), at_most(500)], **TEXT)
    confirm = BooleanField(_l("Tôi hiểu mọi khách đã đặt sẽ được báo và hoàn tiền"), [DataRequired(message=_l("Hãy đánh dấu xác nhận."))])
