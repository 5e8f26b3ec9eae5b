"""The listing table says what the listing rule says, after any write, on any day.

The rule has one home (``storefront/catalog/listing.py``); the catalogue reads the listing table
kept in step with writes (``listing_table.py``). These tests check that every place agrees:
the Python rule on a loaded product, the rule's SQL over the source tables, the table, and the
pages shoppers see.
"""
import datetime as dt
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import select

from storefront.admin.places import save_village
from storefront.catalog import listing, services
from storefront.catalog.filters import CatalogFilters
from storefront.catalog.listing_counts import ALL_VILLAGES, ListingCount, expand
from storefront.catalog.listing_table import ListingRow, counts_ready, grouped, listed_on
from storefront.catalog.models import Certificate, Product
from storefront.extensions import db
from storefront.producers.overview import overview
from storefront.timeutil import local_today
from tests.conftest import _empty_tables
from tests.support.factories import AdminFactory, CertificateFactory, ProducerFactory, ProductFactory, VillageFactory

DAY = dt.date(2026, 3, 10)


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


def by_table(day) -> set:
    """Return (product id, certificate id, stars) of every row listing a product on ``day``."""
    stmt = select(ListingRow.product_id, ListingRow.certificate_id, ListingRow.stars).where(*listed_on(day))
    return set(db.session.execute(stmt).all())


def by_rule_sql(day) -> set:
    return set(db.session.execute(listing.listed_on_sql(day)).all())


def by_rule_python(day) -> set:
    found = set()
    for product in db.session.scalars(select(Product)):
        current = listing.current_certificate(product, day)
        if listing.is_listed(product, day):
            found.add((product.id, current.id, current.stars))
    return found


def kept_counts_agree(day) -> None:
    """The kept facet counts are those of the listing table on ``day`` (moved on to it first)."""
    assert counts_ready(day)
    db.session.rollback()  # see what counts_ready committed on its own connection
    cells = list(db.session.scalars(select(ListingCount)))
    kept = {(c.star_set, c.group_key, c.village_id): c.n for c in cells}
    rows = grouped(db.session.connection(), ListingRow.product_id.isnot(None), day)
    expected = {cell: n for cell, n in expand(rows).items() if n}
    assert kept == expected
    # Each every-village row knows how many villages have a product in its cell.
    villages = Counter((s, g) for s, g, village in expected if village != ALL_VILLAGES)
    assert {(c.star_set, c.group_key): c.villages for c in cells if c.village_id == ALL_VILLAGES} == villages


def table_columns_match_sources() -> None:
    """Every row carries its product's current price, group, village and search text."""
    for row in db.session.scalars(select(ListingRow)):
        product = db.session.get(Product, row.product_id)
        assert (row.price, row.group, row.search_text, row.producer_id, row.village_id) == (
            product.price, product.group, product.search_text, product.producer_id,
            product.producer.village_id)


def test_two_certificates_sharing_a_decision_date_the_one_entered_last_gives_the_stars(ctx):
    product = ProductFactory(slug="hai-chung-nhan", certified=False)
    decided = DAY - dt.timedelta(days=30)
    first = CertificateFactory(product=product, stars=5, score=95, decision_date=decided)
    last = CertificateFactory(product=product, stars=3, score=60, decision_date=decided)
    db.session.expire_all()
    product = db.session.get(Product, product.id)

    assert listing.current_certificate(product, DAY) == last
    assert product.current_certificate(DAY) == last
    assert by_rule_sql(DAY) == by_table(DAY) == by_rule_python(DAY) == {(product.id, last.id, 3)}
    page = services.browse(CatalogFilters(), today=DAY, facets=True)
    assert [(item.product.slug, item.stars) for item in page.items] == [("hai-chung-nhan", 3)]
    assert [(c.value, c.count) for c in page.facets.stars if c.count] == [(3, 1)]
    assert services.browse(CatalogFilters(stars=(5,)), today=DAY).total == 0
    detail = services.product_detail("hai-chung-nhan", today=DAY)
    assert (detail.stars, detail.certificate) == (3, last)
    assert overview(product, DAY).listed and first.id < last.id


def test_when_the_current_certificate_expires_an_older_one_that_outlives_it_takes_over(ctx):
    product = ProductFactory(slug="gia-han", certified=False)
    older = CertificateFactory(product=product, stars=3, score=60, decision_date=DAY - dt.timedelta(days=400),
                               expires_on=DAY + dt.timedelta(days=20))
    newer = CertificateFactory(product=product, stars=5, score=95, decision_date=DAY - dt.timedelta(days=10),
                               expires_on=DAY + dt.timedelta(days=5))

    for day, expected in ((DAY, {(product.id, newer.id, 5)}),
                          (DAY + dt.timedelta(days=5), {(product.id, older.id, 3)}),
                          (DAY + dt.timedelta(days=20), set())):
        assert by_table(day) == by_rule_sql(day) == by_rule_python(day) == expected


