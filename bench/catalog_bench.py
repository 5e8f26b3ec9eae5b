"""Benchmark the catalogue under gunicorn against a bare one-query page (not part of the test suite).

Fills a fresh database with a Hanoi-sized catalogue (see ``bench_fill.py``), serves the shop with
``gunicorn -w 2`` on loopback through ``bench_app.py``, loads every page (with ``wrk`` at 16
connections when it is installed, else from a thread pool), then prints requests/s, p50 and p99
latency, SQL queries per request, each page's speed relative to the bare page measured in the
same run, and the workers' resident memory.

    python bench/catalog_bench.py                    # SQLite file under bench/results/
    python bench/catalog_bench.py --reuse            # keep an already filled database
    python bench/catalog_bench.py --products 300000 --no-cache \
        --database-url postgresql://postgres@127.0.0.1:5432/bench
"""
import argparse
import http.client
import math
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
RESULTS = BENCH_DIR / "results"
WARMUP_SECONDS = 30
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(BENCH_DIR))


@dataclass
class Row:
    label: str
    path: str
    done: int
    rps: float
    p50: float
    p99: float
    queries: int | None
    errors: int


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="PostgreSQL URL (default: a SQLite file in bench/results/)")
    parser.add_argument("--reuse", action="store_true", help="keep the database when it is already filled")
    parser.add_argument("--requests", type=int, default=400, help="measured requests per page")
    parser.add_argument("--clients", type=int, default=8, help="concurrent client threads")
    parser.add_argument("--warmup", type=int, default=24, help="unmeasured requests per page first")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--page-seconds", type=float, default=120,
                        help="stop sending to a page after this long (then fewer requests are reported)")
    parser.add_argument("--products", type=int, default=30_000,
                        help="listed products to fill (villages, producers and outlets scale with it)")
    parser.add_argument("--no-cache", action="store_true",
                        help="serve with CATALOG_COUNT_CACHE_SECONDS=0: every request counts afresh")
    parser.add_argument("--tool", choices=("auto", "wrk", "threads"), default="auto",
                        help="load generator: wrk when installed (auto), or the built-in thread pool")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument("--seconds", type=float, default=10, help="wrk: measured seconds per page")
    return parser.parse_args(argv)


# --- the database ----------------------------------------------------------------------------

def prepare_database(url: str, media_root: Path, reuse: bool, products: int):
    """Fill the database unless ``reuse`` finds it filled; return what the URLs need."""
    os.environ.setdefault("APP_ENV", "development")
    os.environ.setdefault("SECRET_KEY", "bench")
    from bench_fill import bring_derived_in_step, create_schema, describe, fill, is_filled
    from storefront import create_app
    from storefront.config import database_url
    from storefront.extensions import db

    if url.startswith("sqlite:///") and not (reuse and Path(url[len("sqlite:///"):]).exists()):
        for suffix in ("", "-wal", "-shm"):
            Path(url[len("sqlite:///"):] + suffix).unlink(missing_ok=True)
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url(url, url), "MEDIA_ROOT": str(media_root)})
    with app.app_context():
        started = time.perf_counter()
        if reuse and is_filled(products):
            print("Reusing the filled database.", flush=True)
        else:
            create_schema()
            fill(str(media_root), products=products)
            print(f"Filled the database in {time.perf_counter() - started:.1f} s.", flush=True)
        if bring_derived_in_step():
            print(f"Derived tables in step after {time.perf_counter() - started:.1f} s.", flush=True)
        filled = describe()
        db.session.remove()
        db.engine.dispose()
    return filled


# --- the server ------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(url: str, media_root: Path, port: int, workers: int,
                   no_cache: bool = False) -> subprocess.Popen:
    env = dict(os.environ, APP_ENV="development", DATABASE_URL=url, SECRET_KEY="bench",
               MEDIA_ROOT=str(media_root))
    env.pop("REDIS_URL", None)  # one SimpleCache per worker, as the figures in the README assume
    if no_cache:
        env["CATALOG_COUNT_CACHE_SECONDS"] = "0"
    log = open(RESULTS / "gunicorn.log", "w")  # noqa: SIM115 — closed with the process
    command = [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}",
               "--chdir", str(REPO), "--timeout", "60", "--no-control-socket", "bench.bench_app:app"]
    return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_until_up(server: subprocess.Popen, port: int, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited ({server.returncode}); see {RESULTS / 'gunicorn.log'}")
        if fetch(port, "/healthz")[1] == 200:
            return
        time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer within {timeout:.0f} s")


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def worker_memory(master_pid: int) -> dict[int, int]:
    """Return the resident memory (kB) of each gunicorn worker, read from /proc."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() == str(master_pid) and "VmRSS" in fields:
            found[int(entry.name)] = int(fields["VmRSS"].split()[0])
    return found


# --- the load --------------------------------------------------------------------------------

def fetch(port: int, path: str) -> tuple[float, int, int | None]:
    """GET ``path`` on loopback; return (seconds, status or 0 on failure, X-Query-Count)."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Accept-Language": "vi"})
        response = connection.getresponse()
        response.read()
        status, queries = response.status, response.getheader("X-Query-Count")
    except (OSError, http.client.HTTPException):
        status, queries = 0, None
    finally:
        connection.close()
    return time.perf_counter() - started, status, int(queries) if queries else None


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return math.nan
    return sorted_values[max(0, math.ceil(p / 100 * len(sorted_values)) - 1)]


def _load(port: int, path: str, count: int, clients: int, seconds: float) -> tuple[list, float]:
    """Send ``count`` GETs from ``clients`` threads, stopping early after ``seconds``; return results, wall."""
    tickets, results = iter(range(count)), []
    deadline = time.monotonic() + seconds

    def client(_):
        # next() on a shared range iterator is atomic under the GIL: each ticket is taken once.
        while time.monotonic() < deadline and next(tickets, None) is not None:
            results.append(fetch(port, path))  # list.append is atomic under the GIL

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(client, range(clients)))
    return results, time.perf_counter() - started


