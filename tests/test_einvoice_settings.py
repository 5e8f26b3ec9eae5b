"""E-invoices, finished: a producer keeps its own provider account when producers sell (encrypted,
never shown back, its own password asked), production refuses incomplete e-invoice settings, the
checkout review shows the company invoice, and PostgreSQL itself keeps issued invoices final."""
import re

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from storefront import create_app
from storefront.config import Config, ConfigError
from storefront.extensions import db
from storefront.invoices import accounts
from storefront.invoices.models import InvoiceStatus, ProviderAccount
from tests.support.checkout_support import make_shop
from tests.support.einvoice_server import (  # noqa: F401
    CREDENTIALS_KEY, SERIES, einvoice_app, einvoice_config, einvoice_server,
)
from tests.support.factories import PASSWORD, ProducerUserFactory, ProductFactory
from tests.test_einvoice_pages import COMPANY, _checkout
from tests.test_einvoices import _hand_over, _invoices, _ready_pickup

ACCOUNT = {"tax_code": "0101245486", "username": "hoptac-1", "password": "bí-mật-1",
           "template_code": "1/002", "series": "C26TAA", "current_password": PASSWORD}


@pytest.fixture
def producer_mode(make_app, einvoice_server):
    app = make_app(**einvoice_config(einvoice_server.url, SELLER_OF_RECORD="producer"))
    with app.app_context():
        yield app
        db.session.remove()


