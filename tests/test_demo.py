"""``flask seed-demo`` fills a development database with a complete demo, once, and never in production."""
from collections import Counter
from pathlib import Path

from sqlalchemy import func, select

from storefront.extensions import db
from storefront.models import (
    Certificate, Outlet, Photo, Producer, Product, User, Village, product_outlets,
)
from storefront.timeutil import local_today
from tests.support.factories import VillageFactory

COUNTED = (Village, Outlet, Producer, Product, Certificate, Photo, User, product_outlets)
BANDS = {3: range(50, 70), 4: range(70, 90), 5: range(90, 101)}


def _row_counts() -> dict[str, int]:
    return {getattr(t, "__tablename__", getattr(t, "name", None)): db.session.scalar(
        select(func.count()).select_from(t)) for t in COUNTED}


def _valid_certificates():
    return select(Certificate).where(Certificate.status == "verified",
                                     Certificate.expires_on > local_today())


def _listed() -> dict[Product, Certificate]:
    """Return each listed product with the certificate that lists it (the listing rule, spelled out)."""
    valid = _valid_certificates().subquery()
    rows = db.session.execute(
        select(Product, Certificate)
        .join(Producer, Producer.id == Product.producer_id)
        .join(valid, valid.c.product_id == Product.id)
        .join(Certificate, Certificate.id == valid.c.id)
        .where(Product.status == "published", Producer.status == "verified")
    ).all()
    return {product: certificate for product, certificate in rows}


def _seed(runner, *args):
    result = runner.invoke(args=["seed-demo", *args])
    assert result.exit_code == 0, result.output
    return result


def test_seeding_twice_builds_one_complete_demo(app):
    runner = app.test_cli_runner()
    first = _seed(runner)
    counts = _row_counts()
    second = _seed(runner)

    assert _row_counts() == counts
    assert "nothing created" in second.output
    for output in (first.output, second.output):
        assert "producer@ocop.local" in output and "demo-password-2026" in output
    listed = _listed()
    _assert_catalogue(listed)
    _assert_certificates(listed)
    _assert_unlisted_examples(listed)
    _assert_accounts()
    _assert_outlets(listed)
    _assert_photos_on_disk(app, listed)


def _assert_catalogue(listed):
    producers = db.session.scalars(select(Producer)).all()
    assert len(producers) >= 12
    assert Counter(p.status for p in producers)["pending"] == 1
    assert {p.kind for p in producers} == {"cooperative", "enterprise", "household"}
    assert len(listed) >= 60
    assert {p.group for p in listed} == {"food", "beverages", "herbal", "handicrafts", "ornamental", "tourism"}
    assert {c.stars for c in listed.values()} == {3, 4, 5}
    assert any(p.stock == 0 for p in listed), "some listed products are sold out"
    assert all(p.search_text and p.price > 0 for p in listed)
    bat_trang = db.session.scalar(select(Village).where(Village.slug == "bat-trang"))
    assert (bat_trang.commune, bat_trang.district) == ("xã Bát Tràng", "Gia Lâm")
    assert db.session.scalar(select(func.count(Village.id))) >= 14


def _assert_certificates(listed):
    for certificate in listed.values():
        assert certificate.score in BANDS[certificate.stars]
        assert certificate.expires_on == Certificate.expiry_for(certificate.decision_date)
        if certificate.stars == 5:
            assert certificate.issuing_level == "central"
        elif certificate.issuing_level == "district":
            assert certificate.decision_date.isoformat() < "2025-07-01"
        else:
            assert certificate.issuing_level == "province"
    assert "district" in {c.issuing_level for c in listed.values()}


def _assert_unlisted_examples(listed):
    unlisted = set(db.session.scalars(select(Product))) - set(listed)
    expired = [p for p in unlisted if p.certificates and p.certificates[0].expires_on <= local_today()]
    pending = [p for p in unlisted if p.certificates and p.certificates[0].status == "pending"]
    drafts = [p for p in unlisted if p.status == "draft"]
    assert expired and pending and drafts


def _assert_accounts():
    users = {u.email: u for u in db.session.scalars(select(User))}
    assert {u.role for u in users.values()} == {"admin", "producer", "outlet_staff", "shopper"}
    producer_user = users["producer@ocop.local"]
    assert producer_user.producer.verified and producer_user.producer.products
    assert users["outlet@ocop.local"].outlet.village.slug == "bat-trang"
    assert users["shopper@ocop.local"].check_password("demo-password-2026")


def _assert_outlets(listed):
    outlets = db.session.scalars(select(Outlet)).all()
    assert {o.place_type for o in outlets} >= {"craft_village", "tourist_area", "supermarket", "market",
                                               "transport_hub"}
    assert all(1 <= len(p.outlets) <= 3 for p in listed)
    assert any(
        a.producer.village_id != b.producer.village_id and not set(a.outlets) & set(b.outlets)
        for a in listed for b in listed
    ), "two villages' products share no outlet, so checkout splits the order"


def _assert_photos_on_disk(app, listed):
    media = Path(app.config["MEDIA_ROOT"])
    for product in listed:
        assert 1 <= len(product.photos) <= 3
        for photo in product.photos:
            assert (media / photo.small_key).is_file() and (media / photo.large_key).is_file()


def test_if_empty_leaves_a_database_with_villages_alone(app):
    VillageFactory()

    result = _seed(app.test_cli_runner(), "--if-empty")

    assert db.session.scalar(select(func.count(Product.id))) == 0
    assert db.session.scalar(select(func.count(Village.id))) == 1
    assert "admin@ocop.local" in result.output


def test_seeding_is_refused_in_production(make_app):
    app = make_app(ENV_NAME="production")

    result = app.test_cli_runner().invoke(args=["seed-demo"])

    assert result.exit_code != 0
    assert "production" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Village.id))) == 0
        assert db.session.scalar(select(func.count(User.id))) == 0
