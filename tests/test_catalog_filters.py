"""Filters, facet counts, accent-insensitive search and sorting, against hand-counted answers."""
import pytest
from werkzeug.datastructures import MultiDict

from storefront.catalog import services
from storefront.catalog.filters import BadFilter, CatalogFilters, Sort
from tests.support.catalogue import SLUGS


@pytest.fixture(autouse=True)
def ctx(app):
    """Every test here reads filters as a request would (the shared ``catalogue`` too)."""
    with app.test_request_context():
        yield


def args(query: str) -> MultiDict:
    from urllib.parse import parse_qsl

    return MultiDict(parse_qsl(query, keep_blank_values=True))


def found(query: str = "", **kwargs) -> list[str]:
    filters = CatalogFilters.from_args(args(query)).replace(per_page=100, **kwargs)
    return [item.product.slug for item in services.browse(filters).items]


# --- reading the query string -------------------------------------------------------------

def test_filters_are_read_from_repeated_parameters(ctx):
    filters = CatalogFilters.from_args(
        args("village=bat-trang&village=van-phuc&stars=5&stars=4&group=food&q=Gốm&sort=price_asc&page=3"))

    assert filters == CatalogFilters(villages=("bat-trang", "van-phuc"), stars=(4, 5), group="food",
                                     q="Gốm", sort=Sort.PRICE_ASC, page=3)
    assert filters.words == ["gom"]


def test_blank_form_fields_mean_no_filter(ctx):
    assert CatalogFilters.from_args(args("group=&q=&village=&stars=&sort=&page=")) == CatalogFilters()


@pytest.mark.parametrize("query, name", [
    ("stars=7", "stars"), ("stars=abc", "stars"), ("stars=2", "stars"), ("stars=4.0", "stars"),
    ("page=0", "page"), ("page=-1", "page"), ("page=abc", "page"), ("page=99999999999999999999", "page"),
    ("group=unknown", "group"), ("group=food&group=herbal", "group"),
    ("sort=cheapest", "sort"), ("village=Bát Tràng", "village"), ("q=" + "x" * 201, "q"),
])
def test_a_value_that_cannot_be_understood_is_a_named_error(ctx, query, name):
    with pytest.raises(BadFilter) as caught:
        CatalogFilters.from_args(args(query))

    assert caught.value.name == name
    assert str(caught.value)


def test_lenient_reading_drops_only_the_bad_values(ctx):
    filters, problems = CatalogFilters.lenient(args("stars=7&group=food&page=0&q=che"))

    assert filters == CatalogFilters(group="food", q="che")
    assert sorted(p.name for p in problems) == ["page", "stars"]


def test_links_reproduce_the_filters(ctx):
    filters = CatalogFilters(villages=("a", "b"), stars=(4, 5), group="food", q="trà", sort=Sort.STARS)

    assert filters.to_args(page=2) == {"village": ["a", "b"], "stars": [4, 5], "group": "food",
                                       "q": "trà", "sort": "stars", "page": 2}
    assert filters.without("villages", "a")["village"] == ["b"]
    assert "group" not in filters.without("group")


# --- each filter alone -------------------------------------------------------------------

def test_everything_listed_newest_first(catalogue):
    assert found() == list(reversed(SLUGS))


def test_village_filter(catalogue):
    assert set(found("village=van-phuc")) == {"khan-lua", "ao-dai", "mut-dua"}
    assert set(found("village=van-phuc&village=duong-lam")) == {
        "khan-lua", "ao-dai", "mut-dua", "tuong", "che-lam", "gom-duong-lam"}


def test_an_unknown_village_matches_nothing(catalogue):
    assert found("village=no-such-village") == []


def test_stars_filter(catalogue):
    assert set(found("stars=5")) == {"binh-gom", "ao-dai"}
    assert set(found("stars=3&stars=5")) == {"binh-gom", "ao-dai", "tra-sen", "mut-dua", "che-lam"}


def test_group_filter(catalogue):
    assert set(found("group=food")) == {"mut-dua", "tuong", "che-lam"}
    assert found("group=herbal") == []


def test_all_filters_combined(catalogue):
    query = "village=bat-trang&village=van-phuc&stars=4&stars=5&group=handicrafts&q=gom"

    assert set(found(query)) == {"binh-gom", "chen-gom"}


# --- accent-insensitive search ------------------------------------------------------------