_WRK_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}


def _wrk_seconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _WRK_UNITS[unit]


def measure_wrk(port: int, label: str, path: str, args) -> Row:
    """Load ``path`` with wrk (2 threads, ``--connections``) for ``--seconds``; read its latency table."""
    url = f"http://127.0.0.1:{port}{path}"
    subprocess.run(["wrk", "-t1", "-c4", "-d2s", "--timeout", "30s", url], capture_output=True)
    out = subprocess.run(["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds:.0f}s", "--latency",
                          "--timeout", "30s", "-H", "Accept-Language: vi", url],
                         capture_output=True, text=True).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.M))  # "1.02s " is padded
    done = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    timeouts = re.search(r"timeout (\d+)", out)
    errors = (int(bad.group(1)) if bad else 0) + (int(timeouts.group(1)) if timeouts else 0)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    queries = fetch(port, path)[2]
    nan = math.nan
    return Row(label, path, done, rps, _wrk_seconds(latency["50"]) if "50" in latency else nan,
               _wrk_seconds(latency["99"]) if "99" in latency else nan, queries, errors)


def drain(port: int, limit: float = 300) -> None:
    """Wait until requests left queued by the last page are served (sync workers finish them)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and fetch(port, "/healthz")[0] > 0.5:
        pass


def measure(port: int, label: str, path: str, args) -> Row:
    drain(port)
    if args.tool == "wrk" or (args.tool == "auto" and shutil.which("wrk")):
        return measure_wrk(port, label, path, args)
    _load(port, path, args.warmup, args.clients, min(args.page_seconds, WARMUP_SECONDS))
    results, wall = _load(port, path, args.requests, args.clients, args.page_seconds)
    latencies = sorted(r[0] for r in results)
    counts = [r[2] for r in results if r[2] is not None]
    return Row(label, path, len(results), len(results) / wall, percentile(latencies, 50),
               percentile(latencies, 99), int(statistics.median(counts)) if counts else None,
               sum(1 for r in results if r[1] != 200))


def pages(filled) -> list[tuple[str, str]]:
    villages = urlencode([("village", slug) for slug in filled.village_slugs] + [("stars", 4), ("stars", 5)])
    return [
        ("home", "/"),
        ("catalogue", "/products"),
        ("2 villages, 4–5★", f"/products?{villages}"),
        ("text search", "/products?q=gom"),
        ("search, no match", "/products?q=zzkhongco"),
        ("typo search", "/products?q=bat+trag"),
        ("group + price", "/products?group=food&sort=price_asc"),
        ("sort=stars", "/products?sort=stars"),
        ("page=200", "/products?page=200"),
        ("product page", f"/products/{filled.product_slug}"),
        ("village page", f"/villages/{filled.village_slugs[0]}"),
        ("village directory", "/villages?page=20"),
        ("producer page", f"/producers/{filled.producer_slug}"),
        ("JSON API", "/api/products"),
        ("JSON API, filters", f"/api/products?{villages}&sort=price_desc"),
        ("bare (1 query)", "/_bench/bare"),
    ]


# --- the report ------------------------------------------------------------------------------

def report(rows: list[Row], memory: dict[int, int], args, url: str, load: str) -> str:
    bare = next((r.rps for r in rows if r.path == "/_bench/bare"), None)
    wrk = args.tool == "wrk" or (args.tool == "auto" and shutil.which("wrk"))
    load_text = (f"wrk {args.connections} connections, {args.seconds:.0f} s per page" if wrk else
                 f"{args.clients} clients, up to {args.requests} requests or {args.page_seconds:.0f} s per page")
    lines = [f"Catalogue benchmark: {url.split('@')[-1]}, {args.products:,} products, "
             f"count cache {'off' if args.no_cache else 'on'}, gunicorn -w {args.workers}, {load_text}, "
             f"load average before {load}",
             f"{'page':<18} {'done':>5} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'queries':>8} {'errors':>7} "
             f"{'vs bare':>8}  path"]
    for r in rows:
        ratio = f"{r.rps / bare:.2f}" if bare else "-"
        queries = "-" if r.queries is None else str(r.queries)
        lines.append(f"{r.label:<18} {r.done:5d} {r.rps:8.1f} {r.p50 * 1000:8.1f} {r.p99 * 1000:8.1f} {queries:>8} "
                     f"{r.errors:7d} {ratio:>8}  {r.path}")
    lines.append("Worker memory (VmRSS after the run): "
                 + ", ".join(f"pid {pid}: {kb / 1024:.0f} MB" for pid, kb in sorted(memory.items())))
    return "\n".join(lines)


def main(argv=None) -> int:
    args = parse_args(argv)
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    RESULTS.mkdir(exist_ok=True)
    url = args.database_url or f"sqlite:///{RESULTS / 'catalog_bench.db'}"
    media_root = RESULTS / "media"
    filled = prepare_database(url, media_root, args.reuse, args.products)
    port = free_port()
    server = start_gunicorn(url, media_root, port, args.workers, args.no_cache)
    rows = []
    try:
        wait_until_up(server, port)
        for label, path in pages(filled):
            rows.append(measure(port, label, path, args))
            print(f"  measured {path}", flush=True)
        memory = worker_memory(server.pid)
    finally:
        stop(server)
    text = report(rows, memory, args, url, load)
    print(text)
    (RESULTS / "latest.txt").write_text(text + "\n")
    with open(RESULTS / "history.txt", "a") as history:
        history.write(time.strftime("%Y-%m-%d %H:%M:%S ") + text + "\n\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
