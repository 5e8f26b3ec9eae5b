"""Every main page passes axe-core (no serious or critical violation) and the Nu HTML checker.

The pages are visited once per worker, signed in as the role each needs; each page then has
its own two tests, so a report names the page at fault.
"""
import json
import shutil
import subprocess
from dataclasses import dataclass, field

import pytest

from tests.browser import seed
from tests.browser.conftest import AXE, VNU, VIEWPORTS, PageNotBuilt, Screenshots, Visitor, require_tool

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("pages")]

PAGES = ("home", "catalogue", "product", "cart", "checkout", "producer dashboard",
         "outlet dashboard", "admin dashboard")
SERIOUS = {"serious", "critical"}
AXE_RESULTS = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " " + n.html.slice(0, 160))}));
}"""


@dataclass
class Audit:
    html: str = ""
    violations: list = field(default_factory=list)
    problem: str | None = None  # why the page could not be audited


def _audit(visitor: Visitor, name: str, audits: dict, path: str | None = None) -> None:
    """Open ``path`` (or take the page as it is), keep its HTML and its axe violations."""
    audit = audits[name] = Audit()
    try:
        response = visitor.open(path, name) if path else None
        audit.html = response.text() if response else visitor.page.content()
    except (PageNotBuilt, AssertionError) as error:
        audit.problem = str(error)
        return
    if AXE.exists():
        visitor.page.add_script_tag(path=str(AXE))
        audit.violations = visitor.page.evaluate(AXE_RESULTS)
    visitor.shot(name.replace(" ", "-"))


def _as(chromium, live_server, who: str) -> Visitor:
    # bypass_csp: axe-core is injected as an inline script, which the site's CSP rightly refuses
    context = chromium.new_context(locale="vi-VN", bypass_csp=True, **VIEWPORTS["desktop"])
    context.set_default_timeout(10_000)
    return Visitor(context, live_server, Screenshots("pages"), who)


@pytest.fixture(scope="module")
def audits(chromium, live_server, world):
    product = live_server.run(seed.listed_product, "Gốm men rạn", "Crackle-glazed bowl",
                              world.bat_trang, [world.bat_trang_outlet], stars=5, price=275000)
    results: dict[str, Audit] = {}
    shopper = _as(chromium, live_server, "shopper")
    _audit(shopper, "home", results, "/")
    _audit(shopper, "catalogue", results, "/products")
    _audit(shopper, "product", results, f"/products/{product.slug}")
    try:
        shopper.page.get_by_role("button", name="Thêm vào giỏ").click()
        shopper.page.locator("#added-sheet").wait_for(state="visible")
    except Exception as error:  # noqa: BLE001 — cart and checkout report it below
        results["cart"] = results["checkout"] = Audit(problem=f"adding to the cart failed: {error}")
    else:
        _audit(shopper, "cart", results, "/cart")
        _audit(shopper, "checkout", results, "/checkout")
    for name, email, path in (
            ("producer dashboard", live_server.run(seed.producer_account, world.bat_trang), "/producer/"),
            ("outlet dashboard", world.staff_email[world.bat_trang_outlet], "/outlet/"),
            ("admin dashboard", world.admin_email, "/admin/")):
        person = _as(chromium, live_server, name.split()[0])
        try:
            person.sign_in(email, seed.PASSWORD)
        except (PageNotBuilt, AssertionError) as error:
            results[name] = Audit(problem=f"sign-in did not reach {path}: {error}")
        else:
            _audit(person, name, results, path)
        person.context.close()
    shopper.context.close()
    return results


@pytest.fixture(scope="module")
def html_errors(audits, tmp_path_factory):
    """Run the Nu HTML checker once over every audited page; return its errors by page."""
    require_tool(shutil.which("java"), "java (for vnu.jar)")
    require_tool(VNU, "vnu-jar (npm)")
    folder = tmp_path_factory.mktemp("html")
    files = {}
    for name, audit in audits.items():
        if audit.html:
            files[name] = folder / f"{name.replace(' ', '-')}.html"
            files[name].write_text(audit.html, encoding="utf-8")
    if not files:
        return {}
    run = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json",
                          *map(str, files.values())], capture_output=True, text=True, timeout=120)
    messages = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
    by_file = {path.as_uri(): name for name, path in files.items()}
    errors = {name: [] for name in files}
    for message in messages:
        name = by_file.get(message.get("url", "").replace("file:/", "file:///", 1)) \
            or by_file.get(message.get("url", ""))
        errors.setdefault(name or "?", []).append(
            f"line {message.get('lastLine')}: {message.get('message')} [{message.get('extract', '')!r}]")
    return errors


def _audited(audits, page_name) -> Audit:
    audit = audits[page_name]
    if audit.problem:
        pytest.fail(f"{page_name} could not be audited: {audit.problem}")
    return audit


@pytest.mark.parametrize("page_name", PAGES)
def test_page_has_no_serious_accessibility_violations(audits, page_name):
    require_tool(AXE, "axe-core (npm)")
    audit = _audited(audits, page_name)
    serious = [v for v in audit.violations if v["impact"] in SERIOUS]
    assert not serious, f"axe-core on {page_name}:\n" + "\n".join(
        f"- [{v['impact']}] {v['id']}: {v['help']} at\n    " + "\n    ".join(v["nodes"])
        for v in serious)


@pytest.mark.parametrize("page_name", PAGES)
def test_page_is_valid_html(audits, html_errors, page_name):
    _audited(audits, page_name)
    errors = html_errors.get(page_name, [])
    assert not errors, f"Nu HTML checker on {page_name}:\n" + "\n".join(errors)
