"""Prices typed the Vietnamese way are read as whole đồng; anything unclear is refused, not guessed."""
import pytest

from storefront.producers.prices import PriceFormatError, parse_price


@pytest.mark.parametrize("typed, dong", [
    ("450000", 450_000), ("450.000", 450_000), ("450,000", 450_000), ("450 000", 450_000),
    ("450\u00a0000", 450_000), ("1.234.567", 1_234_567), ("1,234,567", 1_234_567),
    ("450k", 450_000), ("450 K", 450_000), ("450 nghìn", 450_000), ("1k5", 1_500), ("0,5k", 500),
    ("1,2tr", 1_200_000), ("1.2 triệu", 1_200_000), ("1tr2", 1_200_000), ("1tr250", 1_250_000),
    ("2 triệu", 2_000_000), ("450.000 đ", 450_000), ("450.000₫", 450_000), (" 150 000 VNĐ ", 150_000),
    ("450.000,00", 450_000), ("450,000.00", 450_000), ("450000.00", 450_000),
])
def test_a_price_typed_as_people_write_it_is_whole_dong(typed, dong):
    assert parse_price(typed) == dong


@pytest.mark.parametrize("typed", [
    "", "abc", "450.5", "450,5", "450.00", "1.2.3", "45.00.000", "450.000,50", "1,2tr5", "1e5", "-5",
    "1.2", "0,0001k", "450,000.000",
])
def test_an_unclear_price_is_refused(typed):
    with pytest.raises(PriceFormatError):
        parse_price(typed)
