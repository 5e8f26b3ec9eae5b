"""The migrations build exactly the schema the models describe."""
import os
import uuid

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, text

from storefront import create_app
from storefront.extensions import db
from tests.conftest import BACKEND, _config


def _fresh_url(tmp_path):
    if BACKEND == "sqlite":
        return f"sqlite:///{tmp_path / 'migrated.db'}", None
    base = os.environ["TEST_DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1)
    schema = f"mig_{uuid.uuid4().hex[:8]}"
    engine = create_engine(base)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    return f"{base}?options=-csearch_path%3D{schema}", (engine, schema)


def _made_by_models(name, type_, parent_names) -> bool:
    """Leave out SQLite's FTS5 search table and its shadow tables: DDL makes them, not a model."""
    return not (type_ == "table" and (name or "").startswith("catalog_listing_search"))


def test_migrations_match_models_and_downgrade_cleanly(tmp_path):
    url, pg = _fresh_url(tmp_path)
    app = create_app(_config(url, str(tmp_path)))
    try:
        with app.app_context():
            upgrade()
            with db.engine.connect() as conn:
                diff = compare_metadata(
                    MigrationContext.configure(conn, opts={"compare_type": True,
                                                           "include_name": _made_by_models}),
                    db.metadata
                )
            assert diff == [], f"models and migrations disagree: {diff}"
            downgrade(revision="base")
            with db.engine.connect() as conn:
                left = set(db.inspect(conn).get_table_names()) - {"alembic_version"}
            assert left == set()
            db.engine.dispose()
    finally:
        if pg:
            engine, schema = pg
            with engine.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            engine.dispose()