@pytest.mark.parametrize("q, expected", [
    ("bat trang", {"binh-gom", "chen-gom", "tra-sen"}),           # village "Bát Tràng"
    ("lua van phuc", {"khan-lua", "ao-dai", "mut-dua"}),          # producer "HTX Lụa Vạn Phúc"
    ("Lụa", {"khan-lua", "ao-dai", "mut-dua"}),
    ("duong lam", {"tuong", "che-lam", "gom-duong-lam"}),        # "d" typed for "Đ"
    ("do van duc", {"tuong", "che-lam", "gom-duong-lam"}),       # "Hộ Đỗ Văn Đức"
    ("mứt đừa", {"mut-dua"}),                                     # "Đ" typed finds plain "d" of "dừa"
    ("GỐM LAM", {"binh-gom", "gom-duong-lam"}),                   # every word, any order, any case
    ("sen gom", {"tra-sen"}),                                     # "Trà sen" of "HTX Gốm Bát Tràng"
    ("xyz", set()),
])
def test_search_ignores_accents_and_case_and_needs_every_word(catalogue, q, expected):
    assert set(found(q=q)) == expected


def test_a_query_with_no_letters_is_no_filter(catalogue):
    assert len(found(q="!!! ...")) == 9


# --- facets --------------------------------------------------------------------------------

def facet_counts(query: str) -> tuple[dict, dict, dict]:
    facets = services.browse(CatalogFilters.from_args(args(query)), facets=True).facets
    return ({c.value: c.count for c in facets.villages}, {c.value: c.count for c in facets.stars},
            {c.value: c.count for c in facets.groups if c.count})


def test_facet_counts_without_filters(catalogue):
    villages, stars, groups = facet_counts("")

    assert villages == {"bat-trang": 3, "van-phuc": 3, "duong-lam": 3}
    assert stars == {5: 2, 4: 4, 3: 3}
    assert groups == {"handicrafts": 5, "beverages": 1, "food": 3}


def test_each_facet_counts_under_every_other_filter(catalogue):
    villages, stars, groups = facet_counts(
        "village=bat-trang&village=van-phuc&stars=4&stars=5&group=handicrafts&q=gom")

    # villages: 4-5★ handicrafts matching "gom" = binh-gom, chen-gom (Bát Tràng), gom-duong-lam;
    # Vạn Phúc has none but stays as a chosen option.
    assert villages == {"bat-trang": 2, "duong-lam": 1, "van-phuc": 0}
    # stars: handicrafts from the two villages matching "gom" = binh-gom 5★, chen-gom 4★
    assert stars == {5: 1, 4: 1, 3: 0}
    # groups: 4-5★ from the two villages matching "gom" = binh-gom, chen-gom
    assert groups == {"handicrafts": 2}


def test_facets_mark_the_chosen_options(catalogue):
    facets = services.browse(CatalogFilters.from_args(args("stars=3&village=duong-lam")),
                             facets=True).facets

    assert [c.value for c in facets.stars if c.selected] == [3]
    assert [c.value for c in facets.villages if c.selected] == ["duong-lam"]
    assert {c.value: c.count for c in facets.villages} == {"bat-trang": 1, "van-phuc": 1, "duong-lam": 1}


# --- sorting -------------------------------------------------------------------------------

def test_sort_by_price(catalogue):
    ascending = ["che-lam", "tuong", "mut-dua", "tra-sen", "chen-gom", "gom-duong-lam",
                 "khan-lua", "binh-gom", "ao-dai"]

    assert found("sort=price_asc") == ascending
    assert found("sort=price_desc") == list(reversed(ascending))


def test_sort_by_stars_then_newest(catalogue):
    assert found("sort=stars") == ["ao-dai", "binh-gom",
                                   "gom-duong-lam", "tuong", "khan-lua", "chen-gom",
                                   "che-lam", "mut-dua", "tra-sen"]


def test_the_village_facet_offers_the_busiest_villages_and_the_chosen_ones(catalogue, monkeypatch):
    monkeypatch.setattr("storefront.catalog.faceting.VILLAGE_CHOICES", 2)

    # Under 4★: Đường Lâm 2 (tuong, gom-duong-lam), Bát Tràng 1 (chen-gom), Vạn Phúc 1 (khan-lua).
    facets = services.browse(CatalogFilters(stars=(4,)), facets=True).facets
    assert [(c.value, c.count) for c in facets.villages] == [("duong-lam", 2), ("bat-trang", 1)]
    assert facets.more_villages == 1

    facets = services.browse(CatalogFilters(stars=(4,), villages=("van-phuc",)), facets=True).facets
    assert [c.value for c in facets.villages] == ["duong-lam", "bat-trang", "van-phuc"]
    assert facets.more_villages == 0
