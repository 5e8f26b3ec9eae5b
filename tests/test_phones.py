"""One rule for Vietnamese phone numbers (``storefront/phones.py``), one form to store them in."""
import pytest
from flask_babel import force_locale

from storefront.phones import InvalidPhone, normalize_phone
from tools import catalogs


@pytest.mark.parametrize(("typed", "stored"), [
    ("0987 654 321", "0987654321"),
    ("+84 987 654 321", "0987654321"),
    ("0987.654.321", "0987654321"),
    ("024 3874 1234", "02438741234"),          # a Hà Nội landline, 11 digits since 2017
    ("+84 24 3874 1234", "02438741234"),
    ("(024) 3874-1234", "02438741234"),
    ("024 3987 654", "0243987654"),            # the older 10-digit form still passes
])
def test_mobiles_and_landlines_are_stored_as_0_and_their_digits(typed, stored):
    assert normalize_phone(typed) == stored


@pytest.mark.parametrize("typed", [
    "", "12345", "091234567", "09123456789", "+8491234567", "0012345678", "84912345678",
    "+840987654321", "024 3874 12345", "abc", "+1 415 555 0100",
])
def test_anything_else_is_refused_with_what_is_expected(app, typed):
    with app.test_request_context():
        with pytest.raises(InvalidPhone) as refused:
            normalize_phone(typed)
        assert "Số điện thoại phải có 10 chữ số" in str(refused.value)


def test_the_refusal_reads_in_english_on_english_pages(app):
    catalogs.compile_catalogs()
    with app.test_request_context(), force_locale("en"):
        with pytest.raises(InvalidPhone) as refused:
            normalize_phone("12345")
        assert "The phone number must have 10 digits" in str(refused.value)
        assert "024 3874 1234" in str(refused.value)
