"""Cart forms: they carry the CSRF token and the raw fields; the cart service judges the values."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField


class AddToCartForm(FlaskForm):
    product_id = HiddenField()
    quantity = StringField(_l("Số lượng"), default="1")
    next = HiddenField()


class UpdateQuantityForm(FlaskForm):
    product_id = HiddenField()
    quantity = StringField(_l("Số lượng"))
    next = HiddenField()


class CartLineForm(FlaskForm):
    """Remove a line, or accept its new price."""

    product_id = HiddenField()
    next = HiddenField()
