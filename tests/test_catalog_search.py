"""Search through the trigram index: accents ignored, short words too, typos corrected, big counts capped."""
import pytest

from storefront.catalog import services
from storefront.catalog.filters import CatalogFilters
from storefront.catalog.models import Product
from storefront.extensions import db
from tests.support.factories import ProducerFactory, ProductFactory, VillageFactory


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


def test_a_misspelt_word_is_replaced_by_the_closest_word_the_catalogue_has(shelf):
    page = services.browse(CatalogFilters(q="bat trag"))
    assert [item.product.slug for item in page.items] == ["binh-gom"]
    assert (page.total, page.approximate, page.searched_for) == (1, True, "bat trang")
    assert found("Bát Tràg") == ({"binh-gom"}, 1, True)
    assert found("lụa vạn phuk") == ({"ao-dai"}, 1, True)


def test_nothing_close_is_still_nothing_and_known_words_are_not_changed(shelf):
    assert found("zzkhongco") == (set(), 0, False)
    page = services.browse(CatalogFilters(q="gom lua"))  # both words exist, never together
    assert (page.total, page.searched_for) == (0, None)


def test_a_word_of_a_new_product_is_corrected_to_at_once(shelf):
    ProductFactory(slug="mat-ong", name_vi="Mật ong bạc hà")
    db.session.commit()
    assert found("mat onng") == ({"mat-ong"}, 1, True)


def test_the_corrected_search_is_shown_on_the_page_and_in_the_api(app, client):
    with app.app_context():
        ProductFactory(slug="binh-gom", name_vi="Bình gốm men lam",
                       producer=ProducerFactory(village=VillageFactory(name="Bát Tràng")))
        db.session.commit()
    html = client.get("/products?q=bat+trag", headers={"Accept-Language": "vi"}).get_data(as_text=True)
    assert "binh-gom" in html and "“bat trag”" in html and "“bat trang”" in html
    english = client.get("/products?q=bat+trag", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "showing results for “bat trang”" in english
    body = client.get("/api/products?q=bat+trag").get_json()
    assert (body["total"], body["approximate"], body["searched_for"]) == (1, True, "bat trang")
    assert [item["slug"] for item in body["items"]] == ["binh-gom"]


def test_a_search_matching_more_than_the_limit_counts_up_to_it_and_says_so(app, client):
    app.config["CATALOG_SEARCH_COUNT_LIMIT"] = 5
    with app.app_context():
        producer = ProducerFactory(village=VillageFactory(name="Bát Tràng"))
        for n in range(8):
            ProductFactory(slug=f"gom-{n}", name_vi=f"Bình gốm {n}", producer=producer, price=1000 + n)
        ProductFactory(slug="lua", name_vi="Khăn lụa")
        db.session.commit()
        with app.test_request_context():
            page = services.browse(CatalogFilters(q="gom", per_page=3), facets=True)
            assert (page.total, page.total_over, page.pages, len(page.items)) == (5, True, 2, 3)
            # Counts that stopped at the limit are not shown as if exact.
            assert {choice.count for choice in page.facets.stars} == {None}
            exact = services.browse(CatalogFilters(q="lua"), facets=True)
            assert (exact.total, exact.total_over) == (1, False)
            assert all(choice.count is not None for choice in exact.facets.stars)
            assert db.session.query(Product).count() == 9
    html = client.get("/products?q=gom", headers={"Accept-Language": "vi"}).get_data(as_text=True)
    assert "Hơn 5 sản phẩm" in html
    body = client.get("/api/products?q=gom").get_json()
    assert (body["total"], body["total_over"]) == (5, True)
    assert client.get("/api/products?q=lua").get_json()["total_over"] is False


def test_a_search_alone_counts_its_facets_as_the_general_path_does(app):
    # Words alone are counted in one read of the matching rows; with any other filter, by the
    # grouped statements. Ticking every star level changes nothing shown, so both must agree.
    with app.test_request_context():
        for n, (village, stars) in enumerate([("Bát Tràng", 5), ("Bát Tràng", 4), ("Kim Lan", 4),
                                              ("Kim Lan", 3), ("Phù Lãng", 3)]):
            producer = ProducerFactory(village=VillageFactory(name=f"{village} {n}"))
            ProductFactory(slug=f"gom-{n}", name_vi=f"Bình gốm {n}", producer=producer, certified=stars)
        ProductFactory(slug="lua", name_vi="Khăn lụa", certified=5)
        db.session.commit()

        def shown(page):
            facets = page.facets
            return (page.total, [(c.value, c.count) for c in facets.stars],
                    [(c.value, c.count) for c in facets.groups],
                    sorted((c.value, c.count) for c in facets.villages), facets.more_villages)

        alone = services.browse(CatalogFilters(q="gom"), facets=True)
        every_star = services.browse(CatalogFilters(q="gom", stars=(3, 4, 5)), facets=True)
        assert alone.total == 5
        assert shown(alone) == shown(every_star)
        assert dict(shown(alone)[1]) == {5: 1, 4: 2, 3: 2}
