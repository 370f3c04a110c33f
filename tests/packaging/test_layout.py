"""The package's shape: one import name, no import circles, an architecture page that is true."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def package_dirs() -> dict[str, Path]:
    """pyproject.toml's package-dir entries that are Python packages (have an __init__.py)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    mapping: dict[str, str] = config["tool"]["setuptools"]["package-dir"]
    return {
        name: ROOT / folder
        for name, folder in mapping.items()
        if (ROOT / folder / "__init__.py").is_file()
    }


def source_modules() -> dict[str, Path]:
    """Every module of the package by its dotted name, from the mapped source folders."""
    modules: dict[str, Path] = {}
    for package, folder in package_dirs().items():
        for path in folder.rglob("*.py"):
            parts = list(path.relative_to(folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join([package, *parts])] = path
    return modules


def source_packages() -> set[str]:
    return {
        name
        for name, path in source_modules().items()
        if path.name == "__init__.py"
    }


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(child) for child in ast.walk(node))
    return skipped


def _imported_names(name: str, path: Path) -> Iterator[str]:
    tree = ast.parse(path.read_text(), str(path))
    skipped = _type_checking_nodes(tree)
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
                anchor = package[: len(package) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def import_graph() -> dict[str, set[str]]:
    """Module -> the package's modules it imports anywhere in its body (lazy imports count)."""
    modules = source_modules()
    return {
        name: {target for target in _imported_names(name, path) if target in modules} - {name}
        for name, path in modules.items()
    }


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
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
    return found


def test_cycle_finder_sees_a_circle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_package_has_no_import_circles() -> None:
    found = cycles(import_graph())
    assert not found, f"import circles: {found}"


def test_every_package_is_listed_for_the_wheel() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    listed = set(config["tool"]["setuptools"]["packages"])
    missing = source_packages() - listed
    assert not missing, f"add to [tool.setuptools] packages in pyproject.toml: {sorted(missing)}"


def test_architecture_page_names_every_subpackage() -> None:
    page = (ROOT / "docs" / "architecture.md").read_text()
    named = set(re.findall(r"`(pgtdd(?:\.\w+)*)`", page))
    missing = {name for name in source_packages() if name not in named}
    assert not missing, f"docs/architecture.md does not name: {sorted(missing)}"
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    mapped = set(config["tool"]["setuptools"]["package-dir"])
    stale = {name for name in named if name not in source_modules() and name not in mapped}
    assert not stale, f"docs/architecture.md names what does not exist: {sorted(stale)}"


def test_importing_pgtdd_loads_nothing_heavy() -> None:
    heavy = ("docker", "testcontainers", "pglast", "asyncpg", "psycopg", "yaml", "tenacity")
    code = (
        "import sys, pgtdd\n"
        "pgtdd.server, pgtdd.ServerInfo  # the server outside pytest: loaded at its start\n"
        "import pgtdd.unittest_support\n"
        f"print(','.join(m for m in {heavy!r} if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "", f"`import pgtdd` loads {loaded}"


# What loading the pytest plugin (the pytest11 module and the fixture modules it registers)
# must not import: each loads when a test first uses what needs it.
PLUGIN_MUST_NOT_LOAD = (
    "docker",
    "testcontainers",
    "pglast",
    "asyncpg",
    "psycopg",
    "tenacity",
    "sqlalchemy",
    "psutil",
    "pgtdd.performance.monitor",
    "pgtdd.performance.regression",
    "pgtdd.migrations.mutation",
    "pgtdd.migrations.runner",
    "pgtdd.isolation.database",
    "pgtdd.models.dataflow",
    "pgtdd.providers.container",
    "pgtdd.session",
)


def test_loading_the_plugin_loads_nothing_heavy() -> None:
    from pgtdd.performance.inner_loop import IMPORT_PROBE

    code = IMPORT_PROBE + (
        "import sys\n"
        f"print('loaded:' + ','.join(m for m in {PLUGIN_MUST_NOT_LOAD!r} if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    (line,) = [x for x in done.stdout.splitlines() if x.startswith("loaded:")]
    assert line == "loaded:", f"loading the pytest plugin imports {line.removeprefix('loaded:')}"


def test_modules_stay_small() -> None:
    over = {
        name: lines
        for name, path in source_modules().items()
        if (lines := len(path.read_text().splitlines())) > 520
    }
    assert not over, f"modules over ~500 lines: {over}"
