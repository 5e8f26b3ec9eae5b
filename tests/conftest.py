"""Fixtures: an app per test on a database per xdist worker (SQLite, or PostgreSQL when asked)."""
import os
import re

import pytest
from sqlalchemy import create_engine, text

from storefront import create_app
from storefront.config import TestingConfig
from storefront.extensions import db as _db
from tests.support.catalogue import catalogue  # noqa: F401  (fixture shared by the catalogue tests)

BACKEND = os.environ.get("TEST_BACKEND", "sqlite")


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """Return a clean database for this worker: a SQLite file, or a PostgreSQL schema of its own."""
    if BACKEND == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        return
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.exit("TEST_BACKEND=postgresql needs TEST_DATABASE_URL", returncode=2)
    url = re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", url)
    # Unique per run as well as per worker, so two runs on one server never share a schema.
    run_id = os.environ.get("PYTEST_XDIST_TESTRUNUID", str(os.getpid()))[:8]
    schema = f"test_{run_id}_{_worker()}"
    try:
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        engine.dispose()
    except Exception as exc:  # unreachable PostgreSQL must fail the run, not skip it
        pytest.exit(f"PostgreSQL at {url} is unreachable: {exc}", returncode=3)
    sep = "&" if "?" in url else "?"
    # No wait for the WAL's flush at each commit: a test database need not survive a crash, and
    # what one session commits is still seen by every other at once.
    yield f"{url}{sep}options=-csearch_path%3D{schema}%20-csynchronous_commit%3Doff"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


@pytest.fixture(scope="session")
def _schema(database_url):
    app = create_app(_config(database_url, media_root="/nonexistent"))
    with app.app_context():
        _db.drop_all()
        _db.create_all()
        _db.engine.dispose()
    yield


def _config(database_url: str, media_root: str, **overrides) -> dict:
    class Config(TestingConfig):
        pass

    values = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "WTF_CSRF_ENABLED": False,
        "MEDIA_ROOT": media_root,
        "PRIVATE_MEDIA_ROOT": f"{media_root}-private",
        "SERVER_NAME_FOR_LINKS": "http://localhost",
    }
    values.update(overrides)
    for key, value in values.items():
        setattr(Config, key, value)
    return Config


@pytest.fixture
def make_app(database_url, _schema, tmp_path):
    """Build an app with config overrides; every table is emptied after the test."""
    apps = []

    def factory(**overrides):
        app = create_app(_config(database_url, str(tmp_path / "media"), **overrides))
        apps.append(app)
        return app

    yield factory
    if apps:
        with apps[0].app_context():
            _db.session.remove()
            _empty_tables()
        for app in apps:
            with app.app_context():
                _db.engine.dispose()


def _empty_tables() -> None:
    """Empty every table a test wrote to and restart every sequence it used.

    On PostgreSQL, TRUNCATE gives each table and index a new file, so truncating all of them after
    every test cost a third of a second; one probe finds the few tables a test filled.
    """
    with _db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            probe = " UNION ALL ".join(f"""SELECT '{t.name}' WHERE EXISTS (SELECT 1 FROM "{t.name}")"""
                                       for t in _db.metadata.sorted_tables)
            filled = [name for (name,) in conn.execute(text(probe))]
            if filled:
                names = ", ".join(f'"{name}"' for name in filled)
                conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            used = conn.execute(text("SELECT sequencename FROM pg_sequences "
                                     "WHERE schemaname = current_schema() AND last_value IS NOT NULL")).scalars()
            for sequence in used:
                conn.execute(text(f'ALTER SEQUENCE "{sequence}" RESTART'))
        else:
            for table in reversed(_db.metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture
def app(make_app):
    app = make_app()
    with app.app_context():
        yield app
        _db.session.remove()


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


PASSWORD = "correct horse battery staple"


@pytest.fixture
def login(client):
    """Sign a user in through the real sign-in form."""

    def do_login(user, password=PASSWORD, test_client=None):
        response = (test_client or client).post(
            "/auth/login", data={"email": user.email, "password": password}
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response

    return do_login
