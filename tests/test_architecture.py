"""Packages depend on each other in one direction (docs/style.md §One home per rule).

The import graph is read from the sources of ``storefront/``: every ``import`` statement,
including one inside a function, since an import moved into a function to dodge a cycle is
still a cycle. The composition roots, which wire every package together and are imported by
none of them for what they wire, are left out: the application factory, the ``flask``
commands, the worker (the periodic schedule) and the start-up wiring. Nothing else imports them.
"""
import ast
from collections import defaultdict
from pathlib import Path

import storefront

ROOT = Path(storefront.__file__).resolve().parent
COMPOSITION_ROOTS = {"storefront", "storefront.cli", "storefront.worker", "storefront.wiring"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in ROOT.rglob("*.py")}


def _imported(node: ast.AST, module: str, is_package: bool, known: set[str]) -> set[str]:
    """Return the storefront modules one import statement brings in."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names if alias.name in known}
    if not isinstance(node, ast.ImportFrom):
        return set()
    if node.level:
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[:len(base) - node.level + 1]
        source = ".".join(base + ([node.module] if node.module else []))
    else:
        source = node.module or ""
    found = set()
    for alias in node.names:  # `from . import x` names a module; `from .x import y` a member
        child = f"{source}.{alias.name}"
        found.add(child if child in known else source)
    return found & known


def full_import_graph() -> dict[str, set[str]]:
    """Return {module: the storefront modules it imports}, every module included."""
    modules = _modules()
    known = set(modules)
    graph = defaultdict(set)
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            for target in _imported(node, module, path.name == "__init__.py", known):
                if target != module:
                    graph[module].add(target)
    return graph


def import_graph() -> dict[str, set[str]]:
    """Return {module: the storefront modules it imports}, composition roots left out."""
    return {module: targets - COMPOSITION_ROOTS for module, targets in full_import_graph().items()
            if module not in COMPOSITION_ROOTS}


def package_of(module: str) -> str:
    """Return the package a module belongs to: ``storefront.orders.services`` -> ``orders``.

    A module directly under ``storefront/`` (``unit_of_work``, ``phones``) is a package of its own.
    """
    return module.split(".")[1]


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return the strongly connected components of more than one node (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(set(graph) | {t for targets in graph.values() for t in targets}):
        if node not in index:
            visit(node)
    return found


def _package_graph(graph) -> tuple[dict[str, set[str]], dict[tuple[str, str], list[str]]]:
    packages, why = defaultdict(set), defaultdict(list)
    for module, targets in graph.items():
        for target in targets:
            a, b = package_of(module), package_of(target)
            if a != b:
                packages[a].add(b)
                why[(a, b)].append(f"{module} -> {target}")
    return packages, why


def _explain(components, edges, why) -> str:
    lines = []
    for component in components:
        lines.append(" <-> ".join(component))
        for a in component:
            for b in sorted(edges.get(a, ())):
                if b in component:
                    lines += [f"    {reason}" for reason in sorted(why.get((a, b), [f"{a} -> {b}"]))]
    return "\n".join(lines)


def test_no_import_cycle_between_packages():
    packages, why = _package_graph(import_graph())
    found = cycles(packages)
    assert not found, "import cycles between packages:\n" + _explain(found, packages, why)


def test_no_import_cycle_between_modules():
    graph = import_graph()
    found = cycles(graph)
    assert not found, "import cycles between modules:\n" + _explain(found, graph, {})


def test_only_a_composition_root_imports_a_composition_root():
    found = sorted(f"{module} -> {target}" for module, targets in full_import_graph().items()
                   if module not in COMPOSITION_ROOTS for target in targets & COMPOSITION_ROOTS)
    assert not found, "a module imports a composition root:\n" + "\n".join(found)


def test_the_graph_sees_relative_and_function_level_imports():
    graph = import_graph()
    assert "storefront.orders.routing" in graph["storefront.orders.placement"]  # from . import x
    assert "storefront.unit_of_work" in graph["storefront.orders.services"]  # from ..x import y
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
