"""Every form post needs its CSRF token (the Stripe webhook, signed by Stripe, is the one exception)."""
import re

import pytest
from sqlalchemy import func, select
from werkzeug.routing import AnyConverter, IntegerConverter

from storefront.accounts.models import User
from storefront.catalog.models import Producer
from tests.support.factories import (
    PASSWORD, AdminFactory, CertificateFactory, OutletFactory, ProducerFactory, ProductFactory,
    UserFactory,
)

EXEMPT_BLUEPRINTS = {"webhooks"}  # Stripe signs its events, the bank service sends a key
EXEMPT_ENDPOINTS = set()
FORM = {"name": "Nguyễn Văn An", "email": "csrf-probe@example.com", "password": PASSWORD,
        "confirm": PASSWORD, "note": "lý do", "quantity": "1", "product_id": "1"}


@pytest.fixture
def csrf_app(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        yield app


@pytest.fixture
def rows(csrf_app):
    """One real row of each kind, so URL ids point at something that exists."""
    product = ProductFactory(producer__status="pending")
    certificate = CertificateFactory(product=product, status="pending")
    return {"product": product.id, "producer": product.producer_id,
            "village": product.producer.village_id, "certificate": certificate.id,
            "outlet": OutletFactory().id, "user": UserFactory().id, "photo": 1, "order": 1}


def _sign_in(client, user) -> None:
    """Put ``user`` in the session directly: signing in through the form would need a token."""
    with client.session_transaction() as sess:
        sess["_user_id"] = user.get_id()
        sess["_fresh"] = True


def _value(name: str, converter, ids: dict):
    if isinstance(converter, AnyConverter):
        return sorted(converter.items)[0]
    if isinstance(converter, IntegerConverter):
        return ids.get(name.removesuffix("_id"), 1)
    return "1"


def _post_rules(app):
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods and rule.endpoint.split(".")[0] not in EXEMPT_BLUEPRINTS \
                and rule.endpoint not in EXEMPT_ENDPOINTS:
            yield rule


def _url(rule, ids: dict) -> str:
    values = {name: _value(name, rule._converters[name], ids) for name in rule.arguments}
    return rule.build(values)[1]


def _csrf_refusal(response) -> bool:
    """Tell a refusal for the missing token from a 400 for any other reason."""
    body = response.get_data(as_text=True)
    return "CSRF" in body or "Phiên làm việc của biểu mẫu đã hết hạn" in body


def test_every_post_route_refuses_a_request_without_csrf_token(csrf_app, rows):
    client = csrf_app.test_client()
    _sign_in(client, AdminFactory())
    rules = list(_post_rules(csrf_app))
    assert len(rules) >= 10  # the sweep really covers the app

    accepted = {}
    for rule in rules:
        response = client.post(_url(rule, rows), data=FORM)
        if response.status_code != 400 or not _csrf_refusal(response):
            accepted[rule.rule] = response.status_code

    assert accepted == {}


def test_registration_without_token_creates_no_account(csrf_app, db):
    client = csrf_app.test_client()

    response = client.post("/auth/register", data=FORM)

    assert response.status_code == 400
    assert "Phiên làm việc của biểu mẫu đã hết hạn" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_admin_verify_without_token_leaves_the_producer_pending(csrf_app, db):
    producer = ProducerFactory(status="pending")
    client = csrf_app.test_client()
    _sign_in(client, AdminFactory())

    response = client.post(f"/admin/producers/{producer.id}/verify", data={"note": ""})

    assert response.status_code == 400
    assert db.session.scalar(select(Producer.status).where(Producer.id == producer.id)) == "pending"


def test_registration_with_the_pages_token_is_accepted(csrf_app, db):
    client = csrf_app.test_client()
    page = client.get("/auth/register").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)

    response = client.post("/auth/register", data={**FORM, "csrf_token": token})

    assert response.status_code == 302
    assert db.session.scalar(select(User.email)) == "csrf-probe@example.com"


def test_sign_out_without_token_keeps_the_user_signed_in(csrf_app):
    client = csrf_app.test_client()
    _sign_in(client, UserFactory())

    assert client.post("/auth/logout").status_code == 400
    assert client.get("/auth/account").status_code == 200
