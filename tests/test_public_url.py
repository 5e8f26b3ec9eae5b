"""Production needs ``PUBLIC_URL``, and every absolute link is built from it — never from a forged ``Host``.

Protects mails, QR codes, og:url and Stripe's return from pointing at ``http://127.0.0.1:5000`` in production
or at whatever ``Host`` a client sends (both backends: the mail test stores an outbox row).
"""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from storefront.accounts import links as account_links
from storefront.catalog.links import absolute_url, media_url, public_page_url
from storefront.config import Config, ConfigError
from storefront.extensions import db
from storefront.notifications.models import OutboxMessage
from storefront.orders.links import order_url
from tests.support.factories import OutletFactory, ProductFactory, UserFactory
from tests.support.order_builder import place

ROOT = Path(__file__).resolve().parent.parent
PUBLIC = "https://ocop.example.vn"
FORGED = {"Host": "evil.example", "X-Forwarded-Host": "evil.example"}


def _production(public_url):
    class Production(Config):
        SECRET_KEY = "a-production-secret"
        SERVER_NAME_FOR_LINKS = public_url
        # the operator's identity production also needs (tests/test_legal.py)
        OPERATOR_LEGAL_NAME = OPERATOR_ADDRESS = OPERATOR_TAX_CODE = "x"
        OPERATOR_PHONE = OPERATOR_EMAIL = MOIT_NOTICE_URL = "x"

    return Production


def test_production_refuses_to_start_without_public_url_and_says_how_to_set_it():
    with pytest.raises(ConfigError, match=r"PUBLIC_URL must be set .*PUBLIC_URL=https://"):
        _production(None).validate()


@pytest.mark.parametrize("url", ["http://ocop.example.vn", "ocop.example.vn", "https://", "https://ocop.example.vn/shop",
                                 "https://ocop.example.vn/?x=1", "https://user:pw@ocop.example.vn"])
def test_production_refuses_a_public_url_that_is_not_an_https_scheme_and_host(url):
    with pytest.raises(ConfigError, match="PUBLIC_URL"):
        _production(url).validate()


def test_production_accepts_an_https_public_url():
    _production(PUBLIC).validate()
    _production(PUBLIC + "/").validate()


def test_the_production_profile_reads_public_url_from_the_environment_and_stops_without_it():
    env = {key: value for key, value in os.environ.items() if key not in ("PUBLIC_URL", "APP_ENV")}
    env.update(SECRET_KEY="a-production-secret", DATABASE_URL="sqlite://")
    code = "from storefront import create_app; create_app()"

    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)

    assert result.returncode != 0
    assert "ConfigError: PUBLIC_URL must be set in the environment for production" in result.stderr


def test_og_url_is_the_public_address_whatever_host_is_sent(make_app, db):
    client = make_app(SERVER_NAME_FOR_LINKS=PUBLIC).test_client()

    page = client.get("/products?q=g%C3%B4m&page=2", headers=FORGED).get_data(as_text=True)

    assert re.search(r'<meta property="og:url" content="([^"]*)"', page)[1] == \
        f"{PUBLIC}/products?q=gôm&amp;page=2"  # as request.url wrote it, on the public address
    assert "evil.example" not in page


def test_every_absolute_link_starts_with_public_url_inside_a_forged_request(make_app, db):
    app = make_app(SERVER_NAME_FOR_LINKS=PUBLIC + "/")
    with app.app_context():
        order = place(OutletFactory(), (ProductFactory(), 1)).order
        user = UserFactory()
        with app.test_request_context("/products/x?y=1", headers=FORGED):
            links = [order_url(order, "tok"), absolute_url("static", filename="manifest.webmanifest"),
                     account_links.link_for(account_links.RESET, user), media_url("photos/a.webp", external=True),
                     public_page_url()]
        db.session.remove()

    assert all(link.startswith(PUBLIC + "/") and "evil" not in link for link in links), links
    assert links[-1] == f"{PUBLIC}/products/x?y=1"


def test_a_mail_asked_for_through_a_forged_host_links_to_public_url(make_app, db):
    app = make_app(SERVER_NAME_FOR_LINKS=PUBLIC)
    with app.app_context():
        UserFactory(email="shopper@example.vn")
        db.session.commit()
        app.test_client().post("/auth/forgot", data={"email": "shopper@example.vn"}, headers=FORGED)
        body = db.session.scalars(db.select(OutboxMessage.body)
                                  .where(OutboxMessage.kind == "password_reset")).one()
        db.session.remove()

    assert f"{PUBLIC}/auth/reset/" in body and "evil.example" not in body
