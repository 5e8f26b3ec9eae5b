"""Every index the catalogue's queries rely on exists in a schema built as the app builds it.

The schema here comes from ``create_all`` with the DDL events of ``listing_table.py`` (as the
whole suite builds it); the migration must create the same (see ``test_migrations.py``).
"""
from sqlalchemy import inspect, text

from tests.conftest import BACKEND

LISTING_INDEXES = {
    "ix_catalog_listing_newest": ["created_at", "product_id", "listed_until", "listed_from", "stars",
                                  "price"],
    "ix_catalog_listing_price": ["price", "product_id", "listed_until", "listed_from", "stars",
                                 "created_at"],
    "ix_catalog_listing_stars": ["stars", "created_at", "product_id", "listed_until", "listed_from",
                                 "price"],
    "ix_catalog_listing_facets": ["stars", "group", "village_id", "listed_until", "listed_from"],
    "ix_catalog_listing_village": ["village_id", "stars", "group", "listed_until", "listed_from"],
    "ix_catalog_listing_group": ["group", "created_at", "product_id"],
    "ix_catalog_listing_product": ["product_id"],
    "ix_catalog_listing_producer": ["producer_id", "created_at"],
}


def test_the_listing_table_has_an_index_for_every_sort_filter_and_count(db):
    found = {ix["name"]: ix["column_names"] for ix in inspect(db.engine).get_indexes("catalog_listing")}

    for name, columns in LISTING_INDEXES.items():
        assert found.get(name) == columns, name


def test_facet_counts_are_read_from_the_kept_counts_by_index(db):
    found = {ix["name"]: ix["column_names"]
             for ix in inspect(db.engine).get_indexes("catalog_listing_count")}

    assert found["ix_catalog_listing_count_rank"] == ["star_set", "group_key", "n", "village_id"]
    assert found["ix_catalog_listing_count_village"] == ["village_id", "star_set", "group_key", "n"]


def test_search_words_are_looked_up_through_a_trigram_index(db):
    with db.engine.connect() as conn:
        if BACKEND == "postgresql":
            definition = conn.scalar(text(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_catalog_listing_search' "
                "AND schemaname = current_schema()"))
            assert "USING gin" in definition and "gin_trgm_ops" in definition
            assert conn.scalar(text("SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'")) == 1
        else:
            sql = conn.scalar(text(
                "SELECT sql FROM sqlite_master WHERE name = 'catalog_listing_search'"))
            assert "fts5" in sql and "trigram" in sql
            triggers = set(conn.scalars(text(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'catalog_listing'")))
            assert triggers == {"catalog_listing_ai", "catalog_listing_ad", "catalog_listing_au"}


def test_an_outlet_page_finds_the_products_it_carries_by_index(db):
    found = {ix["name"]: ix["column_names"] for ix in inspect(db.engine).get_indexes("product_outlet")}

    assert found.get("ix_product_outlet_outlet") == ["outlet_id", "product_id"]
