"""Photos and certificate scans on S3-compatible storage (moto's standalone server, real HTTP)."""
import datetime as dt
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest

from storefront import create_app
from storefront.producers.certificates import submit_certificate
from storefront.producers.photos import add_photo, delete_photo
from storefront.storage import LocalStorage, StorageError, get_storage
from storefront.storage_cli import public_photos_policy
from storefront.timeutil import local_today
from tests.conftest import PASSWORD
from tests.support.factories import AdminFactory, ProducerFactory, ProducerUserFactory, ProductFactory
from tests.support.producer_support import PDF, jpeg
from tests.support.s3_server import s3_bucket, s3_server  # noqa: F401  (fixtures)


def fetch(url: str):
    """GET ``url`` anonymously, as a browser would; return (status, headers, body)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture
def s3_app(make_app, s3_server, s3_bucket):
    """An app storing files in a fresh bucket whose policy makes photos/* public."""
    import json

    s3_server.client().put_bucket_policy(Bucket=s3_bucket,
                                         Policy=json.dumps(public_photos_policy(s3_bucket)))
    app = make_app(**s3_server.config(s3_bucket))
    with app.app_context():
        yield app


def sign_in(client, user) -> None:
    """Sign in through the real form (the ``login`` fixture would push the local app)."""
    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302


def scan_of_new_certificate(product):
    return submit_certificate(product, stars=4, score=78, issuing_level="province",
                              decision_number="77/QĐ-UBND",
                              decision_date=local_today() - dt.timedelta(days=30), scan=PDF)


def test_a_photo_is_stored_as_public_renditions_in_the_bucket_with_a_long_cache(
        s3_app, s3_server, s3_bucket):
    product = ProductFactory()

    photo = add_photo(product, jpeg(), "Bình gốm Bát Tràng")

    assert s3_server.keys(s3_bucket) == sorted([photo.small_key, photo.large_key])
    url = get_storage().url(photo.large_key)
    assert url == f"{s3_server.url}/{s3_bucket}/{photo.large_key}"
    status, headers, body = fetch(url)
    assert status == 200 and body[:4] == b"RIFF" and body[8:12] == b"WEBP"
    assert headers["Content-Type"] == "image/webp"
    assert "max-age=31536000" in headers["Cache-Control"] and "public" in headers["Cache-Control"]


def test_the_product_page_links_photos_to_the_cdn_when_one_is_set(
        make_app, s3_server, s3_bucket):
    app = make_app(**s3_server.config(s3_bucket, S3_PUBLIC_BASE_URL="https://cdn.example.vn/ocop"))
    with app.app_context():
        product = ProductFactory()
        photo = add_photo(product, jpeg(), "Lụa Vạn Phúc")
        page = app.test_client().get(f"/products/{product.slug}").get_data(as_text=True)

    assert f"https://cdn.example.vn/ocop/{photo.large_key}" in page


def test_deleting_a_photo_removes_its_objects_from_the_bucket(s3_app, s3_server, s3_bucket):
    product = ProductFactory()
    keep = add_photo(product, jpeg(), "Ảnh 1")
    gone = add_photo(product, jpeg(size=(900, 700)), "Ảnh 2")

    delete_photo(gone)

    assert s3_server.keys(s3_bucket) == sorted([keep.small_key, keep.large_key])


def test_a_scan_is_private_in_the_bucket_and_reached_only_through_a_short_presigned_url(
        s3_app, s3_server, s3_bucket):
    owner = ProducerUserFactory(producer=ProducerFactory(status="verified"))
    certificate = scan_of_new_certificate(ProductFactory(producer=owner.producer))
    key = certificate.scan_key

    assert key.startswith("certificates/") and key in s3_server.keys(s3_bucket)
    assert fetch(f"{s3_server.url}/{s3_bucket}/{key}")[0] == 403  # not public
    with pytest.raises(ValueError):
        get_storage().url(key)  # a scan has no public address at all

    client = s3_app.test_client()
    sign_in(client, owner)
    response = client.get(f"/scans/{key}")

    assert response.status_code == 303
    assert response.headers["Cache-Control"] == "private, no-store"
    signed = response.headers["Location"]
    query = parse_qs(urlsplit(signed).query)
    assert int(query["X-Amz-Expires"][0]) <= 300 and "X-Amz-Signature" in query
    status, headers, body = fetch(signed)
    assert (status, body) == (200, PDF)
    assert headers["Cache-Control"] == "private, no-store"


def test_a_scan_link_is_given_to_admins_but_not_to_other_producers_or_strangers(
        s3_app):
    owner = ProducerUserFactory(producer=ProducerFactory(status="verified"))
    key = scan_of_new_certificate(ProductFactory(producer=owner.producer)).scan_key
    other = ProducerUserFactory(producer=ProducerFactory(status="verified"))
    admin = AdminFactory()

    anonymous = s3_app.test_client().get(f"/scans/{key}")
    assert anonymous.status_code == 302 and "/auth/login" in anonymous.headers["Location"]
    for user, status in ((other, 404), (admin, 303)):
        client = s3_app.test_client()
        sign_in(client, user)
        response = client.get(f"/scans/{key}")
        assert response.status_code == status
        assert ("X-Amz-Signature" in response.headers.get("Location", "")) == (status == 303)


def test_a_missing_bucket_stops_the_start_up_with_its_name(database_url, s3_server, tmp_path):
    config = {"SQLALCHEMY_DATABASE_URI": database_url, "MEDIA_ROOT": str(tmp_path),
              **s3_server.config("no-such-bucket")}
    from storefront.config import TestingConfig

    class Config(TestingConfig):
        pass

    for name, value in config.items():
        setattr(Config, name, value)

    with pytest.raises(StorageError, match="'no-such-bucket' does not exist"):
        create_app(Config)


def test_storage_migrate_copies_local_files_to_the_bucket_once(
        make_app, s3_server, s3_bucket):
    local_app = make_app()
    with local_app.app_context():
        product = ProductFactory()
        photo = add_photo(product, jpeg(), "Ảnh")
        photo_keys = [photo.small_key, photo.large_key]
        scan = scan_of_new_certificate(product).scan_key
    app = make_app(**s3_server.config(s3_bucket), MEDIA_ROOT=local_app.config["MEDIA_ROOT"],
                   PRIVATE_MEDIA_ROOT=local_app.config["PRIVATE_MEDIA_ROOT"])
    runner = app.test_cli_runner()

    first = runner.invoke(args=["storage", "migrate", "--to", "s3"])
    again = runner.invoke(args=["storage", "migrate", "--to", "s3"])

    assert first.exit_code == 0 and "copied: 3, already there: 0" in first.output, first.output
    assert again.exit_code == 0 and "copied: 0, already there: 3" in again.output
    assert s3_server.keys(s3_bucket) == sorted([*photo_keys, scan])
    with app.app_context():
        assert get_storage().open(scan) == PDF


def test_local_scans_live_outside_media_and_media_refuses_them(app, db, client, login):
    owner = ProducerUserFactory(producer=ProducerFactory(status="verified"))
    key = scan_of_new_certificate(ProductFactory(producer=owner.producer)).scan_key
    storage = get_storage()

    assert isinstance(storage, LocalStorage)
    assert (storage.private_root / key).read_bytes() == PDF
    assert not (storage.root / key).exists()
    assert client.get(f"/media/{key}").status_code == 404

    login(owner)
    response = client.get(f"/scans/{key}")
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.mimetype == "application/pdf"
