"""Configuration fails closed in production."""
import pytest

from storefront import create_app
from storefront.config import Config, ConfigError, database_url, profile_from_env


def test_production_refuses_to_start_without_secret_key():
    class Production(Config):
        SECRET_KEY = None

    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app(Production)


def test_unknown_profile_is_refused(monkeypatch):
    monkeypatch.setenv("APP_ENV", "staging")
    with pytest.raises(ConfigError, match="APP_ENV"):
        profile_from_env()


def test_postgres_urls_use_psycopg3():
    assert database_url("postgres://u@h/d", "x") == "postgresql+psycopg://u@h/d"
    assert database_url("postgresql://u@h/d", "x") == "postgresql+psycopg://u@h/d"
    assert database_url(None, "sqlite:///a.db") == "sqlite:///a.db"


def test_healthz_answers_when_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "checks": {
        "database": "ok", "redis": "not configured", "storage": "ok", "queue": "ok"}}


def test_session_cookie_flags(app):
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["REMEMBER_COOKIE_DURATION"] <= 30 * 24 * 3600


def test_production_hashes_passwords_at_full_argon2_cost_and_tests_cheaply():
    from argon2 import PasswordHasher

    from storefront.config import TestingConfig

    strong = PasswordHasher()  # argon2-cffi's defaults: RFC 9106 low-memory profile
    assert (Config.PASSWORD_HASH_TIME_COST, Config.PASSWORD_HASH_MEMORY_KIB,
            Config.PASSWORD_HASH_PARALLELISM) == (strong.time_cost, strong.memory_cost,
                                                  strong.parallelism)
    assert Config.PASSWORD_HASH_MEMORY_KIB >= 65536 and Config.PASSWORD_HASH_TIME_COST >= 3
    assert TestingConfig.PASSWORD_HASH_MEMORY_KIB < Config.PASSWORD_HASH_MEMORY_KIB


def test_a_password_hash_carries_the_configured_cost(app):
    from tests.support.factories import UserFactory

    user = UserFactory()
    assert user.password_hash.startswith("$argon2id$v=19$m=8,t=1,p=1$")
    assert user.check_password("correct horse battery staple")
