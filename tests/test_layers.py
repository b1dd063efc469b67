"""The package's layers: which folder may import which (README, 'Layout').

The rule: the engine imports nothing from the runs, analysis, plots or compare layers;
analysis, plots and compare never import the engine, directly or through another
module; analysis never imports plots; the shared modules (names, config, folders,
data) import none of the layers; no layer imports the explorer (``explore``, which may
import any). Imports inside functions count as imports.
"""

from __future__ import annotations

import ast
from collections import deque
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"

#: Layer -> layers it must never reach (directly or through any chain of imports).
#: (``explore``, the browser explorer, is a door in like ``runs``: it runs variants and reads
#: results, so it may import any layer; no layer imports it.)
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "engine": ("runs", "analysis", "plots", "compare", "explore"),
    "runs": ("explore",),
    "analysis": ("engine", "runs", "plots", "compare", "explore"),
    "plots": ("engine", "runs", "compare", "explore"),
    "compare": ("engine", "explore"),
    "data": ("engine", "runs", "analysis", "plots", "compare", "explore"),
    "shared": ("engine", "runs", "analysis", "plots", "compare", "explore"),
}
LAYERS = ("engine", "runs", "analysis", "plots", "compare", "data", "explore")


def module_name(path: Path, root: Path) -> str:
    """Dotted module name of ``path`` under ``root`` (a package's ``__init__`` is the package)."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, name: str, package: str) -> set[str]:
    """Modules of ``package`` that the module ``name`` (file ``path``) imports, anywhere in it."""
    tree = ast.parse(path.read_text(), filename=str(path))
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")
                keep = len(base) - node.level + (1 if is_package else 0)
                stem = ".".join(base[:keep])
                target = f"{stem}.{node.module}" if node.module else stem
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{a.name}" for a in node.names)
    return {m for m in found if m == package or m.startswith(f"{package}.")}


def lazy_names(init: Path, package: str) -> dict[str, str]:
    """The names the package's ``__init__`` loads lazily (its ``__getattr__`` over a tuple
    ``_API``) from a module it imports in that function: ``{"pkg.run": "pkg.runs.api"}``.
    ``from pkg import run`` inside a layer reaches that module."""
    if not init.is_file():
        return {}
    tree = ast.parse(init.read_text())
    names: list[str] = []
    source = ""
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "_API" for t in node.targets
        ):
            names = [
                e.value for e in getattr(node.value, "elts", []) if isinstance(e, ast.Constant)
            ]
        if isinstance(node, ast.FunctionDef) and node.name == "__getattr__":
            for inner in ast.walk(node):
                if isinstance(inner, ast.ImportFrom) and inner.module:
                    source = f"{inner.module}.{inner.names[0].name}"
    return {f"{package}.{n}": source for n in names} if source else {}


def layer_of(module: str, package: str) -> str:
    """The layer a module of ``package`` belongs to: ``entry`` for the package itself and its
    ``__main__`` (the doors in: the Python API and the command line, free to import any
    layer), ``shared`` for the other top-level modules."""
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in LAYERS:
        return parts[1]
    if module in (package, f"{package}.__main__"):
        return "entry"
    return "shared"


def violations(root: Path, package: str = "lbn_sim") -> list[str]:
    """Every import chain from a module to a layer it must not reach, as readable lines.

    ``root`` holds the package folder ``package``.
    """
    files = {module_name(p, root): p for p in sorted((root / package).rglob("*.py"))}
    lazy = lazy_names(root / package / "__init__.py", package)
    graph = {
        m: {lazy.get(i, i) for i in imports_of(p, m, package) if lazy.get(i, i) in files}
        for m, p in files.items()
    }
    out: list[str] = []
    for start in sorted(files):
        banned = FORBIDDEN.get(layer_of(start, package), ())
        if not banned:
            continue
        # Breadth-first over the imports, keeping the chain that reached each module.
        seen = {start: [start]}
        queue = deque([start])
        while queue:
            here = queue.popleft()
            for nxt in sorted(graph[here]):
                if nxt in seen or nxt == package:
                    # (the package's own __init__ is a door in, loading the API lazily: importing
                    # any module runs it, but not the functions it loads)
                    continue
                seen[nxt] = [*seen[here], nxt]
                if layer_of(nxt, package) in banned:
                    out.append(" -> ".join(seen[nxt]))
                    continue
                queue.append(nxt)
    return out


def test_the_package_keeps_its_layers() -> None:
    assert violations(SRC) == []


def test_the_lazy_api_counts_as_the_module_it_loads(tmp_path: Path) -> None:
    """``from lbn_sim import run`` inside the engine reaches lbn_sim.runs.api: refused."""
    pkg = tmp_path / "pkg"
    for folder in ("engine", "runs"):
        (pkg / folder).mkdir(parents=True)
        (pkg / folder / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text(
        '_API = ("run",)\n\ndef __getattr__(name):\n    from pkg.runs import api\n'
        "    return getattr(api, name)\n"
    )
    (pkg / "runs" / "api.py").write_text("def run():\n    pass\n")
    (pkg / "engine" / "model.py").write_text("from pkg import run\n")
    assert violations(tmp_path, "pkg") == ["pkg.engine.model -> pkg.runs.api"]


def test_every_module_is_in_a_layer_folder_or_shared() -> None:
    top = sorted(p.stem for p in (SRC / "lbn_sim").glob("*.py"))
    shared = ["__init__", "__main__", "bad_files", "config", "errors", "folders", "names"]
    assert top == [*shared, "threads"]


@pytest.mark.parametrize(
    ("where", "line", "expected"),
    [
        ("engine/core.py", "from pkg.runs.io import write", "pkg.engine.core -> pkg.runs.io"),
        ("analysis/gaps.py", "import pkg.engine.core", "pkg.analysis.gaps -> pkg.engine.core"),
        (
            "plots/lines.py",
            "def f():\n    from pkg.helpers import g\n",
            "pkg.plots.lines -> pkg.helpers -> pkg.engine.core",
        ),
        ("compare/table.py", "from ..engine import core", "pkg.compare.table -> pkg.engine.core"),
    ],
)
def test_the_check_fails_on_a_forbidden_import(
    tmp_path: Path, where: str, line: str, expected: str
) -> None:
    """A toy package where one module breaks the rule (directly, inside a function, through a
    shared module, or by a relative import): the check names the chain."""
    pkg = tmp_path / "pkg"
    for folder in ("engine", "runs", "analysis", "plots", "compare"):
        (pkg / folder).mkdir(parents=True)
        (pkg / folder / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("")
    (pkg / "engine" / "core.py").write_text("X = 1\n")
    (pkg / "runs" / "io.py").write_text("from pkg.engine.core import X\n")
    (pkg / "helpers.py").write_text("from pkg.engine.core import X\n")
    assert violations(tmp_path, "pkg") == ["pkg.helpers -> pkg.engine.core"], (
        "a shared module importing the engine is itself a violation"
    )
    (pkg / "helpers.py").write_text("def g():\n    from pkg.engine.core import X\n")
    assert violations(tmp_path, "pkg") == ["pkg.helpers -> pkg.engine.core"]
    (pkg / "helpers.py").write_text("Y = 2\n")
    assert violations(tmp_path, "pkg") == []
    if "helpers" in line:
        # Reaching the engine through a shared module that imports it.
        (pkg / "helpers.py").write_text("def g():\n    from pkg.engine.core import X\n")
    target = pkg / where
    target.write_text(line + "\n")
    found = violations(tmp_path, "pkg")
    assert expected in found


def test_engine_modules_and_functions_stay_small() -> None:
    """No engine module over 400 lines, no function over 60, and the model's step reads like
    Mesa's examples (at most 15 lines): a newcomer can find and read any part."""
    engine = SRC / "lbn_sim" / "engine"
    too_long: list[str] = []
    for path in sorted(engine.rglob("*.py")):
        text = path.read_text()
        if len(text.splitlines()) > 400:
            too_long.append(f"{path.name}: {len(text.splitlines())} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                limit = 15 if (path.name, node.name) == ("model.py", "step") else 60
                if length > limit:
                    too_long.append(f"{path.name}:{node.name}: {length} lines (limit {limit})")
    assert too_long == []
