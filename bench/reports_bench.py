"""Time the coordinators' reports over a year of orders on a Hanoi-sized catalogue.

Fills (or reuses, with ``--reuse``) a database with 30,000 listed products (``bench_fill``) and a year
of orders (``--orders``, default 60,000, 1–3 lines each, spread over the last 365 days, in every
pickup state), then times each report table for that year: the median of ``--runs`` runs, and the
whole ``/admin/reports`` page (every table and chart) rendered through the test client.

    .venv/bin/python bench/reports_bench.py                       # SQLite file in bench/results/
    .venv/bin/python bench/reports_bench.py --database-url postgresql://postgres@127.0.0.1:5432/ocop_bench
"""
import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]
RESULTS = HERE / "results"

STATES = (("collected", 0.70), ("no_show", 0.06), ("cancelled", 0.08), ("ready", 0.06),
          ("confirmed", 0.10))


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="PostgreSQL URL (default: a SQLite file in bench/results/)")
    parser.add_argument("--reuse", action="store_true", help="keep the database when it is already filled")
    parser.add_argument("--products", type=int, default=30_000)
    parser.add_argument("--orders", type=int, default=60_000, help="orders over the last year")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per table (median shown)")
    return parser.parse_args(argv)


def _state(rng) -> str:
    pick, total = rng.random(), 0.0
    for state, share in STATES:
        total += share
        if pick < total:
            return state
    return STATES[-1][0]


def fill_orders(count: int, seed: int = 2026) -> int:
    """Insert ``count`` orders of the last year with their pickups and lines (Core, in batches)."""
    from sqlalchemy import func, insert, select

    from storefront.catalog.models import Certificate, Product, product_outlets
    from storefront.extensions import db
    from storefront.orders.models import Order, OrderLine, Pickup
    from storefront.timeutil import utcnow

    rng = random.Random(seed)
    products = db.session.execute(
        select(Product.id, Product.producer_id, Product.price, Certificate.stars)
        .join(Certificate, Certificate.product_id == Product.id)).all()
    outlet_of = dict(db.session.execute(
        select(product_outlets.c.product_id, func.min(product_outlets.c.outlet_id))
        .group_by(product_outlets.c.product_id)).all())
    now = utcnow()
    orders, pickups, lines = [], [], []
    line_id = 0
    for number in range(1, count + 1):
        created = now - timedelta(seconds=rng.randrange(365 * 24 * 3600))
        state = _state(rng)
        chosen = rng.sample(products, rng.randint(1, 3))
        subtotal = 0
        for product in chosen:
            line_id += 1
            quantity = rng.randint(1, 4)
            subtotal += quantity * product.price
            lines.append({"id": line_id, "pickup_id": number, "product_id": product.id,
                          "producer_id": product.producer_id, "product_name": "x", "unit": "x",
                          "quantity": quantity, "unit_price": product.price, "stars": product.stars,
                          "status": "cancelled" if state == "cancelled" else "received"})
        orders.append({"id": number, "number": f"OC-B-{number:07d}", "name": "Khách", "phone": "0987654321",
                       "email": "k@example.com", "locale": "vi", "payment_method": "at_pickup",
                       "payment_status": "unpaid", "total": subtotal, "currency": "vnd",
                       "access_token_hash": "x", "checkout_token": f"bench-{number}", "created_at": created})
        pickups.append({"id": number, "order_id": number, "outlet_id": outlet_of[chosen[0].id],
                        "status": state, "code_hash": "x", "subtotal": subtotal,
                        "failed_code_attempts": 0, "created_at": created})
    with db.engine.begin() as conn:
        for table, rows in ((Order.__table__, orders), (Pickup.__table__, pickups),
                            (OrderLine.__table__, lines)):
            for start in range(0, len(rows), 5_000):
                conn.execute(insert(table), rows[start:start + 5_000])
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("ANALYZE")
    return line_id


def main(argv=None) -> None:
    args = parse_args(argv)
    os.environ.setdefault("APP_ENV", "development")
    os.environ.setdefault("SECRET_KEY", "bench")
    from bench_fill import bring_derived_in_step, create_schema, fill, is_filled
    from sqlalchemy import func, select

    from storefront import create_app
    from storefront.config import database_url
    from storefront.extensions import db
    from storefront.orders.models import Order
    from storefront.reports.catalogue import CATALOGUE_TABLES
    from storefront.reports.sales import SALES_TABLES, Period
    from storefront.timeutil import local_today

    RESULTS.mkdir(exist_ok=True)
    url = args.database_url or f"sqlite:///{RESULTS / 'reports_bench.db'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url(url, url),
                      "MEDIA_ROOT": str(RESULTS / "media"), "WTF_CSRF_ENABLED": False})
    with app.app_context():
        started = time.perf_counter()
        if not (args.reuse and is_filled(args.products)
                and db.session.scalar(select(func.count(Order.id))) == args.orders):
            create_schema()
            fill(str(RESULTS / "media"), products=args.products)
            lines = fill_orders(args.orders)
            print(f"Filled {args.products:,} products, {args.orders:,} orders ({lines:,} lines) "
                  f"in {time.perf_counter() - started:.1f} s.", flush=True)
        bring_derived_in_step()
        today = local_today()
        year = Period(today - timedelta(days=364), today)
        print(f"\n{db.engine.dialect.name}: {args.products:,} products, {args.orders:,} orders, "
              f"one year; median of {args.runs} runs\n")
        print(f"{'report table':32} {'rows':>6} {'ms':>8}")
        total = 0.0
        for name, build in list(CATALOGUE_TABLES.items()) + list(SALES_TABLES.items()):
            argument = today if name in CATALOGUE_TABLES else year
            times = []
            for _ in range(args.runs):
                begun = time.perf_counter()
                table = build(argument)
                times.append(time.perf_counter() - begun)
                db.session.rollback()
            total += statistics.median(times)
            print(f"{name:32} {len(table.rows):>6} {statistics.median(times) * 1000:>8.1f}")
        print(f"{'every table':32} {'':>6} {total * 1000:>8.1f}")
        _time_page(app, year, args.runs)


def _time_page(app, year, runs: int) -> None:
    """Render the report pages (tables, charts) as an admin asks for them."""
    from storefront.accounts.models import Role, User
    from storefront.extensions import db

    admin = db.session.scalar(db.select(User).where(User.role == Role.ADMIN))
    if admin is None:
        admin = User(email="bench-admin@example.com", name="Bench", role=Role.ADMIN, password_hash="")
        admin.set_password("bench-password-2026")
        db.session.add(admin)
        db.session.commit()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = admin.get_id()
        session["_fresh"] = True
    for path in ("/admin/reports/",
                 f"/admin/reports/sales?start={year.start.isoformat()}&end={year.end.isoformat()}",
                 f"/admin/reports/sales?start={year.start.isoformat()}&end={year.end.isoformat()}"
                 "&by=sales_by_village"):
        times = []
        for _ in range(runs):
            begun = time.perf_counter()
            response = client.get(path)
            times.append(time.perf_counter() - begun)
            assert response.status_code == 200, response.status_code
        shown = path.split("?")[0] + ("?by=village" if "village" in path else "")
        print(f"GET {shown:28} {'':>6} {statistics.median(times) * 1000:>8.1f}")


if __name__ == "__main__":
    main()
