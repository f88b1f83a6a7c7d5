"""The layers of docs/architecture.md, read from the code with ``ast``: core imports no feature area, each
area imports only the areas below it, there are no import circles (imports inside functions count), and
no module is over 500 lines."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "renovation"

#: The feature areas from the bottom up. An area may import itself and the areas before it, never one
#: after it (docs/architecture.md). A new area must be placed here (and in the document).
LAYERS = ("core", "org", "accounts", "projects",
          "wishes", "voting", "planning", "construction", "aftercare", "party", "roster",
          "reports", "dashboard", "admin")
#: Modules of the package itself that any area may import (unbound extensions, defaults).
SHARED = {"renovation.extensions", "renovation.config"}
MAX_LINES = 500
#: The top of the package, which wires the areas together; no area may import it.
TOP = {"renovation", "renovation.models", "renovation.demo"}


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        if "translations" in path.parts:
            continue
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _resolve(name: str) -> str:
    """The module a dotted import name lands in (``renovation.org.models.Household`` -> its module)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name


def _imports(path: Path) -> set[str]:
    """Every ``renovation`` module imported by the file, at the top or inside a function."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(_resolve(a.name) for a in node.names if a.name.startswith("renovation"))
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("renovation"):
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                out.add(full if full in MODULES else _resolve(node.module))
    return out - {""}


GRAPH = {name: _imports(path) - {name} for name, path in MODULES.items()}


def _area(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and (PACKAGE / parts[1]).is_dir() else None


def test_every_area_has_a_place_in_the_layers():
    areas = {_area(m) for m in MODULES} - {None}
    assert areas - set(LAYERS) == set(), "place the new area in LAYERS and in docs/architecture.md"


def test_core_imports_no_feature_area():
    up = sorted(f"{m} -> {t}" for m, targets in GRAPH.items() if _area(m) == "core"
                for t in targets if t not in SHARED and _area(t) != "core")
    assert up == []


def test_areas_import_only_areas_below_them():
    wrong = []
    for module, targets in GRAPH.items():
        area = _area(module)
        if area is None:
            continue
        for target in targets:
            if target in SHARED:
                continue
            if target in TOP:
                wrong.append(f"{module} -> {target} (the top of the package)")
                continue
            other = _area(target)
            if other is not None and LAYERS.index(other) > LAYERS.index(area):
                wrong.append(f"{module} -> {target} ({other} is above {area})")
    assert sorted(wrong) == []


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm, iterative)."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, ()))))]
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
                    work.append((child, iter(sorted(graph.get(child, ())))))
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


def test_no_import_circles():
    assert _cycles(GRAPH) == []


def test_the_cycle_finder_finds_a_circle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_over_500_lines():
    long = {name: n for name, path in MODULES.items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}, "split these by what they are about"
