"""Forms of the producer dashboard: product, photos, certificate."""
import re
from types import SimpleNamespace

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from ..invoices.vat import VAT_LABELS, VatRate
from ..catalog import labels, producer_identity, units
from ..catalog.models import GROUP_LABELS, ISSUING_LEVEL_LABELS, ProductGroup
from ..catalog.certification import (
    CertificateInvalid, check_decision_date, check_issuing_level, check_score,
)
from ..form_fields import DayField, MultiCheckboxField, strip_text
from .prices import PriceFormatError, parse_price
from .services import ProductDetails

_INTEGER = re.compile(r"-?[0-9]+")
PHOTO_ACCEPT = "image/jpeg,image/png,image/webp"
SCAN_ACCEPT = "image/jpeg,image/png,image/webp,application/pdf"


def _choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


class WholeNumberField(IntegerField):
    """An integer typed as plain digits (``150000``): ``150.000``, ``1,5`` or ``150000.5`` are refused."""

    def __init__(self, label=None, validators=None, format_message=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.format_message = format_message or _l("Hãy nhập một số nguyên, chỉ gồm chữ số.")

    def process_formdata(self, valuelist):
        raw = valuelist[0].strip() if valuelist else ""
        self.data = int(raw) if _INTEGER.fullmatch(raw) else None
        if raw and self.data is None:
            raise ValueError(self.format_message)


class PriceField(WholeNumberField):
    """A price in whole đồng as people type it: ``450000``, ``450.000``, ``450,000``, ``450k``, ``1,2tr``."""

    def process_formdata(self, valuelist):
        raw = valuelist[0].strip() if valuelist else ""
        self.data = None
        if raw:
            try:
                self.data = parse_price(raw)
            except PriceFormatError:
                raise ValueError(self.format_message) from None


class Between:
    """Check a number lies in [low, high]; a missing or malformed number is reported elsewhere."""

    def __init__(self, low: int, high: int, message):
        self.low, self.high, self.message = low, high, message

    def __call__(self, form, field):
        if field.data is not None and not self.low <= field.data <= self.high:
            raise ValidationError(self.message)


def _optional_text(label, max_length: int, area: bool = False):
    field_class = TextAreaField if area else StringField
    return field_class(label, filters=[strip_text], validators=[Optional(), Length(
        max=max_length, message=_l("Tối đa %(max)d ký tự.", max=max_length))])


def _required_text(label, max_length: int, message):
    return StringField(label, filters=[strip_text], validators=[DataRequired(message=message), Length(
        max=max_length, message=_l("Tối đa %(max)d ký tự.", max=max_length))])


class ProductForm(FlaskForm):
    name_vi = _required_text(_l("Tên sản phẩm (tiếng Việt)"), 200, _l("Hãy nhập tên sản phẩm."))
    description_vi = _optional_text(_l("Mô tả (tiếng Việt)"), 5000, area=True)
    name_en = _optional_text(_l("Tên tiếng Anh"), 200)
    description_en = _optional_text(_l("Mô tả tiếng Anh"), 5000, area=True)
    group = SelectField(_l("Nhóm sản phẩm"), choices=_choices((g.value, GROUP_LABELS[g]) for g in ProductGroup),
                        invalid_choice_message=_l("Hãy chọn một nhóm sản phẩm trong danh sách."))
    unit_vi = _required_text(_l("Đơn vị bán (chọn trong danh sách, có thể thêm cỡ: hộp 500 g)"), 60,
                             _l("Hãy nhập đơn vị bán."))
    unit_en = _optional_text(_l("Đơn vị bán (tiếng Anh)"), 60)
    price = PriceField(
        _l("Giá (đồng)"),
        validators=[InputRequired(message=_l("Hãy nhập giá.")),
                    Between(1, 1_000_000_000, _l("Giá phải từ 1 đến 1.000.000.000 đồng."))],
        format_message=_l("Không đọc được giá này. Nhập số đồng, ví dụ 450000, 450.000, 450k "
                          "hoặc 1,2 triệu."),
    )
    vat_rate = SelectField(_l("Thuế GTGT ghi trên hoá đơn (giá bán đã gồm thuế)"), default=VatRate.TEN.value,
                           choices=_choices((rate.value, VAT_LABELS[rate]) for rate in VatRate),
                           invalid_choice_message=_l("Hãy chọn một mức thuế GTGT trong danh sách."))
    stock = WholeNumberField(
        _l("Số lượng trong kho"),
        validators=[InputRequired(message=_l("Hãy nhập số lượng trong kho.")),
                    Between(0, 100_000, _l("Số lượng phải từ 0 đến 100.000."))],
        format_message=_l("Nhập số lượng bằng số nguyên, chỉ gồm chữ số (ví dụ: 25)."),
    )
    outlets = MultiCheckboxField(
        _l("Điểm bán nhận hàng"), coerce=int,
        invalid_value_message=_l("Điểm bán không hợp lệ."),
        invalid_choice_message=_l("Điểm bán đã chọn không còn hoạt động. Hãy chọn lại."),
    )

    label_origin = _optional_text(_l("Xuất xứ"), 200)
    label_maker_name = _optional_text(_l("Tên nhà sản xuất"), 200)
    label_maker_address = _optional_text(_l("Địa chỉ nhà sản xuất"), 300)
    label_net_quantity = _optional_text(_l("Định lượng (khối lượng tịnh, thể tích, số lượng)"), 100)
    label_ingredients = _optional_text(_l("Thành phần"), 2000, area=True)
    label_shelf_life = _optional_text(_l("Hạn sử dụng"), 200)
    label_storage = _optional_text(_l("Hướng dẫn bảo quản và sử dụng"), 2000, area=True)
    label_warnings = _optional_text(_l("Cảnh báo"), 2000, area=True)
    food_safety_number = _optional_text(_l("Số giấy chứng nhận an toàn thực phẩm"), 100)
    food_safety_date = DayField(_l("Ngày cấp"), validators=[Optional()])
    food_safety_issuer = _optional_text(_l("Nơi cấp"), 200)

    def __init__(self, *args, outlets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.outlets.choices = _choices((o.id, o.display_name) for o in outlets)

    unit_choices = units.choices()  # offered beside unit_vi; each reads in English by itself

    def english_unit(self) -> str | None:
        """Return the unit an English page will show: the one typed, else the vocabulary's."""
        return self.unit_en.data or units.english_unit(self.unit_vi.data)

    def details(self) -> ProductDetails:
        """Return what the producer typed, for the product services."""
        return ProductDetails(
            name_vi=self.name_vi.data, description_vi=self.description_vi.data or "",
            name_en=self.name_en.data, description_en=self.description_en.data,
            group=self.group.data, unit_vi=self.unit_vi.data, unit_en=self.unit_en.data,
            price=self.price.data, stock=self.stock.data, outlet_ids=list(self.outlets.data or []),
            label={column: getattr(self, column).data for column in labels.COLUMNS},
            vat_rate=self.vat_rate.data,
        )

    def missing_label_facts(self) -> str:
        """Return, in plain words, the label facts this group requires that the form lacks."""
        return labels.missing_text(SimpleNamespace(group=self.group.data, **{
            column: getattr(self, column).data for column in labels.COLUMNS}))


def _alt_fields():
    alt_vi = _required_text(_l("Mô tả ảnh (tiếng Việt)"), 200,
                            _l("Hãy mô tả ngắn nội dung ảnh cho người không xem được ảnh."))
    return alt_vi, _optional_text(_l("Mô tả ảnh (tiếng Anh)"), 200)


class PhotoUploadForm(FlaskForm):
    photo = FileField(_l("Ảnh (JPEG, PNG hoặc WebP, tối đa 10 MB)"),
                      validators=[FileRequired(message=_l("Hãy chọn một ảnh."))],
                      render_kw={"accept": PHOTO_ACCEPT})
    alt_vi, alt_en = _alt_fields()


class PhotoAltForm(FlaskForm):
    alt_vi, alt_en = _alt_fields()


class ActionForm(FlaskForm):
    """An empty form: a POST button that carries only the CSRF token."""


class CertificateForm(FlaskForm):
    stars = SelectField(_l("Hạng sao"), coerce=int, choices=_choices((n, f"{n} ★") for n in (3, 4, 5)),
                        invalid_value_message=_l("Hạng sao phải là 3, 4 hoặc 5."),
                        invalid_choice_message=_l("Hạng sao phải là 3, 4 hoặc 5."))
    score = WholeNumberField(
        _l("Điểm đánh giá"),
        validators=[InputRequired(message=_l("Hãy nhập điểm đánh giá."))],
        format_message=_l("Điểm phải là số nguyên (ví dụ: 82)."),
    )
    issuing_level = SelectField(_l("Cấp công nhận"), choices=_choices(ISSUING_LEVEL_LABELS.items()),
                                invalid_choice_message=_l("Hãy chọn cấp công nhận trong danh sách."))
    issuing_body = _optional_text(_l("Cơ quan ra quyết định (ví dụ: UBND TP Hà Nội)"), 200)
    decision_number = _required_text(_l("Số quyết định"), 60, _l("Hãy nhập số quyết định."))
    decision_date = DayField(
        _l("Ngày quyết định"), validators=[InputRequired(message=_l("Hãy nhập ngày quyết định."))],
        invalid_value_message=_l("Ngày không hợp lệ."))
    scan = FileField(_l("Bản chụp giấy chứng nhận (ảnh JPEG, PNG, WebP hoặc PDF, tối đa 10 MB)"),
                     validators=[FileRequired(message=_l("Hãy tải lên bản chụp giấy chứng nhận."))],
                     render_kw={"accept": SCAN_ACCEPT})

    def validate_score(self, field):
        if field.data is not None and self.stars.data in (3, 4, 5):
            _as_field_error(check_score, self.stars.data, field.data)

    def validate_decision_date(self, field):
        if field.data is not None:
            _as_field_error(check_decision_date, field.data)

    def validate_issuing_level(self, field):
        if self.decision_date.data is not None and self.stars.data in (3, 4, 5):
            _as_field_error(check_issuing_level, self.stars.data, field.data, self.decision_date.data)


def _as_field_error(check, *args) -> None:
    """Run one of the certificate rules, turning its failure into this field's error."""
    try:
        check(*args)
    except CertificateInvalid as exc:
        raise ValidationError(exc.message) from None


class ProducerIdentityForm(FlaskForm):
    """The producer's legal identity, needed before an admin verifies it."""

    tax_code = _required_text(_l("Mã số thuế"), 20, _l("Hãy nhập mã số thuế."))
    business_registration = _required_text(
        _l("Số giấy chứng nhận đăng ký kinh doanh (hoặc đăng ký hộ kinh doanh, hợp tác xã)"), 120,
        _l("Hãy nhập số giấy đăng ký kinh doanh."))
    legal_address = _required_text(_l("Địa chỉ trụ sở (như trên giấy đăng ký)"), 300,
                                   _l("Hãy nhập địa chỉ trụ sở."))

    def validate_tax_code(self, field):
        try:
            producer_identity.clean_tax_code(field.data)
        except producer_identity.IdentityInvalid as exc:
            raise ValidationError(str(exc)) from None