def _signed_in_producer(app, tax_code="0101245486"):
    user = ProducerUserFactory(producer__tax_code=tax_code)
    client = app.test_client()
    assert client.post("/auth/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    return client, user


def test_a_producer_keeps_its_own_account_encrypted_and_never_sees_the_password_again(producer_mode):
    client, user = _signed_in_producer(producer_mode)
    page = client.get("/producer/einvoice-account").get_data(as_text=True)
    assert 'id="einvoice-account-form"' in page and "/producer/einvoice-account" in page  # in the nav
    answer = client.post("/producer/einvoice-account", data=ACCOUNT)
    assert answer.status_code == 303
    kept = db.session.scalar(db.select(ProviderAccount))
    assert (kept.provider, kept.username, kept.template_code, kept.series) == ("viettel", "hoptac-1", "1/002", "C26TAA")
    assert "bí-mật-1" not in kept.password_encrypted and kept.password_changed_at is not None
    assert accounts.producer_account(user.producer).password == "bí-mật-1"
    page = client.get("/producer/einvoice-account").get_data(as_text=True)
    assert "bí-mật-1" not in page and 'id="einvoice-password-state"' in page and "Đã đặt mật khẩu" in page
    assert 'name="password" type="password" value=""' in page or 'value="bí' not in page

    # An empty password keeps the one kept; anything changes only with the producer's own password.
    changed_at = kept.password_changed_at
    refused = client.post("/producer/einvoice-account", data={**ACCOUNT, "password": "",
                                                             "series": "C26TAB", "current_password": "sai"})
    assert refused.status_code == 422 and "Mật khẩu hiện tại không đúng" in refused.get_data(as_text=True)
    assert client.post("/producer/einvoice-account",
                       data={**ACCOUNT, "password": "", "series": "C26TAB"}).status_code == 303
    db.session.expire_all()
    kept = db.session.scalar(db.select(ProviderAccount))
    assert kept.series == "C26TAB" and kept.password_changed_at == changed_at
    assert accounts.producer_account(user.producer).password == "bí-mật-1"


def test_the_tax_code_is_checked_and_must_be_the_producers_own(producer_mode):
    client, _user = _signed_in_producer(producer_mode)
    bad = client.post("/producer/einvoice-account", data={**ACCOUNT, "tax_code": "0101245487"})
    assert bad.status_code == 422 and "Mã số thuế không hợp lệ" in bad.get_data(as_text=True)
    other = client.post("/producer/einvoice-account", data={**ACCOUNT, "tax_code": "0100109106"})
    assert other.status_code == 422 and "0101245486" in other.get_data(as_text=True)
    new_without_password = client.post("/producer/einvoice-account", data={**ACCOUNT, "password": ""})
    assert new_without_password.status_code == 422
    assert db.session.scalars(db.select(ProviderAccount)).all() == []


def test_an_account_entered_on_the_page_issues_that_producers_invoice(producer_mode, einvoice_server):
    einvoice_server.add_account("hoptac-1", "bí-mật-1", "0101245486", "1/002", "C26TAA")
    client, user = _signed_in_producer(producer_mode)
    client.post("/producer/einvoice-account", data=ACCOUNT)
    pickup, staff = _ready_pickup((ProductFactory(producer=user.producer, price=150_000, stock=3), 1))
    _hand_over(pickup, staff)
    (invoice,) = _invoices()
    assert invoice.status == InvoiceStatus.ISSUED and invoice.series == "C26TAA"
    assert einvoice_server.created("0101245486")[0].body["sellerInfo"]["sellerTaxCode"] == "0101245486"


@pytest.mark.parametrize("settings", [{}, {"SELLER_OF_RECORD": "producer"}], ids=["no-provider", "operator-sells"])
def test_the_page_is_only_there_when_producers_sell_and_invoices_are_issued(make_app, einvoice_server, settings):
    config = einvoice_config(einvoice_server.url) if not settings else {"SELLER_OF_RECORD": "producer"}
    app = make_app(**config)
    with app.app_context():
        client, _user = _signed_in_producer(app)
        assert client.get("/producer/einvoice-account").status_code == 404
        assert "/producer/einvoice-account" not in client.get("/producer/").get_data(as_text=True)
        db.session.remove()


# --- production refuses incomplete e-invoice settings ---------------------------------------------

class Production(Config):
    SECRET_KEY = "x" * 32
    SERVER_NAME_FOR_LINKS = "https://ocop.example.vn"
    OPERATOR_LEGAL_NAME = OPERATOR_ADDRESS = OPERATOR_TAX_CODE = "x"
    OPERATOR_PHONE = OPERATOR_EMAIL = MOIT_NOTICE_URL = "x"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    EINVOICE_PROVIDER = "viettel"
    EINVOICE_URL = "https://api-vinvoice.viettel.vn"
    EINVOICE_USERNAME, EINVOICE_PASSWORD = "0100109106-509", "secret"
    EINVOICE_TEMPLATE_CODE, EINVOICE_SERIES = "1/001", "C26TOC"
    EINVOICE_CREDENTIALS_KEY = None


@pytest.mark.parametrize("missing", ["EINVOICE_URL", "EINVOICE_USERNAME", "EINVOICE_PASSWORD",
                                     "EINVOICE_TEMPLATE_CODE", "EINVOICE_SERIES"])
def test_production_refuses_to_start_with_a_provider_but_a_setting_missing(missing):
    incomplete = type("Incomplete", (Production,), {missing: None})
    with pytest.raises(ConfigError, match=f"EINVOICE_PROVIDER=viettel is set.*missing: {missing}"):
        create_app(incomplete)


def test_when_producers_sell_production_needs_the_key_that_encrypts_their_passwords():
    producers = type("Producers", (Production,), {"SELLER_OF_RECORD": "producer"})
    with pytest.raises(ConfigError, match="missing: EINVOICE_CREDENTIALS_KEY"):
        create_app(producers)
    with pytest.raises(ConfigError, match="must be a Fernet key"):
        create_app(type("BadKey", (producers,), {"EINVOICE_CREDENTIALS_KEY": "not-a-key"}))
    with pytest.raises(ConfigError, match="EINVOICE_PROVIDER must be one of viettel"):
        create_app(type("Unknown", (Production,), {"EINVOICE_PROVIDER": "vnpt"}))


def test_production_starts_with_complete_settings_or_without_a_provider():
    create_app(Production)
    create_app(type("Producers", (Production,), {"SELLER_OF_RECORD": "producer",
                                                 "EINVOICE_CREDENTIALS_KEY": CREDENTIALS_KEY}))
    create_app(type("NoInvoices", (Production,), {"EINVOICE_PROVIDER": None, "EINVOICE_USERNAME": None}))


# --- the checkout review --------------------------------------------------------------------------

def test_the_review_page_shows_the_company_invoice_asked_for(client, db):
    shop = make_shop()
    _checkout(client, shop, **COMPANY)
    page = client.get("/checkout/review").get_data(as_text=True)
    assert 'class="mb-1 review-company"' in page
    for value in ("CÔNG TY CP QUÀ TẶNG VIỆT", "0101245486", "5 Lý Thái Tổ, Hà Nội", "ketoan@quatang.vn"):
        assert value in page


def test_the_review_page_shows_no_company_when_none_was_asked(client, db):
    shop = make_shop()
    _checkout(client, shop)
    assert "review-company" not in client.get("/checkout/review").get_data(as_text=True)


# --- PostgreSQL keeps issued invoices final -------------------------------------------------------

def test_on_postgresql_the_database_refuses_to_change_or_delete_an_issued_invoice(einvoice_app, einvoice_server):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the triggers are PostgreSQL's")
    pickup, staff = _ready_pickup((ProductFactory(price=100_000, stock=5), 2))
    _hand_over(pickup, staff)
    (invoice,) = _invoices()
    assert invoice.status == InvoiceStatus.ISSUED
    for statement in ("UPDATE invoice SET total_tax = 0, total_without_tax = total_with_tax WHERE id = :i",
                      "UPDATE invoice SET status = 'pending' WHERE id = :i",
                      "DELETE FROM invoice WHERE id = :i",
                      "UPDATE invoice_line SET name = 'khác' WHERE invoice_id = :i",
                      "DELETE FROM invoice_line WHERE invoice_id = :i"):
        with pytest.raises(DBAPIError, match="is issued"):
            with db.engine.begin() as connection:
                connection.execute(text(statement), {"i": invoice.id})
    with db.engine.begin() as connection:  # only the key of its kept PDF may be written
        connection.execute(text("UPDATE invoice SET pdf_key = 'invoices/x.pdf' WHERE id = :i"), {"i": invoice.id})
    (invoice,) = _invoices()
    assert invoice.total_with_tax == 200_000 and len(invoice.lines) == 1 and invoice.pdf_key == "invoices/x.pdf"


def test_on_postgresql_a_pending_invoice_is_still_completed(einvoice_app, einvoice_server):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the triggers are PostgreSQL's")
    einvoice_server.down = True
    pickup, staff = _ready_pickup((ProductFactory(price=100_000, stock=5), 1))
    _hand_over(pickup, staff)
    einvoice_server.down = False
    from datetime import timedelta

    from storefront.invoices import services
    from storefront.timeutil import utcnow

    services.retry_due(now=utcnow() + timedelta(minutes=5))
    assert _invoices()[0].status == InvoiceStatus.ISSUED and _invoices()[0].number.startswith(SERIES)
