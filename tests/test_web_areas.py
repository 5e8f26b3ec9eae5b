"""One web area per role (``storefront/web/``): each area is one blueprint, guarded in one place, and
view modules share helpers through public names only."""
import ast
from pathlib import Path

import pytest

import storefront
from tests.support.factories import ProducerUserFactory, StaffUserFactory, UserFactory

ROOT = Path(storefront.__file__).resolve().parent
AREAS = {"/admin": "admin", "/producer": "producer", "/outlet": "outlet"}


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _source(node: ast.ImportFrom, path: Path) -> str:
    if not node.level:
        return node.module or ""
    base = _module(path).split(".")
    base = base if path.name == "__init__.py" else base[:-1]
    return ".".join(base[:len(base) - node.level + 1] + ([node.module] if node.module else []))


@pytest.mark.parametrize("prefix", sorted(AREAS))
def test_each_staff_area_is_served_by_one_blueprint(app, prefix):
    served_by = {rule.endpoint.split(".")[0] for rule in app.url_map.iter_rules()
                 if rule.rule == prefix or rule.rule.startswith(prefix + "/")}

    assert served_by == {AREAS[prefix]}


def test_the_shop_api_and_webhooks_are_one_blueprint_each(app):
    def served_by(start):
        return {rule.endpoint.split(".")[0] for rule in app.url_map.iter_rules()
                if rule.rule.startswith(start)}

    assert served_by("/api/") == {"api"}
    assert served_by("/orders/") | served_by("/cart") | served_by("/checkout") \
        | served_by("/auth/") | served_by("/products") == {"shop"}
    assert served_by("/stripe/") | served_by("/payments/bank/") == {"webhooks"}


def test_no_view_module_imports_another_modules_private_names():
    found = []
    for path in ROOT.rglob("*views.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and _source(node, path).startswith("storefront"):
                found += [f"{_module(path)}: from {_source(node, path)} import {alias.name}"
                          for alias in node.names if alias.name.startswith("_")]
    assert not found, "private names imported by a view module:\n" + "\n".join(found)


def _registers_routes(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            for decorator in node.decorator_list:
                call = decorator.func if isinstance(decorator, ast.Call) else decorator
                if isinstance(call, ast.Attribute) and call.attr in {"get", "post", "route"} \
                        and isinstance(call.value, ast.Name) and call.value.id == "bp":
                    return True
    return False


def test_view_modules_follow_one_pattern_and_use_an_areas_blueprint():
    """A module with routes is ``views.py`` or ``<area>_views.py`` and takes its blueprint from
    ``storefront/web/`` (the few blueprints outside the areas are top-level modules)."""
    wrong = []
    for path in ROOT.rglob("*.py"):
        module = _module(path)
        if module.count(".") < 2 or module.startswith("storefront.web"):
            continue  # storefront/health.py, language.py, media.py, scans.py, assets.py
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if not _registers_routes(tree):
            continue
        sources = {_source(n, path) for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        if not path.stem.endswith("views") or not any(s.startswith("storefront.web.") for s in sources):
            wrong.append(module)
    assert not wrong


@pytest.mark.parametrize("url, allowed", [
    ("/admin/", None), ("/admin/reports/", None), ("/admin/transfers", None),
    ("/producer/", ProducerUserFactory), ("/producer/labels", ProducerUserFactory),
    ("/outlet/", StaffUserFactory), ("/outlet/board", StaffUserFactory),
])
def test_every_page_of_a_staff_area_is_guarded(client, login, url, allowed):
    assert "/auth/login" in client.get(url).location  # anonymous: sign in first

    login(UserFactory())  # a shopper
    assert client.get(url).status_code == 403

    if allowed is not None:
        login(allowed())
        assert client.get(url).status_code == 200