def test_a_revoked_certificate_does_not_count_and_the_producer_is_told_why(ctx):
    product = ProductFactory(slug="thu-hoi", certified=False)
    certificate = CertificateFactory(product=product, decision_date=DAY - dt.timedelta(days=30))
    assert by_table(DAY) == {(product.id, certificate.id, 4)}

    certificate.status = "revoked"
    db.session.commit()

    assert by_table(DAY) == by_rule_sql(DAY) == set()
    assert listing.reasons_not_listed(product, DAY) == ["certificate_revoked"]
    assert str(listing.REASONS["certificate_revoked"])


def test_why_a_product_is_not_listed_names_every_reason(ctx):
    producer = ProducerFactory(status="pending")
    product = ProductFactory(producer=producer, status="draft", certified=False)
    CertificateFactory(product=product, status="pending")

    assert listing.reasons_not_listed(product, DAY) == ["draft", "producer_pending", "certificate_pending"]
    assert not listing.is_listed(product, DAY)


# --- any sequence of writes -------------------------------------------------------------------

OPERATIONS = ("publish", "unpublish", "archive", "verify", "reject", "revoke", "new_certificate",
              "day_passes", "suspend_producer", "verify_producer", "rename_village", "price",
              "move_producer")


def _world(day):
    """Two villages, three producers, five products with 0–2 certificates each (ids in order)."""
    villages = [VillageFactory(), VillageFactory()]
    producers = [ProducerFactory(village=villages[i % 2]) for i in range(3)]
    products = [ProductFactory(producer=producers[i % 3], certified=False) for i in range(5)]
    for i, product in enumerate(products):
        for k in range(i % 3):
            CertificateFactory(product=product, stars=3 + (i + k) % 3, score=(60, 80, 95)[(i + k) % 3],
                               decision_date=day - dt.timedelta(days=200 - 40 * k),
                               expires_on=day + dt.timedelta(days=10 * (i + 1) + 7 * k))
    return villages, producers, products


def _apply(op: str, n: int, world, admin, today):
    villages, producers, products = world
    product = products[n % len(products)]
    certificates = sorted(product.certificates, key=lambda c: c.id)
    certificate = certificates[n % len(certificates)] if certificates else None
    if op == "publish":
        product.status = "published"
    elif op == "unpublish":
        product.status = "draft"
    elif op == "archive":
        product.status = "archived"
    elif op in ("verify", "reject", "revoke") and certificate is not None:
        certificate.status = {"verify": "verified", "reject": "rejected", "revoke": "revoked"}[op]
    elif op == "new_certificate":
        decided = today - dt.timedelta(days=n % 5)  # same decision date as another, often
        db.session.add(Certificate(product=product, stars=3 + n % 3, score=(60, 80, 95)[n % 3],
                                   issuing_level="province", decision_number=f"{n}/QĐ",
                                   decision_date=decided, expires_on=today + dt.timedelta(days=1 + n % 30),
                                   status="verified"))
    elif op == "day_passes":
        return today + dt.timedelta(days=1 + n % 15)
    elif op == "suspend_producer":
        producers[n % 3].status = ("pending", "rejected")[n % 2]
    elif op == "verify_producer":
        producers[n % 3].status = "verified"
    elif op == "rename_village":
        village = villages[n % 2]
        save_village(village, by=admin, values={"name": f"Làng Đổi Tên {n}", "slug": village.slug})
        return today
    elif op == "price":
        product.price = 1000 * (n + 1)
    elif op == "move_producer":
        producers[n % 3].village = villages[(n + 1) % 2]
    db.session.commit()
    return today


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sampled_from(OPERATIONS), st.integers(0, 40)), min_size=1, max_size=12))
def test_the_listing_table_never_disagrees_with_the_rule_after_any_write(ctx, steps):
    db.session.rollback()  # TRUNCATE on PostgreSQL waits for every open transaction
    _empty_tables()
    db.session.expire_all()
    # The kept counts start at the first write's today and only move forward.
    today = local_today()
    world, admin = _world(today), AdminFactory()
    for op, n in steps:
        today = _apply(op, n, world, admin, today)
        db.session.expire_all()
        for day in (today, today + dt.timedelta(days=9)):
            assert by_table(day) == by_rule_sql(day) == by_rule_python(day), (op, n, day)
        table_columns_match_sources()
        kept_counts_agree(today)
    page = services.browse(CatalogFilters(per_page=50), today=today, facets=True)
    listed = by_rule_python(today)
    assert {i.product.id for i in page.items} == {product_id for product_id, _c, _s in listed}
    assert page.total == len(listed)
    assert {c.value: c.count for c in page.facets.stars if c.count} == {
        s: sum(1 for *_ids, stars in listed if stars == s) for s in {stars for *_ids, stars in listed}}
