"""The shape of src/audit: layers without cycles, small modules, a small public API, a thin notebook."""

from __future__ import annotations

import ast
import json
from functools import lru_cache
from pathlib import Path

import audit
from audit.paths import NOTEBOOK

SRC = Path(audit.__file__).parent

#: the layers from the bottom; a module may import its own layer and those below it
LAYERS = (
    ("exceptions",),
    ("paths", "io", "i18n", "format", "catalogue", "lockinfo", "progress", "forked"),
    ("config",),
    ("model",),
    ("data",),
    ("kpi",),
    ("assessment",),
    ("cycle",),
    ("report",),
    (
        "runner",
        "kernel",
        "finalize",
        "batch",
        "scaffold",
        "input_templates",
        "input_words",
        "demo",
        "cli",
        "__init__",
        "__main__",
    ),
)
LAYER = {name: i for i, names in enumerate(LAYERS) for name in names}


def _module(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(("audit", *parts)).removesuffix(".__init__")


def _layer(module: str) -> int:
    top = module.split(".")[1] if module.count(".") else "__init__"
    return LAYER[top]


def _edges(node: ast.AST, where: str, modules: set[str]) -> set[tuple[str, str]]:
    """(imported audit module, enclosing function or 'module') for every import under ``node``."""
    found: set[tuple[str, str]] = set()
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.ImportFrom) and child.module:
            base = child.module
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in child.names]
        elif isinstance(child, ast.Import):
            targets = [a.name for a in child.names]
        else:
            inner = child.name if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else where
            if not (isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test)):
                found |= _edges(child, inner, modules)
            continue
        found |= {(t, where) for t in targets if t == "audit" or t.startswith("audit.")}
    return found


@lru_cache(maxsize=1)
def _imports() -> dict[str, set[tuple[str, str]]]:
    """Module → {(imported audit module, where: 'module' or the enclosing function's name)}."""
    paths = list(SRC.rglob("*.py"))
    modules = {_module(p) for p in paths}
    out = {}
    for path in paths:
        name = _module(path)
        edges = _edges(ast.parse(path.read_text(encoding="utf-8")), "module", modules)
        out[name] = {(t, w) for t, w in edges if t != name}
    return out


def test_no_module_imports_a_layer_above_it() -> None:
    upward = [
        f"{module} ({where}) imports {target}"
        for module, edges in _imports().items()
        for target, where in edges
        if where != "_repr_html_" and target != "audit" and _layer(target) > _layer(module)
    ]
    assert upward == []


def test_function_level_imports_of_the_package_only_in_repr_html() -> None:
    hidden = [
        f"{module}: {target} inside {where}()"
        for module, edges in _imports().items()
        for target, where in edges
        if where not in {"module", "_repr_html_"}
    ]
    assert hidden == []


def test_import_graph_has_no_cycle() -> None:
    found = _imports()
    graph = {m: {t for t, where in e if where != "_repr_html_" and t in found} for m, e in found.items()}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def walk(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append([*trail[trail.index(nxt) :], nxt] if nxt in trail else [node, nxt])
            elif nxt not in state:
                walk(nxt, [*trail, nxt])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            walk(module, [module])
    # a package's __init__ re-exporting its modules is not a cycle with them
    real = [c for c in cycles if not all(m.startswith(c[0]) or c[0].startswith(m) for m in c)]
    assert real == []


def test_no_module_over_600_lines() -> None:
    long = {str(p.relative_to(SRC)): n for p in SRC.rglob("*.py") if (n := len(p.read_text().splitlines())) > 600}
    assert long == {}


def test_public_names() -> None:
    assert sorted(audit.__all__) == [
        "AuditError",
        "AuditSnapshot",
        "__version__",
        "assess",
        "compute_kpis",
        "hand_over",
        "load_audit",
        "open_audit",
        "run_audit",
        "snapshot",
    ]
    public = {n for n in dir(audit) if not n.startswith("_") and not isinstance(getattr(audit, n), type(ast))}
    assert public <= set(audit.__all__)


def test_the_notebook_is_thin() -> None:
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    parameters = [c for c in code if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(parameters) == 1
    names = {t.id for n in ast.parse("".join(parameters[0]["source"])).body for t in getattr(n, "targets", [])}
    assert names == {"audit_dir", "context"}  # the runner passes exactly these
    for cell in code:
        tree = ast.parse("".join(cell["source"]))
        assert not [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.Lambda))]
        assert not [n for n in ast.walk(tree) if isinstance(n, ast.Call) and ast.unparse(n.func) == "open"]
