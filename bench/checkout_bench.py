"""Checkout throughput with concurrent shoppers on PostgreSQL.

Fills a fresh database with a small shop (products with limited stock, a few outlets),
then starts ``--shoppers`` processes, each placing ``--orders`` orders of 1–3 random
products through the real ``place_order`` (the same unit of work the checkout view runs).
Hot products are shared, so shoppers collide on the same rows. Prints orders/s, p50/p99
latency, how many placements found a product sold out, and checks the stock books:
no product below zero, and stock sold + stock left == stock at the start.

    .venv/bin/python bench/checkout_bench.py --database-url postgresql://postgres@127.0.0.1:5432/bench_checkout

Not part of the test suite; only loopback traffic; stops by itself.
"""
import argparse
import multiprocessing as mp
import os
import random
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("APP_ENV", "development")

PRODUCTS = 200
HOT = 10          # the first HOT products appear in most baskets
STOCK = 400
HOT_STOCK = 60    # hot products sell out during the run, so shoppers race for the last units


@dataclass
class Line:
    product_id: int
    quantity: int
    price_seen: int


def make_app(url: str):
    from storefront import create_app
    from storefront.config import DevelopmentConfig

    class Bench(DevelopmentConfig):
        SQLALCHEMY_DATABASE_URI = url
        MAIL_SEND_AFTER_COMMIT = False

    return create_app(Bench)


def fill(url: str) -> None:
    from storefront.extensions import db
    from storefront.models import Certificate, Outlet, Producer, Product, Village
    from storefront.timeutil import local_today

    app = make_app(url)
    with app.app_context():
        db.drop_all()
        db.create_all()
        village = Village(slug="bench", name="Bench")
        producer = Producer(slug="bench", name="Bench", village=village, status="verified")
        outlets = [Outlet(slug=f"o{i}", name=f"O{i}", address="HN", place_type="other")
                   for i in range(3)]
        db.session.add_all([village, producer, *outlets])
        decided = local_today().replace(day=1)
        for i in range(PRODUCTS):
            product = Product(slug=f"p{i}", producer=producer, name_vi=f"SP {i}", group="food",
                              unit_vi="hộp", price=50_000 + i * 100,
                              stock=HOT_STOCK if i < HOT else STOCK,
                              status="published", outlets=outlets)
            product.certificates.append(Certificate(
                stars=4, score=80, issuing_level="province", decision_number=f"{i}/QĐ",
                decision_date=decided, expires_on=Certificate.expiry_for(decided),
                status="verified"))
            db.session.add(product)
        db.session.commit()


def shopper(args) -> tuple[list[float], int, int]:
    url, n_orders, seed = args
    from storefront.extensions import db
    from storefront.models import Product
    from storefront.orders.placement import Contact, OutOfStock, place_order

    rng = random.Random(seed)
    app = make_app(url)
    latencies, placed, sold_out = [], 0, 0
    contact = Contact("Khách Bench", "0912345678", "bench@example.com")
    with app.app_context():
        prices = dict(db.session.execute(db.select(Product.id, Product.price)).all())
        ids = sorted(prices)
        outlet_id = db.session.execute(db.text("select min(id) from outlet")).scalar()
        for n in range(n_orders):
            chosen = {rng.choice(ids[:HOT])} | set(rng.sample(ids, rng.randint(0, 2)))
            lines = [Line(pid, rng.randint(1, 3), prices[pid]) for pid in chosen]
            started = time.perf_counter()
            try:
                place_order(lines, contact, {pid: outlet_id for pid in chosen}, "at_pickup",
                            f"bench-{seed}-{n}")
                placed += 1
            except OutOfStock:
                db.session.rollback()
                sold_out += 1
            latencies.append(time.perf_counter() - started)
            db.session.remove()
    return latencies, placed, sold_out


def check_books(url: str) -> tuple[int, int, int]:
    from storefront.extensions import db

    app = make_app(url)
    with app.app_context():
        negative = db.session.execute(db.text("select count(*) from product where stock < 0")).scalar()
        left = db.session.execute(db.text("select coalesce(sum(stock), 0) from product")).scalar()
        sold = db.session.execute(db.text("select coalesce(sum(quantity), 0) from order_line")).scalar()
    return negative, left, sold


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url",
                        default=os.environ.get("BENCH_DATABASE_URL",
                                               "postgresql://postgres@127.0.0.1:5432/bench_checkout"))
    parser.add_argument("--shoppers", type=int, default=8)
    parser.add_argument("--orders", type=int, default=150, help="orders per shopper")
    args = parser.parse_args()
    from storefront.config import database_url

    url = database_url(args.database_url, "")
    _ensure_database(url)
    fill(url)
    started = time.perf_counter()
    ctx = mp.get_context("spawn")
    with ctx.Pool(args.shoppers) as pool:
        results = pool.map(shopper, [(url, args.orders, seed) for seed in range(args.shoppers)])
    elapsed = time.perf_counter() - started
    latencies = sorted(l for r in results for l in r[0])
    placed, sold_out = sum(r[1] for r in results), sum(r[2] for r in results)
    negative, left, sold = check_books(url)
    p99 = latencies[int(len(latencies) * 0.99) - 1]
    print(f"database            {url.split('@')[-1]}")
    print(f"shoppers            {args.shoppers} processes x {args.orders} attempts")
    print(f"orders placed       {placed}  ({placed / elapsed:.1f} orders/s over {elapsed:.1f} s)")
    print(f"sold-out refusals   {sold_out}  ({(placed + sold_out) / elapsed:.1f} attempts/s, "
          "process start-up included)")
    print(f"latency p50 / p99   {statistics.median(latencies) * 1000:.1f} ms / {p99 * 1000:.1f} ms")
    print(f"products below 0    {negative}")
    start = HOT * HOT_STOCK + (PRODUCTS - HOT) * STOCK
    books = "balanced" if left + sold == start else "UNBALANCED"
    print(f"stock books         start {start} = left {left} + sold {sold}: {books}")
    if negative or books != "balanced":
        sys.exit(1)


def _ensure_database(url: str) -> None:
    """Create the bench database on the server if it does not exist yet."""
    if not url.startswith("postgresql"):
        return
    from sqlalchemy import create_engine, text

    base, name = url.rsplit("/", 1)
    engine = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if not conn.execute(text("select 1 from pg_database where datname = :n"), {"n": name}).scalar():
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()


if __name__ == "__main__":
    main()
