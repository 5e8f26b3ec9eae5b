"""Checkout forms: contact, pickup outlet and payment; then the one-time place-order form."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, ValidationError

from ..accounts.forms import email_field, phone_field
from ..form_fields import strip_text
from ..invoices.forms import CompanyFields, company_invoice_checkbox
from ..legal.forms import NOT_ACCEPTED, accept_terms_field
from ..orders.models import PAYMENT_METHOD_LABELS, PaymentMethod


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# The method checked before the shopper chooses: paying at the counter needs no bank app, card or
# deadline, and is always offered; then a transfer (no fee, no card); then a card.
PRESELECT_ORDER = (PaymentMethod.AT_PICKUP, PaymentMethod.VIETQR, PaymentMethod.CARD)


def preselected_method(methods) -> PaymentMethod:
    """Return the payment method a checkout starts with, out of those offered."""
    return min(methods, key=lambda m: PRESELECT_ORDER.index(m) if m in PRESELECT_ORDER else 99)


# A cart of bookings only has nothing to pick up: its money is paid at the experience's place.
AT_VENUE_LABEL = _l("Trả tại nơi trải nghiệm (tiền mặt hoặc chuyển khoản khi check-in)")


def payment_method_labels(*, at_venue_only: bool = False) -> dict:
    """Return each method's label; paying "at pickup" reads "at the venue" when nothing is picked up."""
    return {**PAYMENT_METHOD_LABELS, PaymentMethod.AT_PICKUP: AT_VENUE_LABEL} if at_venue_only \
        else PAYMENT_METHOD_LABELS


class CheckoutForm(CompanyFields, FlaskForm):
    name = StringField(_l("Họ và tên"), filters=[strip_text], validators=[
        DataRequired(_l("Vui lòng nhập họ và tên.")), Length(max=120)])
    phone = phone_field(_l("Số điện thoại"), required=True)
    email = email_field(_l("E-mail"))
    outlet_id = RadioField(_l("Điểm nhận hàng"), coerce=_int_or_none, validate_choice=False)
    payment_method = RadioField(_l("Phương thức thanh toán"), validate_choice=False)
    refresh = SubmitField(_l("Cập nhật điểm nhận hàng"))
    review = SubmitField(_l("Xem lại đơn hàng"))
    place = SubmitField(_l("Đặt hàng"))  # one screen: place straight from here
    checkout_token = HiddenField()  # a second tap finds the order the first one placed
    seen = HiddenField()  # the cart the shopper saw (services.cart_fingerprint)
    # Never ticked in advance; needed only to place from this page ("review" goes on without it).
    accept_terms = accept_terms_field(required=False)
    # "I need a company invoice": the company fields come from invoices.forms.CompanyFields.
    company_invoice = company_invoice_checkbox()

    def wanted(self) -> bool:
        return bool(self.company_invoice.data)

    def offer(self, plan, methods) -> None:
        """Set the outlets and payment methods this cart can use."""
        self.outlet_id.choices = [(o.id, o.display_name) for o in plan.common]
        labels = payment_method_labels(at_venue_only=not plan.pickups)
        self.payment_method.choices = [(m.value, labels[m]) for m in methods]
        if self.outlet_id.data is None and not plan.split and plan.pickups:
            self.outlet_id.data = plan.pickups[0].outlet.id
        if not self.payment_method.data and methods:
            self.payment_method.data = preselected_method(methods).value

    def group_moves(self, plan, formdata) -> dict[int, int]:
        """Return ``{from outlet: to outlet}`` read from each group's ``group-<outlet id>`` select."""
        moves = {}
        for pickup in plan.pickups if plan.split else []:
            target = _int_or_none(formdata.get(f"group-{pickup.outlet.id}"))
            if target is not None:
                moves[pickup.outlet.id] = target
        return moves

    def validate_accept_terms(self, field):
        if self.place.data and not field.data:
            raise ValidationError(NOT_ACCEPTED)

    def validate_payment_method(self, field):
        if field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_l("Vui lòng chọn phương thức thanh toán."))

    def contact(self) -> dict:
        return {"name": self.name.data, "phone": self.phone.data, "email": self.email.data}


class PlaceOrderForm(FlaskForm):
    """The review page's button: only a one-time token, everything else comes from the cart."""

    checkout_token = HiddenField()
    accept_terms = accept_terms_field()
    place = SubmitField(_l("Đặt hàng"))
