"""Checkout throughput with concurrent shoppers on PostgreSQL.

Fills a fresh database with a small shop (products with limited stock, a few outlets with a
pickups-per-day limit), then starts ``--shoppers`` processes, each placing ``--orders`` orders of
1–3 random products through the real ``place_order`` (the same unit of work the checkout view
runs), all to pick up at one outlet. Hot products are shared, so shoppers collide on the same
rows, and every placement locks the one outlet's row. Prints orders/s, p50/p99 latency, the
refusals (sold out, day full), how many placements PostgreSQL aborted as a deadlock and ran
again, and any error; then checks the books: no product below zero, stock sold + stock left ==
stock at the start, and no day holding more pickups than the limit. Exits non-zero on any error
or unbalanced book.

    .venv/bin/python bench/checkout_bench.py --database-url postgresql://postgres@127.0.0.1:5432/bench_checkout

Not part of the test suite; only loopback traffic; stops by itself.
"""
import argparse
import logging
import multiprocessing as mp
import os
import random
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("APP_ENV", "development")

PRODUCTS = 200
HOT = 10          # the first HOT products appear in most baskets
STOCK = 400
HOT_STOCK = 60    # hot products sell out during the run, so shoppers race for the last units
PICKUPS_PER_DAY = 100  # a default run places about 300 orders: the first three days fill up


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


def fill(url: str, per_day: int | None) -> None:
    from storefront.extensions import db
    from storefront.models import Certificate, Outlet, Producer, Product, Village
    from storefront.timeutil import local_today

    app = make_app(url)
    with app.app_context():
        db.drop_all()
        db.create_all()
        village = Village(slug="bench", name="Bench")
        producer = Producer(slug="bench", name="Bench", village=village, status="verified")
        outlets = [Outlet(slug=f"o{i}", name=f"O{i}", address="HN", place_type="other",
                          pickups_per_day=per_day) for i in range(3)]
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


class _Retries(logging.Handler):
    """Count the unit of work's "running it again" lines: transactions PostgreSQL aborted."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.count = 0

    def emit(self, record):
        self.count += "running it again" in record.getMessage()


def shopper(args) -> dict:
    url, n_orders, seed = args
    from storefront.extensions import db
    from storefront.models import Product
    from storefront.orders.placement import (
        CheckoutBusy, Contact, OutOfStock, PickupDayUnavailable, place_order,
    )

    rng = random.Random(seed)
    app = make_app(url)
    retries = _Retries()
    logging.getLogger("storefront.unit_of_work").addHandler(retries)
    logging.getLogger("storefront.unit_of_work").setLevel(logging.INFO)
    latencies, outcomes, errors = [], {"placed": 0, "sold out": 0, "day full": 0, "busy": 0}, []
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
                outcome = "placed"
            except OutOfStock:
                outcome = "sold out"
            except PickupDayUnavailable:
                outcome = "day full"
            except CheckoutBusy:  # every retry lost: the shopper is asked to place again
                outcome = "busy"
            except Exception as error:  # noqa: BLE001 — counted and printed: the run is not clean
                outcome = None
                errors.append(f"{type(error).__name__}: {str(error).splitlines()[0][:160]}")
            if outcome:
                outcomes[outcome] += 1
            latencies.append(time.perf_counter() - started)
            db.session.remove()
    return {"latencies": latencies, "outcomes": outcomes, "errors": errors,
            "retries": retries.count}


def check_books(url: str) -> tuple[int, int, int, int]:
    """Return products below zero, stock left, units sold and the most pickups on one outlet day."""
    from storefront.extensions import db

    app = make_app(url)
    with app.app_context():
        def one(sql):
            return db.session.execute(db.text(sql)).scalar()
        negative = one("select count(*) from product where stock < 0")
        left = one("select coalesce(sum(stock), 0) from product")
        sold = one("select coalesce(sum(quantity), 0) from order_line")
        busiest = one("select coalesce(max(n), 0) from (select count(*) as n from pickup "
                      "group by outlet_id, pickup_day) as days")
    return negative, left, sold, busiest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url",
                        default=os.environ.get("BENCH_DATABASE_URL",
                                               "postgresql://postgres@127.0.0.1:5432/bench_checkout"))
    parser.add_argument("--shoppers", type=int, default=8)
    parser.add_argument("--orders", type=int, default=150, help="orders per shopper")
    parser.add_argument("--pickups-per-day", type=int, default=PICKUPS_PER_DAY,
                        help="each outlet's daily pickup limit (0: none)")
    args = parser.parse_args()
    from storefront.config import database_url

    url = database_url(args.database_url, "")
    _ensure_database(url)
    per_day = args.pickups_per_day or None
    fill(url, per_day)
    load = os.getloadavg()[0]  # figures from a busy machine are not comparable
    started = time.perf_counter()
    ctx = mp.get_context("spawn")
    with ctx.Pool(args.shoppers) as pool:
        results = pool.map(shopper, [(url, args.orders, seed) for seed in range(args.shoppers)])
    elapsed = time.perf_counter() - started
    _report(args, url, per_day, results, elapsed, load)


def _report(args, url: str, per_day: int | None, results: list[dict], elapsed: float,
            load: float) -> None:
    latencies = sorted(l for r in results for l in r["latencies"])
    counts = {kind: sum(r["outcomes"][kind] for r in results) for kind in results[0]["outcomes"]}
    errors = [e for r in results for e in r["errors"]]
    placed = counts["placed"]
    negative, left, sold, busiest = check_books(url)
    p99 = latencies[int(len(latencies) * 0.99) - 1]
    print(f"database            {url.split('@')[-1]} (load average {load:.1f} before the run)")
    print(f"shoppers            {args.shoppers} processes x {args.orders} attempts, one outlet, "
          f"{per_day or 'no'} pickups a day")
    print(f"orders placed       {placed}  ({placed / elapsed:.1f} orders/s over {elapsed:.1f} s)")
    print(f"refusals            {counts['sold out']} sold out, {counts['day full']} day full, "
          f"{counts['busy']} busy  ({len(latencies) / elapsed:.1f} attempts/s, "
          "process start-up included)")
    print(f"latency p50 / p99   {statistics.median(latencies) * 1000:.1f} ms / {p99 * 1000:.1f} ms")
    print(f"deadlocks retried   {sum(r['retries'] for r in results)}")
    print(f"errors              {len(errors)}")
    for error, n in sorted(Counter(errors).items(), key=lambda item: -item[1])[:5]:
        print(f"    {n} x {error}")
    print(f"products below 0    {negative}")
    start = HOT * HOT_STOCK + (PRODUCTS - HOT) * STOCK
    books = "balanced" if left + sold == start else "UNBALANCED"
    print(f"stock books         start {start} = left {left} + sold {sold}: {books}")
    days = "within the limit" if not per_day or busiest <= per_day else "OVER THE LIMIT"
    print(f"busiest pickup day  {busiest} pickups: {days}")
    if errors or counts["busy"] or negative or books != "balanced" or days != "within the limit":
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
