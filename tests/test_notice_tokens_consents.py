"""Zalo's stored tokens are encrypted (NOTIFY_TOKEN_KEY), and notices follow issue 22's consent records.

- ``provider_token`` holds Fernet tokens, never the OA's tokens in clear; a pair stored in plain text
  before is used once more and sealed under the row's lock; a wrong key is said without the token.
- Production refuses to start with a Zalo app but no (valid) NOTIFY_TOKEN_KEY.
- A promotional notice goes only by the channels the account's consents allow; a stop link withdraws
  the consent for its channel (``privacy/notices.py`` through ``notifications.hooks``, wired at start).
"""
import hashlib
import logging
import time
from datetime import timedelta

import pytest
from cryptography.fernet import Fernet

from storefront import create_app
from storefront.config import Config, ConfigError
from storefront.extensions import db
from storefront.notifications import channels, stops, zalo as zalo_provider
from storefront.notifications.models import ProviderToken
from storefront.privacy import consents
from storefront.privacy.models import ConsentRecord, Purpose
from storefront.timeutil import utcnow
from tests.support.channel_support import (  # noqa: F401  (fixtures)
    PHONE, TOKEN_KEY, app, deliveries, esms, esms_settings, sweep, zalo, zalo_settings)
from tests.support.checkout_support import place
from tests.support.factories import OutletFactory, ProductFactory, UserFactory

VALUES = {"order_number": "OC-2026-000001", "amount": "1 đ", "customer_name": "A"}


def _raw_tokens() -> tuple[str | None, str]:
    row = db.session.execute(db.text(
        "SELECT access_token, refresh_token FROM provider_token WHERE provider = 'zalo'")).one()
    return row.access_token, row.refresh_token


def _placed():
    outlet = OutletFactory()
    product = ProductFactory(price=120_000, stock=10, outlets=[outlet])
    return place((product, 1), outlet=outlet)


# --- tokens -----------------------------------------------------------------------------------------

def test_rotated_tokens_are_stored_encrypted_and_never_logged_or_shown(app, zalo, caplog):
    caplog.set_level(logging.DEBUG)
    _placed()
    sweep()
    assert zalo.refreshes == ["refresh-0"] and len(zalo.messages) == 1
    access, refresh = _raw_tokens()
    assert "access-1" not in access and "refresh-1" not in refresh
    fernet = Fernet(TOKEN_KEY)
    assert fernet.decrypt(access.encode()) == b"access-1"
    assert fernet.decrypt(refresh.encode()) == b"refresh-1"
    said = caplog.text + " ".join(d.answer or "" for d in deliveries("order_placed"))
    assert not any(token in said for token in ("access-1", "refresh-1", "refresh-0"))


def test_tokens_kept_in_plain_text_before_are_used_then_sealed_where_read(app, zalo):
    zalo.refresh_token = "refresh-7"  # what the worker had rotated to before encryption came in
    zalo.access_tokens["access-7"] = time.time() + 3600
    db.session.add(ProviderToken(
        provider="zalo", access_token="access-7", refresh_token="refresh-7",
        access_expires_at=utcnow() + timedelta(hours=1),
        seed=hashlib.sha256(b"refresh-0").hexdigest()))
    db.session.commit()
    _placed()
    sweep()
    assert zalo.refreshes == [] and len(zalo.messages) == 1  # the plain access token still served
    access, refresh = _raw_tokens()
    assert access.startswith("gAAAAA") and refresh.startswith("gAAAAA")
    assert zalo_provider._open(access) == ("access-7", False)
    assert zalo_provider._open(refresh) == ("refresh-7", False)
    zalo.expire_tokens()
    _placed()
    sweep()
    assert zalo.refreshes == ["refresh-7"] and len(zalo.messages) == 2  # the sealed one refreshes


def test_tokens_sealed_with_another_key_are_refused_without_showing_them(make_app, zalo, esms):
    app = make_app(**zalo_settings(zalo), **esms_settings(esms))
    with app.app_context():
        _placed()
        sweep()
        db.session.remove()
    other = make_app(**{**zalo_settings(zalo), **esms_settings(esms),
                        "NOTIFY_TOKEN_KEY": Fernet.generate_key().decode()})
    with other.app_context():
        with pytest.raises(zalo_provider.ZaloTokenError, match="NOTIFY_TOKEN_KEY") as refused:
            zalo_provider.access_token()
        assert "access-1" not in str(refused.value) and "refresh-1" not in str(refused.value)
        db.session.remove()
    unset = make_app(**{**zalo_settings(zalo), "NOTIFY_TOKEN_KEY": None})
    with unset.app_context():
        with pytest.raises(zalo_provider.ZaloTokenError, match="NOTIFY_TOKEN_KEY is not set"):
            zalo_provider.access_token()
        db.session.remove()


