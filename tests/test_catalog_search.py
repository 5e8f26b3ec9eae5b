"""Search through the trigram index: accents ignored, short words too, and typos on PostgreSQL."""
import pytest

from storefront.catalog import services
from storefront.catalog.filters import CatalogFilters
from tests.conftest import BACKEND
from tests.factories import ProducerFactory, ProductFactory, VillageFactory


@pytest.fixture
def shelf(app):
    with app.test_request_context():
        bat_trang = ProducerFactory(name="HTX Gốm Bát Tràng", village=VillageFactory(name="Bát Tràng"))
        ProductFactory(slug="binh-gom", name_vi="Bình gốm men lam", producer=bat_trang)
        ProductFactory(slug="ao-dai", name_vi="Áo dài lụa",
                       producer=ProducerFactory(village=VillageFactory(name="Vạn Phúc")))
        yield


def found(q):
    page = services.browse(CatalogFilters(q=q, per_page=50))
    return {item.product.slug for item in page.items}, page.total, page.approximate


def test_words_are_found_without_their_accents_in_any_order(shelf):
    assert found("bat trang") == ({"binh-gom"}, 1, False)
    assert found("LAM men") == ({"binh-gom"}, 1, False)
    assert found("gốm") == ({"binh-gom"}, 1, False)


def test_words_shorter_than_a_trigram_are_still_found(shelf):
    assert found("ao") == ({"ao-dai"}, 1, False)


def test_every_word_must_match(shelf):
    assert found("gom lua") == (set(), 0, False)


def test_a_typo_finds_the_product_by_similar_words_on_postgresql(shelf):
    if BACKEND == "postgresql":  # pg_trgm word similarity, through the same GIN index
        assert found("bat trag") == ({"binh-gom"}, 1, True)
    else:  # SQLite's FTS5 trigram index only finds the words as typed
        assert found("bat trag") == (set(), 0, False)
