"""Catalogue counts are remembered between requests and forgotten as soon as the catalogue changes."""
import html

from sqlalchemy import select

from storefront.catalog import counting, stock
from storefront.catalog.models import Product
from storefront.extensions import db as _db
from tests.support.factories import ProductFactory
from tests.support.catalogue import build_catalogue
from tests.support.sql import recorded_statements


def visit(client, url: str) -> tuple[str, list[str]]:
    """Return the page's text and the SQL statements it ran."""
    with recorded_statements() as statements:
        response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True)), statements


def product(slug: str) -> Product:
    return _db.session.scalar(select(Product).where(Product.slug == slug))


def counted(statements: list[str]) -> bool:
    """Return whether the request counted products (every count groups them)."""
    return any("GROUP BY" in statement for statement in statements)


def test_counts_are_remembered_between_requests(client, catalogue):
    first_page, first = visit(client, "/products?stars=4")
    second_page, second = visit(client, "/products?stars=4")

    assert counted(first) and not counted(second)
    assert "4 sản phẩm" in first_page and "4 sản phẩm" in second_page


def test_sorting_and_paging_reuse_the_counts_of_their_filters(client, catalogue):
    visit(client, "/products?stars=4")
    page, statements = visit(client, "/products?stars=4&sort=price_asc&page=1")

    assert not counted(statements)
    assert "4 sản phẩm" in page


def test_home_and_village_counts_are_remembered(client, catalogue):
    for url in ("/", "/villages"):
        visit(client, url)
        assert not counted(visit(client, url)[1]), url


def test_a_new_product_is_counted_at_once(client, catalogue):
    visit(client, "/products")
    ProductFactory(producer=product("binh-gom").producer, certified=5)

    page, statements = visit(client, "/products")

    assert counted(statements)
    assert "10 sản phẩm" in page


def test_a_rejected_certificate_is_counted_at_once(client, catalogue):
    visit(client, "/products?village=van-phuc")
    product("khan-lua").certificates[0].status = "rejected"
    _db.session.commit()

    page, _ = visit(client, "/products?village=van-phuc")

    assert "2 sản phẩm" in page


def test_taking_stock_keeps_the_counts(client, catalogue):
    visit(client, "/products")
    stock.reserve(product("tra-sen").id, 2)  # an order being placed
    product("che-lam").stock = 1  # a producer correcting stock
    _db.session.commit()

    assert not counted(visit(client, "/products")[1])


def test_forgetting_makes_the_next_request_count_afresh(client, catalogue):
    visit(client, "/products")
    counting.forget()

    assert counted(visit(client, "/products")[1])


def test_counts_are_not_kept_when_the_cache_time_is_zero(make_app):
    app = make_app(CATALOG_COUNT_CACHE_SECONDS=0)
    with app.app_context():
        build_catalogue()
        client = app.test_client()
        visit(client, "/products")
        page, statements = visit(client, "/products")

        assert counted(statements)
        assert "9 sản phẩm" in page
        _db.session.remove()