def test_a_refusal_that_carries_a_token_is_reported_without_it():
    class Half:  # Zalo answered an access token but no refresh token
        status_code = 200
        text = '{"access_token": "access-secret", "expires_in": "90000"}'

        def json(self):
            return {"access_token": "access-secret", "expires_in": "90000"}

    assert "access-secret" not in zalo_provider._refusal(Half())


class Production(Config):
    SECRET_KEY = "x" * 32
    SERVER_NAME_FOR_LINKS = "https://ocop.example.vn"
    OPERATOR_LEGAL_NAME = OPERATOR_ADDRESS = OPERATOR_TAX_CODE = "x"
    OPERATOR_PHONE = OPERATOR_EMAIL = MOIT_NOTICE_URL = "x"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    EINVOICE_PROVIDER = None
    ZALO_APP_ID, ZALO_APP_SECRET, ZALO_REFRESH_TOKEN = "app", "secret", "refresh-0"
    NOTIFY_TOKEN_KEY = None


def test_production_with_zalo_needs_the_key_that_encrypts_its_tokens():
    with pytest.raises(ConfigError, match="NOTIFY_TOKEN_KEY, which is missing"):
        create_app(Production)
    with pytest.raises(ConfigError, match="NOTIFY_TOKEN_KEY must be a Fernet key"):
        create_app(type("BadKey", (Production,), {"NOTIFY_TOKEN_KEY": "not-a-key"}))
    create_app(type("WithKey", (Production,), {"NOTIFY_TOKEN_KEY": TOKEN_KEY}))
    create_app(type("NoZalo", (Production,), {"ZALO_APP_ID": None, "ZALO_APP_SECRET": None,
                                              "ZALO_REFRESH_TOKEN": None}))


# --- consents ---------------------------------------------------------------------------------------

def test_promotional_notices_go_by_the_channels_consented_in_order(app, zalo, esms):
    user = UserFactory(email="khach@example.com", phone="0912345678")
    consents.record_choices(user, {Purpose.NEWS_ZALO, Purpose.NEWS_EMAIL})
    notice = channels.notify("payment_received", locale="vi", phone=user.phone, email=user.email,
                             mail=("news", "Tin mới", "Ưu đãi"), promotional=True, user=user,
                             values=VALUES)
    db.session.commit()
    assert notice.opted_in == "email,zalo"
    zalo.no_zalo.add(PHONE)
    sweep()
    # Zalo refused, SMS has no consent: e-mail takes it
    assert [d.channel for d in notice.deliveries] == ["zalo", "email"] and esms.messages == []

    consents.record_choices(user, set())  # withdrawn in the account: nothing more
    assert channels.notify("payment_received", locale="vi", phone=user.phone, email=user.email,
                           mail=("news", "Tin mới", "Ưu đãi"), promotional=True, user=user,
                           values=VALUES) is None


def test_a_stop_link_withdraws_the_matching_consent(app, zalo, esms, client):
    user = UserFactory(email="Khach@Example.com", phone="0912345678")
    other = UserFactory(email="ban@example.com", phone="0987654321")
    consents.record_choices(user, {Purpose.NEWS_ZALO, Purpose.NEWS_SMS, Purpose.NEWS_EMAIL})
    consents.record_choices(other, {Purpose.NEWS_ZALO})
    tokens = stops.stop_tokens(user.phone, user.email)

    page = client.get(f"/notifications/stop/{tokens['zalo']}").get_data(as_text=True)
    assert "đồng ý đó cũng được rút lại" in page
    assert consents.granted(user) == {Purpose.NEWS_ZALO, Purpose.NEWS_SMS, Purpose.NEWS_EMAIL}
    answer = client.post(f"/notifications/stop/{tokens['zalo']}", follow_redirects=True)
    assert "cũng đã được rút lại" in answer.get_data(as_text=True)
    db.session.expire_all()
    assert consents.granted(user) == {Purpose.NEWS_SMS, Purpose.NEWS_EMAIL}
    assert consents.granted(other) == {Purpose.NEWS_ZALO}  # another phone keeps its consent
    latest = consents.history(user)[-1]
    assert (latest.purpose, latest.granted, latest.channel) == (Purpose.NEWS_ZALO, False,
                                                                 consents.CHANNEL_STOP_LINK)

    client.post(f"/notifications/stop/{tokens['email']}", follow_redirects=True)  # case-blind
    db.session.expire_all()
    assert consents.granted(user) == {Purpose.NEWS_SMS}

    count = db.session.scalar(db.select(db.func.count(ConsentRecord.id)))
    answer = client.post(f"/notifications/stop/{tokens['zalo']}", follow_redirects=True)
    assert "cũng đã được rút lại" not in answer.get_data(as_text=True)  # once: nothing new
    assert db.session.scalar(db.select(db.func.count(ConsentRecord.id))) == count

    notice = channels.notify("payment_received", locale="vi", phone=user.phone, email=user.email,
                             mail=("news", "Tin mới", "Ưu đãi"), promotional=True, user=user,
                             values=VALUES)
    db.session.commit()
    assert [d.channel for d in notice.deliveries] == ["sms"]
