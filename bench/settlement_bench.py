"""Time closing a settlement period for a city: 1,350 producers, a month of 60,000 orders.

Fills (or reuses, with ``--reuse``) a database with 13,500 listed products from 1,350 producers
(``bench_fill``) and ``--orders`` orders (default 60,000, 1–3 lines each) spread over last month,
each paid by transfer and handed over, with their journal entries as the ledger posts them (money
received: bank and deposits; hand-over: deposits, each producer's payable less the 10 % fee, fee
income); then times ``settlement.close_period`` for that month (one statement per producer, written
once, each mailed to its producer through the outbox), reading one producer's statement, and its PDF. Prints the trial balance, which must be zero.

    .venv/bin/python bench/settlement_bench.py                 # SQLite file in bench/results/
    .venv/bin/python bench/settlement_bench.py --database-url postgresql://postgres@127.0.0.1:5432/bench_settle
"""
import argparse
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]
RESULTS = HERE / "results"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="PostgreSQL URL (default: a SQLite file in bench/results/)")
    parser.add_argument("--reuse", action="store_true", help="keep the database when it is already filled")
    parser.add_argument("--products", type=int, default=13_500, help="1,350 producers at 13,500")
    parser.add_argument("--orders", type=int, default=60_000)
    return parser.parse_args(argv)


def fill_month(count: int, start, end, seed: int = 2026) -> tuple[int, int]:
    """Insert ``count`` paid, handed-over orders between ``start`` and ``end`` with their entries."""
    from sqlalchemy import func, insert, select

    from storefront.catalog.models import Product, product_outlets
    from storefront.extensions import db
    from storefront.finance import fees, ledger
    from storefront.finance.models import Account, AccountKind as K, JournalEntry, Posting
    from storefront.orders.models import Order, OrderLine, Pickup
    from storefront.timeutil import utc_start_of

    rng = random.Random(seed)
    products = db.session.execute(select(Product.id, Product.producer_id, Product.price)).all()
    outlet_of = dict(db.session.execute(
        select(product_outlets.c.product_id, func.min(product_outlets.c.outlet_id))
        .group_by(product_outlets.c.product_id)).all())
    bank, deposits, fee_income = (ledger.account(k) for k in (K.BANK, K.DEPOSITS, K.FEE_INCOME))
    payable = {pid: ledger.account(K.PAYABLE, producer_id=pid).id
               for pid in sorted({p.producer_id for p in products})}
    db.session.commit()
    since = utc_start_of(start)
    seconds = int((utc_start_of(end + timedelta(days=1)) - since).total_seconds())
    orders, pickups, lines, entries, postings = [], [], [], [], []
    line_id = entry_id = 0
    for number in range(1, count + 1):
        moment = since + timedelta(seconds=rng.randrange(seconds - 3600))
        chosen = rng.sample(products, rng.randint(1, 3))
        legs, total = [], 0
        for product in chosen:
            line_id += 1
            quantity = rng.randint(1, 4)
            amount = quantity * product.price
            fee = fees.fee_on(amount, 1000)
            total += amount
            lines.append({"id": line_id, "pickup_id": number, "product_id": product.id,
                          "producer_id": product.producer_id, "product_name": "x", "unit": "x",
                          "quantity": quantity, "unit_price": product.price, "status": "received"})
            legs += [(deposits.id, amount, line_id), (payable[product.producer_id], fee - amount, line_id),
                     (fee_income.id, -fee, line_id)]
        code = f"OC-B-{number:07d}"
        orders.append({"id": number, "number": code, "name": "Khách", "phone": "0987654321",
                       "email": "k@example.com", "locale": "vi", "payment_method": "vietqr",
                       "payment_status": "paid", "total": total, "currency": "vnd",
                       "amount_received": total, "paid_at": moment, "access_token_hash": "x",
                       "checkout_token": f"bench-{number}", "created_at": moment})
        pickups.append({"id": number, "order_id": number, "outlet_id": outlet_of[chosen[0].id],
                        "status": "collected", "code_hash": "x", "subtotal": total,
                        "failed_code_attempts": 0, "created_at": moment,
                        "collected_at": moment + timedelta(minutes=30)})
        for kind, when, entry_legs in (
                ("transfer_received", moment, [(bank.id, total, None), (deposits.id, -total, None)]),
                ("handed_over", moment + timedelta(minutes=30), legs)):
            entry_id += 1
            entries.append({"id": entry_id, "key": f"{kind}-{number}", "kind": kind, "cause": code,
                            "narration": kind, "order_id": number, "occurred_at": when,
                            "created_at": when})
            postings += [{"entry_id": entry_id, "account_id": a, "amount": amt, "order_line_id": lid}
                         for a, amt, lid in entry_legs]
    with db.engine.begin() as conn:
        for table, rows in ((Order.__table__, orders), (Pickup.__table__, pickups),
                            (OrderLine.__table__, lines), (JournalEntry.__table__, entries),
                            (Posting.__table__, postings)):
            for first in range(0, len(rows), 5_000):
                conn.execute(insert(table), rows[first:first + 5_000])
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("ANALYZE")
    return line_id, len(postings)


