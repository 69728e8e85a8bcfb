"""The layers, read from the code's syntax trees (not its text): who imports whom, who
touches whose private members, and no cycle among the product's modules."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import ROOT

PRODUCT = ("forms", "sync", "kiosk")
"""What the kiosk's package ships (main.py too); tools/ and reference_platform/ do not."""


def _modules(*folders: str) -> Iterator[tuple[str, Path]]:
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            yield ".".join(parts), path


def _imports(path: Path, module: str) -> set[str]:
    """Every module `path` imports, at any depth (inside functions and TYPE_CHECKING too)."""
    found: set[str] = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}".rstrip(".")
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _top(name: str) -> str:
    return name.split(".")[0]


def test_the_core_imports_neither_qt_nor_kiosk_nor_each_other() -> None:
    allowed = {"forms": {"forms"}, "sync": {"sync"}}
    for folder, own in allowed.items():
        for module, path in _modules(folder):
            project = {_top(i) for i in _imports(path, module)} & {
                "forms", "sync", "kiosk", "tools", "reference_platform", "PySide6", "shiboken6",
            }  # fmt: skip
            assert project <= own, f"{path.relative_to(ROOT)} imports {sorted(project - own)}"


def test_the_product_does_not_import_the_tools_or_the_reference_platform() -> None:
    for module, path in [*_modules(*PRODUCT), ("main", ROOT / "main.py")]:
        imported = {_top(i) for i in _imports(path, module)}
        assert "tools" not in imported, path
        if module != "main":  # main.py starts the demo platform, and only with --demo
            assert "reference_platform" not in imported, path


def test_nobody_outside_the_journey_touches_its_private_members() -> None:
    """The staff side, the tools and the tests use the journey's public methods."""
    offenders = []
    for module, path in [*_modules("kiosk", "tools", "tests"), ("main", ROOT / "main.py")]:
        if module.startswith("kiosk.journey"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
                and _names_a_journey(node.value)
            ):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} .{node.attr}")
    assert offenders == []


JOURNEY_HELPERS = {"speaking", "bar", "status", "receipts"}
"""The journey's own helpers (kiosk/journey/*.py), reached as `journey.<helper>`."""


def _names_a_journey(node: ast.expr) -> bool:
    """`journey`, `self.journey`, `kiosk.journey`, or a helper of it (`journey.bar`)."""
    if isinstance(node, ast.Name):
        return node.id == "journey"
    if isinstance(node, ast.Attribute):
        if node.attr == "journey":
            return True
        return node.attr in JOURNEY_HELPERS and _names_a_journey(node.value)
    return False


def test_no_import_cycle_among_the_products_modules() -> None:
    """Module-level imports only (those under TYPE_CHECKING or inside a function do not
    run at import time, so they cannot make a cycle)."""
    modules = dict(_modules(*PRODUCT))
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        edges: set[str] = set()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = f"{package}.{base}".rstrip(".")
                names = [base, *(f"{base}.{a.name}" for a in node.names)]
            edges.update(n for n in names if n in modules and n != module)
        graph[module] = edges
    cycle = _find_cycle(graph)
    assert cycle == [], " -> ".join(cycle)


def _find_cycle(graph: dict[str, set[str]]) -> list[str]:
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        path.pop()
        return []

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return []


def test_the_journeys_modules_stay_small() -> None:
    for _module, path in _modules("kiosk/journey"):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        assert lines <= 400, f"{path.relative_to(ROOT)}: {lines} lines"
