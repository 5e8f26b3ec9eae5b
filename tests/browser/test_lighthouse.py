"""Lighthouse 12.2.3 (npm, pinned in package.json) on the shopper's pages, mobile profile, /usr/bin/chromium.

Performance must score at least 0.95; accessibility, best practices and SEO 1.0. Performance on a
shared 2-CPU machine varies from run to run (the other browser tests run beside it), so a page that
scores under the floor is measured twice more, each time scaled to the machine as that run found it,
and judged on the median run, picked as Lighthouse's own ``computeMedianRun`` picks it
(node_modules/lighthouse/core/lib/median-run.js). A page that is really slow fails all three. The scores and the
catalogue's bytes on first view are printed (run with ``-s`` to see them) and written to
test-artifacts/lighthouse/. The order page keeps its ``noindex`` (a private page must not be indexed),
so Lighthouse's "is crawlable" audit is left out there only.
"""
import json
import shutil
import subprocess
import urllib.request
from pathlib import Path

import pytest

from tests.browser import seed
from tests.browser.conftest import CHROMIUM, ROOT, TIMEOUT_MS, require_tool
from tests.browser.test_phone_shop import PHONE, demo_photos

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("lighthouse")]

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
REPORTS = ROOT / "test-artifacts" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
FLOOR = {"performance": 0.95, "accessibility": 1.0, "best-practices": 1.0, "seo": 1.0}
CATALOGUE_BUDGET = 120 * 1024  # bytes transferred on the catalogue's first view (the aim)
PHONE_BENCHMARK = 375  # Lighthouse's benchmark index of the phone its mobile profile emulates


def lighthouse(url: str, name: str, cookies: str = "", skip: tuple[str, ...] = (),
               cpu_slowdown: float = 4.0) -> dict:
    """Run Lighthouse once on ``url`` as a phone on a throttled 4G network; return its report."""
    REPORTS.mkdir(parents=True, exist_ok=True)
    out = REPORTS / f"{name}.json"
    command = [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
               "--form-factor=mobile", "--throttling-method=simulate",
               f"--throttling.cpuSlowdownMultiplier={cpu_slowdown:.2f}",
               f"--only-categories={','.join(CATEGORIES)}",
               "--chrome-flags=--headless=new --no-sandbox --disable-gpu --no-first-run"]
    if cookies:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookies}))
    if skip:
        command.append("--skip-audits=" + ",".join(skip))
    run = subprocess.run(command, capture_output=True, text=True, timeout=240,
                         env={"CHROME_PATH": CHROMIUM, "PATH": "/usr/bin:/bin", "HOME": str(REPORTS)})
    assert run.returncode == 0, f"lighthouse failed on {url}:\n{run.stderr[-2000:]}"
    return json.loads(out.read_text())


def cpu_slowdown(report: dict) -> float:
    """Scale the mobile profile's 4× CPU slowdown to this machine, as Lighthouse's throttling guide advises.

    The 4× default assumes a desktop host (benchmark index about 1500) and so emulates a phone of
    about 375. A shared CI machine can be slower than that phone already; slowing it 4× more would
    measure a phone far below the target. The multiplier stays between 1 and 4.
    """
    benchmark = report["environment"]["benchmarkIndex"]
    return max(1.0, min(4.0, benchmark / PHONE_BENCHMARK))


def _metric(report: dict, audit: str) -> float:
    return report["audits"][audit]["numericValue"]


def median_run(runs: list[dict]) -> dict:
    """The run nearest the median first contentful paint and time to interactive, as Lighthouse picks it."""
    def median(values: list[float]) -> float:
        ordered = sorted(values)
        middle = len(ordered) // 2
        return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    fcp = median([_metric(r, "first-contentful-paint") for r in runs])
    tti = median([_metric(r, "interactive") for r in runs])
    return min(runs, key=lambda r: ((fcp - _metric(r, "first-contentful-paint")) ** 2
                                    + (tti - _metric(r, "interactive")) ** 2, _metric(r, "interactive")))


def measure(url: str, name: str, cookies: str, skip: tuple[str, ...], slowdown: float) -> dict:
    """One run; when performance falls under the floor, two more, and the median of the three."""
    runs = [lighthouse(url, name, cookies, skip, slowdown)]
    if (runs[0]["categories"]["performance"]["score"] or 0) >= FLOOR["performance"]:
        return runs[0]
    for attempt in (2, 3):
        runs.append(lighthouse(url, f"{name}-run{attempt}", cookies, skip, cpu_slowdown(runs[-1])))
    chosen = median_run(runs)
    print(f"\n{name}: performance " + ", ".join(f"{r['categories']['performance']['score']:.2f}" for r in runs)
          + f" over three runs; median run {chosen['categories']['performance']['score']:.2f}")
    return chosen


def _cookie_header(context) -> str:
    return "; ".join(f"{c['name']}={c['value']}" for c in context.cookies())


