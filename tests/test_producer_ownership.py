"""A producer can neither see nor change another producer's products, photos or certificates."""
import pytest
from sqlalchemy import func, select

from storefront.catalog.models import Certificate, Photo
from storefront.producers import services
from tests.support.factories import ProducerUserFactory, ProductFactory
from tests.support.producer_support import PDF, png, stored_files, upload

PRODUCT_FORM = {"name_vi": "Đã bị sửa", "group": "food", "unit_vi": "hộp", "price": "1", "stock": "0"}


@pytest.fixture
def a_product(db):
    """Producer A's listed product, with one photo."""
    product = ProductFactory(name_vi="Gốm của A", price=300000, status="published")
    services.add_photo(product, png(), "Ảnh của A")
    return product


@pytest.fixture
def as_producer_b(client, login, db):
    login(ProducerUserFactory())
    return client


def snapshot(db, product) -> tuple:
    db.session.expire_all()
    photos = [(p.id, p.position, p.alt_vi) for p in product.photos]
    return (product.name_vi, product.price, product.status, photos,
            db.session.scalar(select(func.count(Certificate.id))),
            db.session.scalar(select(func.count(Photo.id))))


def requests(product) -> list[tuple[str, str, dict]]:
    base = f"/producer/products/{product.id}"
    photo = product.photos[0].id
    return [
        ("GET", f"{base}/edit", {}),
        ("POST", f"{base}/edit", PRODUCT_FORM),
        ("GET", f"{base}/photos", {}),
        ("POST", f"{base}/photos", upload(png(), alt_vi="Ảnh lạ")),
        ("POST", f"{base}/photos/{photo}/alt", {f"photo{photo}-alt_vi": "Đã bị sửa"}),
        ("POST", f"{base}/photos/{photo}/down", {}),
        ("POST", f"{base}/photos/{photo}/delete", {}),
        ("GET", f"{base}/certificates", {}),
        ("POST", f"{base}/certificates", upload(PDF, field="scan", stars="4", score="80",
                                                 issuing_level="province", decision_number="1/QĐ",
                                                 decision_date="2025-09-01")),
        ("POST", f"{base}/publish", {}),
        ("POST", f"{base}/unpublish", {}),
        ("POST", f"{base}/archive", {}),
    ]


def test_other_producers_product_is_not_found_and_stays_unchanged(as_producer_b, db, app, a_product):
    before, files_before = snapshot(db, a_product), stored_files(app)
    for method, url, data in requests(a_product):
        response = as_producer_b.open(url, method=method, data=data,
                                      content_type="multipart/form-data" if data else None)
        assert response.status_code == 404, (method, url)
    assert snapshot(db, a_product) == before
    assert stored_files(app) == files_before


def test_photo_of_another_product_is_not_found_even_through_own_product(client, login, db, a_product):
    user = ProducerUserFactory()
    own = ProductFactory(producer=user.producer)
    login(user)
    foreign_photo = a_product.photos[0].id
    response = client.post(f"/producer/products/{own.id}/photos/{foreign_photo}/delete")
    assert response.status_code == 404
    db.session.expire_all()
    assert len(a_product.photos) == 1


def test_dashboard_lists_only_the_producers_own_products(client, login, db, a_product):
    user = ProducerUserFactory()
    ProductFactory(producer=user.producer, name_vi="Lụa của B")
    login(user)

    response = client.get("/producer/")

    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "Lụa của B" in text
    assert "Gốm của A" not in text
