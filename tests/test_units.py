"""English pages never show a Vietnamese unit where the unit vocabulary has the English for it."""
import pytest


from storefront.catalog.units import UNITS, english_unit
from tests.support.factories import ProductFactory
from tests.support.producer_support import producer_user, signed_in  # noqa: F401  (fixtures)

EN = {"Accept-Language": "en"}


@pytest.mark.parametrize("unit_vi, unit_en", [
    ("chiếc", "piece"), ("Hộp", "box"), (" gói ", "pack"), ("chai", "bottle"), ("kg", "kg"),
    ("hộp 500 g", "box of 500 g"), ("chai 500ml", "bottle of 500 ml"), ("túi 1,5 kg", "bag of 1.5 kg"),
    ("bộ 6 chiếc", "set of 6 pieces"), ("gói 1 chiếc", "pack of 1 piece"),
])
def test_a_vocabulary_unit_reads_in_english(unit_vi, unit_en):
    assert english_unit(unit_vi) == unit_en


@pytest.mark.parametrize("unit_vi", ["chiếc cao 30 cm", "nải", "", None, "hộp to"])
def test_a_unit_written_freely_has_no_guessed_english(unit_vi):
    assert english_unit(unit_vi) is None


def test_every_vocabulary_unit_has_both_languages():
    assert all(unit.vi and unit.en and unit.en_plural for unit in UNITS)


def test_an_english_product_page_shows_the_vocabulary_unit_in_english(client):
    product = ProductFactory(name_en="Lotus tea", unit_vi="hộp 500 g", unit_en=None, price=450000)
    page = client.get(f"/products/{product.slug}", headers=EN).get_data(as_text=True)
    assert "/ <span>box of 500 g</span>" in page
    assert "hộp" not in page


def test_a_free_text_unit_is_shown_as_written_and_marked_vietnamese(client):
    product = ProductFactory(unit_vi="chiếc cao 30 cm", unit_en=None)
    page = client.get(f"/products/{product.slug}", headers=EN).get_data(as_text=True)
    assert '<span lang="vi">chiếc cao 30 cm</span>' in page
    assert 'id="lang-note"' in page


def test_the_producers_own_english_wins(client):
    product = ProductFactory(unit_vi="hộp", unit_en="gift box")
    page = client.get(f"/products/{product.slug}", headers=EN).get_data(as_text=True)
    assert "gift box" in page and ">box<" not in page


def test_a_catalogue_card_marks_a_vietnamese_only_unit(client):
    ProductFactory(name_en="Vase", unit_vi="chiếc cao 30 cm", unit_en=None)
    ProductFactory(name_en="Tea", unit_vi="gói", unit_en=None)
    page = client.get("/products", headers=EN).get_data(as_text=True)
    assert '/ <span lang="vi">chiếc cao 30 cm</span> (in Vietnamese)' in page
    assert "/ pack</span>" in page and ">gói<" not in page


def test_the_product_form_offers_the_unit_list_in_both_languages(signed_in):
    page = signed_in.get("/producer/products/new").get_data(as_text=True)
    assert 'list="unit-choices"' in page
    assert '<option value="hộp" label="hộp — box">' in page


@pytest.mark.parametrize("headers, shown", [(EN, "box of 500 g"), ({"Accept-Language": "vi"}, "hộp 500 g")])
def test_an_order_line_shows_its_frozen_unit_in_the_readers_language(app, headers, shown):
    from storefront.orders.models import OrderLine
    line = OrderLine(product_name="Chè sen", unit="hộp 500 g", quantity=1, unit_price=450000)
    with app.test_request_context("/", headers=headers):
        assert line.unit_shown == shown


def test_an_order_line_with_a_free_text_unit_takes_the_producers_english_if_still_the_same(app):
    from storefront.orders.models import OrderLine
    product = ProductFactory(unit_vi="nải to", unit_en="large bunch")
    same = OrderLine(product=product, product_name=product.name, unit="nải to", quantity=1, unit_price=1)
    changed = OrderLine(product=product, product_name=product.name, unit="nải nhỏ", quantity=1, unit_price=1)
    with app.test_request_context("/", headers=EN):
        assert (same.unit_shown, changed.unit_shown) == ("large bunch", "nải nhỏ")