@pytest.fixture(scope="module")
def catalogue_with_a_cart_and_an_order(chromium, live_server, world):
    """A catalogue with photos, a shopper with a full cart, and one who has placed an order."""
    products = [live_server.run(seed.listed_product, name, name_en, village, [outlet], stars=stars,
                                price=price)
                for name, name_en, village, outlet, stars, price in (
                    ("Bình hút lộc men lam", "Blue fortune vase", world.bat_trang, world.bat_trang_outlet, 5, 1850000),
                    ("Ấm chén men rạn", "Crackle tea set", world.bat_trang, world.bat_trang_outlet, 4, 950000),
                    ("Khăn lụa tơ tằm", "Mulberry silk scarf", world.van_phuc, world.van_phuc_outlet, 5, 420000),
                    ("Đĩa gốm vẽ tay", "Hand-painted plate", world.bat_trang, world.bat_trang_outlet, 3, 260000),
                    ("Vải lụa hoa văn", "Patterned silk", world.van_phuc, world.van_phuc_outlet, 4, 380000),
                    ("Bát gốm men ngọc", "Celadon bowl", world.bat_trang, world.bat_trang_outlet, 4, 180000))]
    for product in products:
        live_server.run(demo_photos, product.slug, 3)
    first = products[0]

    def session_with(cart: bool, order: bool):
        context = chromium.new_context(locale="vi-VN", **PHONE)
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        page.goto(f"{live_server.url}/products/{first.slug}")
        with page.expect_response(lambda r: "/cart/add" in r.url):
            page.get_by_role("button", name="Thêm vào giỏ").click()
        number = None
        if order:
            page.goto(f"{live_server.url}/checkout")
            page.get_by_label("Họ và tên", exact=True).fill("Trần Thị Mai")
            page.get_by_label("Số điện thoại", exact=True).fill("0912345678")
            page.get_by_label("E-mail", exact=True).fill("mai@example.com")
            page.get_by_label("Trả khi nhận hàng", exact=False).check()
            page.locator("#accept_terms").check()
            with page.expect_navigation():
                page.get_by_role("button", name="Đặt hàng", exact=True).click()
            number = page.url.split("/orders/")[1].split("?")[0]
        cookies = _cookie_header(context)
        context.close()
        return cookies, number

    cart_cookies, _ = session_with(cart=True, order=False)
    order_cookies, number = session_with(cart=True, order=True)
    return {"product": first, "cart": cart_cookies, "order": order_cookies, "number": number}


PAGES = ("home", "catalogue", "product", "cart", "checkout", "order")


@pytest.fixture(scope="module")
def reports(catalogue_with_a_cart_and_an_order, live_server):
    require_tool(shutil.which("node"), "node")
    require_tool(LIGHTHOUSE, "lighthouse (npm)")
    base = live_server.url
    plan = {
        "home": (f"{base}/", "", ()),
        "catalogue": (f"{base}/products", "", ()),
        "product": (f"{base}/products/{catalogue_with_a_cart_and_an_order['product'].slug}", "", ()),
        "cart": (f"{base}/cart", catalogue_with_a_cart_and_an_order["cart"], ()),
        "checkout": (f"{base}/checkout", catalogue_with_a_cart_and_an_order["cart"], ()),
        "order": (f"{base}/orders/{catalogue_with_a_cart_and_an_order['number']}",
                  catalogue_with_a_cart_and_an_order["order"], ("is-crawlable",)),
    }
    for url, cookies, _skip in plan.values():  # the first request of each page builds caches
        urllib.request.urlopen(urllib.request.Request(url, headers={"Cookie": cookies}), timeout=30).read()
    slowdown = cpu_slowdown(lighthouse(plan["home"][0], "calibration"))
    results = {name: measure(url, name, cookies, skip, slowdown)
               for name, (url, cookies, skip) in plan.items()}
    summary = {name: {c: report["categories"][c]["score"] for c in CATEGORIES}
               for name, report in results.items()}
    summary["catalogue bytes on first view"] = \
        results["catalogue"]["audits"]["total-byte-weight"]["numericValue"]
    (REPORTS / "scores.json").write_text(json.dumps(summary, indent=2))
    print(f"\nLighthouse 12.2.3, mobile, CPU slowdown {slowdown:.2f}:")
    for name in PAGES:
        print(f"  {name:10s} " + "  ".join(f"{c} {summary[name][c]:.2f}" for c in CATEGORIES))
    print(f"  catalogue transferred on first view: {summary['catalogue bytes on first view'] / 1024:.1f} KB")
    return results


def _failing(report: dict, category: str) -> list[str]:
    refs = report["categories"][category]["auditRefs"]
    audits = report["audits"]
    return [f"{r['id']}: {audits[r['id']]['title']} ({audits[r['id']].get('displayValue', '')})"
            for r in refs if r.get("weight") and (audits[r["id"]].get("score") or 0) < 1
            and audits[r["id"]]["scoreDisplayMode"] not in ("notApplicable", "informative", "manual")]


@pytest.mark.parametrize("page_name", PAGES)
def test_lighthouse_scores_on_a_phone(reports, page_name):
    report = reports[page_name]
    low = {c: report["categories"][c]["score"] for c in CATEGORIES
           if (report["categories"][c]["score"] or 0) < FLOOR[c]}
    assert not low, f"{page_name}: {low}\n" + "\n".join(
        f"[{c}] {line}" for c in low for line in _failing(report, c))


def test_the_catalogue_sends_little_on_first_view(reports):
    sent = reports["catalogue"]["audits"]["total-byte-weight"]["numericValue"]
    assert sent < CATALOGUE_BUDGET, f"the catalogue's first view transfers {sent / 1024:.1f} KB"
