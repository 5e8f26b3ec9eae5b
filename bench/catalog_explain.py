"""Print the plan of every SQL statement the catalogue runs for each benchmark page (not a test).

Runs each page's service call (``services.browse`` and friends) once in an app on the given
database, records the statements it executes, then prints ``EXPLAIN ANALYZE`` (PostgreSQL) or
``EXPLAIN QUERY PLAN`` (SQLite) of each, and flags a sequential scan over ``product``.

    python bench/catalog_explain.py --database-url postgresql://postgres@127.0.0.1:5432/bench
"""
import argparse
import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def pages(village_slugs, producer_slug, product_slug):
    from storefront.catalog import services
    from storefront.catalog.filters import CatalogFilters, Sort
    from storefront.catalog.queries import Scope

    two = tuple(village_slugs[:2])

    def producer_page():
        producer = services.producer(producer_slug)
        return services.browse(CatalogFilters(), scope=Scope(producer_id=producer.id))

    return [
        ("home", lambda: (services.featured(), services.busiest_villages(12))),
        ("/products", lambda: services.browse(CatalogFilters(), facets=True)),
        ("2 villages, 4-5 stars", lambda: services.browse(CatalogFilters(villages=two, stars=(4, 5)), facets=True)),
        ("q=gom", lambda: services.browse(CatalogFilters(q="gom"), facets=True)),
        ("q= matching nothing", lambda: services.browse(CatalogFilters(q="zzkhongco"), facets=True)),
        ("q=bat trag (typo)", lambda: services.browse(CatalogFilters(q="bat trag"), facets=True)),
        ("sort=stars", lambda: services.browse(CatalogFilters(sort=Sort.STARS), facets=True)),
        ("page=200", lambda: services.browse(CatalogFilters(page=200), facets=True)),
        ("group=food&sort=price_asc", lambda: services.browse(CatalogFilters(group="food", sort=Sort.PRICE_ASC),
                                                              facets=True)),
        ("village page", lambda: services.browse(CatalogFilters(villages=two[:1]))),
        ("village directory, page 20", lambda: services.village_directory(page=20)),
        ("producer page", producer_page),
        ("product page", lambda: services.product_detail(product_slug)),
        ("JSON API", lambda: services.browse(CatalogFilters(), detail=True)),
    ]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    args = parser.parse_args(argv)
    os.environ.setdefault("APP_ENV", "development")
    os.environ.setdefault("SECRET_KEY", "bench")
    os.environ["CATALOG_COUNT_CACHE_SECONDS"] = "0"
    from sqlalchemy import event

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_fill import describe
    from storefront import create_app
    from storefront.config import database_url
    from storefront.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url(args.database_url, args.database_url)})
    with app.test_request_context("/products"):
        app.preprocess_request()
        filled = describe()
        seen = []
        event.listen(db.engine, "before_cursor_execute",
                     lambda _c, _cur, statement, parameters, *_: seen.append((statement, parameters)))
        pg = db.engine.dialect.name == "postgresql"
        for label, call in pages(filled.village_slugs, filled.producer_slug, filled.product_slug):
            call()  # once to move the kept counts to today, cache statements
            seen.clear()
            started = time.perf_counter()
            call()
            took = (time.perf_counter() - started) * 1000
            statements = [s for s in seen if not s[0].lstrip().upper().startswith(("EXPLAIN", "SAVEPOINT",
                                                                                       "RELEASE"))]
            print(f"\n######## {label}: {len(statements)} statements, {took:.1f} ms in all")
            conn = db.session.connection()
            for statement, parameters in statements:
                prefix = "EXPLAIN (ANALYZE, COSTS OFF, BUFFERS OFF) " if pg else "EXPLAIN QUERY PLAN "
                rows = conn.exec_driver_sql(prefix + statement, parameters).all()
                plan = "\n".join(" | ".join(str(c) for c in row) for row in rows)
                flag = "  <-- SEQUENTIAL SCAN OVER product" if re.search(
                    r"Seq Scan on product\b(?!_)|SCAN product\b(?! USING)", plan) else ""
                print("---- " + " ".join(statement.split())[:400] + flag)
                print(plan)
        db.session.rollback()
    return 0


if __name__ == "__main__":
    sys.exit(main())
