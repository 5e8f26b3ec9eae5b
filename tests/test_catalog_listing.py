"""The listing rule: who shoppers see, with which stars, and when a certificate drops out."""
import datetime as dt

import pytest

from storefront.catalog import services
from storefront.catalog.filters import CatalogFilters
from storefront.timeutil import local_today
from tests.support.factories import CertificateFactory, ProducerFactory, ProductFactory

DAY = dt.date(2026, 3, 10)


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


def listed_slugs(today=None, **filters):
    return {item.product.slug for item in
            services.browse(CatalogFilters(per_page=100, **filters), today=today).items}


def certified(slug, *, stars=4, status="verified", decided=DAY - dt.timedelta(days=30),
              expires=None, **product):
    product = ProductFactory(slug=slug, certified=False, **product)
    CertificateFactory(product=product, stars=stars, score={3: 60, 4: 80, 5: 95}[stars],
                       status=status, decision_date=decided,
                       expires_on=expires or decided + dt.timedelta(days=1000))
    return product


def test_only_published_products_of_verified_producers_with_a_valid_certificate_are_listed(ctx):
    certified("ok")
    ProductFactory(slug="draft", status="draft")
    ProductFactory(slug="archived", status="archived")
    ProductFactory(slug="unverified-producer", producer=ProducerFactory(status="pending"))
    ProductFactory(slug="rejected-producer", producer=ProducerFactory(status="rejected"))
    ProductFactory(slug="no-certificate", certified=False)
    certified("pending-cert", status="pending")
    certified("rejected-cert", status="rejected")
    certified("expired-cert", decided=DAY - dt.timedelta(days=1100), expires=DAY - dt.timedelta(days=1))

    assert listed_slugs(today=DAY) == {"ok"}


def test_the_page_rule_agrees_with_the_model_rule(ctx):
    for slug, status in (("a", "verified"), ("b", "pending"), ("c", "rejected")):
        certified(slug, status=status)
    ProductFactory(slug="d", status="draft")
    from storefront.catalog.models import Product
    from storefront.extensions import db

    by_model = {p.slug for p in db.session.query(Product) if p.is_listed(DAY)}
    assert listed_slugs(today=DAY) == by_model == {"a"}


def test_a_certificate_stops_listing_on_its_expiry_day(ctx):
    certified("boundary", expires=DAY)

    assert listed_slugs(today=DAY - dt.timedelta(days=1)) == {"boundary"}
    assert listed_slugs(today=DAY) == set()
    assert listed_slugs(today=DAY + dt.timedelta(days=1)) == set()


def test_a_certificate_expiring_tomorrow_in_hanoi_still_lists_the_product_today(client):
    today = local_today()
    certified("ends-today", decided=today - dt.timedelta(days=1095), expires=today)
    certified("ends-tomorrow", decided=today - dt.timedelta(days=1094),
              expires=today + dt.timedelta(days=1))

    page = client.get("/products").get_data(as_text=True)

    assert "/products/ends-tomorrow" in page
    assert "/products/ends-today" not in page
    assert client.get("/products/ends-today").status_code == 404
    assert client.get("/products/ends-tomorrow").status_code == 200


def test_public_stars_come_from_the_latest_valid_certificate(ctx):
    product = certified("p", stars=3, decided=DAY - dt.timedelta(days=700))
    CertificateFactory(product=product, stars=5, score=95, decision_date=DAY - dt.timedelta(days=100),
                       expires_on=DAY + dt.timedelta(days=10))
    CertificateFactory(product=product, stars=4, score=80, status="pending",
                       decision_date=DAY - dt.timedelta(days=5))
    CertificateFactory(product=product, stars=4, score=80, status="rejected",
                       decision_date=DAY - dt.timedelta(days=4))

    [item] = services.browse(CatalogFilters(), today=DAY).items
    assert item.stars == 5
    # When the newer 5★ certificate runs out, the older 3★ one still lists it.
    [item] = services.browse(CatalogFilters(), today=DAY + dt.timedelta(days=10)).items
    assert item.stars == 3


def test_stars_filter_uses_the_public_stars_not_any_certificate(ctx):
    product = certified("p", stars=3, decided=DAY - dt.timedelta(days=700))
    CertificateFactory(product=product, stars=5, score=95, decision_date=DAY - dt.timedelta(days=10))

    assert listed_slugs(today=DAY, stars=(3,)) == set()
    assert listed_slugs(today=DAY, stars=(5,)) == {"p"}


def test_a_product_with_two_valid_certificates_is_listed_once(ctx):
    product = certified("twice", stars=4)
    CertificateFactory(product=product, stars=4, score=80, decision_date=DAY - dt.timedelta(days=20))

    result = services.browse(CatalogFilters(), today=DAY)
    assert [i.product.slug for i in result.items] == ["twice"]
    assert result.total == 1


def test_on_the_same_decision_date_the_later_recorded_certificate_wins(ctx):
    product = certified("tie", stars=3, decided=DAY - dt.timedelta(days=30))
    CertificateFactory(product=product, stars=5, score=95, decision_date=DAY - dt.timedelta(days=30))

    [item] = services.browse(CatalogFilters(), today=DAY).items
    assert item.stars == 5


def test_village_counts_agree_with_the_listed_pages(ctx):
    village_product = certified("counted", stars=4)
    certified("expired", decided=DAY - dt.timedelta(days=1100), expires=DAY,
              producer=village_product.producer)
    ProductFactory(slug="draft", status="draft", producer=village_product.producer)

    counts = {v.slug: n for v, n in services.village_directory(today=DAY).villages}
    village = village_product.producer.village.slug
    assert counts[village] == 1
    assert services.browse(CatalogFilters(villages=(village,)), today=DAY).total == 1