def main(argv=None) -> None:
    args = parse_args(argv)
    import logging
    logging.getLogger("fontTools").setLevel(logging.WARNING)  # the PDF's font subsetting
    os.environ.setdefault("APP_ENV", "development")
    os.environ.setdefault("SECRET_KEY", "bench")
    from bench_fill import create_schema, fill, is_filled
    from sqlalchemy import func, select

    from storefront import create_app
    from storefront.config import database_url
    from storefront.extensions import db
    from storefront.finance import ledger, settlement
    from storefront.finance.models import Account, AccountKind, Statement
    from storefront.orders.models import Order
    from storefront.timeutil import local_today

    RESULTS.mkdir(exist_ok=True)
    url = args.database_url or f"sqlite:///{RESULTS / 'settlement_bench.db'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url(url, url),
                      "MEDIA_ROOT": str(RESULTS / "media"), "WTF_CSRF_ENABLED": False,
                      "SETTLEMENT_CYCLE": "monthly"})
    with app.app_context():
        start, end = settlement.previous_period(local_today(), "monthly")
        begun = time.perf_counter()
        if not (args.reuse and is_filled(args.products)
                and db.session.scalar(select(func.count(Order.id))) == args.orders):
            create_schema()
            fill(str(RESULTS / "media"), products=args.products)
            lines, postings = fill_month(args.orders, start, end)
            print(f"Filled {args.products:,} products, {args.orders:,} orders ({lines:,} lines, "
                  f"{postings:,} postings) in {time.perf_counter() - begun:.1f} s.", flush=True)
        db.session.execute(Statement.__table__.delete())
        from storefront.catalog.models import Producer
        db.session.execute(Producer.__table__.update().where(Producer.email.is_(None))
                           .values(email="htx" + func.cast(Producer.id, db.String) + "@example.com"))
        db.session.commit()  # every producer has an address: the close mails each its statement
        producers = db.session.scalar(select(func.count(Account.id))
                                      .where(Account.kind == AccountKind.PAYABLE))
        print(f"\n{db.engine.dialect.name}: {producers:,} producers, {args.orders:,} orders, "
              f"period {start} – {end}")
        begun = time.perf_counter()
        written = settlement.close_period(start, end)
        closing = time.perf_counter() - begun
        print(f"close_period: {written:,} statements in {closing:.2f} s")
        begun = time.perf_counter()
        assert settlement.close_period(start, end) == 0
        print(f"close_period again (nothing to write): {time.perf_counter() - begun:.2f} s")
        producer_id = db.session.scalar(select(Statement.producer_id).limit(1))
        begun = time.perf_counter()
        view = settlement.statement(producer_id, start, end)
        print(f"one producer's statement ({len(view.lines)} lines): "
              f"{(time.perf_counter() - begun) * 1000:.0f} ms")
        begun = time.perf_counter()
        settlement.statement_pdf(view, "bench")
        print(f"its PDF: {(time.perf_counter() - begun) * 1000:.0f} ms")
        print(f"trial balance: {ledger.trial_balance()} VND")


if __name__ == "__main__":
    main()
