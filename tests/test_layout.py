"""The shape of the code: dependencies point one way and no module imports, at module level, one that imports it
back. (An import inside a function, like a task module and the service it calls, runs later and is allowed.)"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("accounts", "billing", "complaints", "portal")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _project_modules() -> dict[str, Path]:
    return {
        _module_name(path): path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    }


def _top_level_imports(tree: ast.Module) -> list[tuple[str, list[str]]]:
    """(module, names) of the imports that run when the module is loaded, not those under TYPE_CHECKING."""
    found: list[tuple[str, list[str]]] = []
    pending: list[ast.stmt] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Import):
            found.extend((alias.name, []) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.module, [alias.name for alias in node.names]))
        elif isinstance(node, ast.If) and "TYPE_CHECKING" not in ast.unparse(node.test):
            pending.extend(node.body + node.orelse)
        elif isinstance(node, ast.Try):
            pending.extend(node.body + node.orelse + node.finalbody)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _project_modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for imported, names in _top_level_imports(ast.parse(path.read_text())):
            targets = [f"{imported}.{n}" for n in names if f"{imported}.{n}" in modules] + [imported]
            for target in targets:
                # Importing a.b.c loads the packages a and a.b first.
                parts = target.split(".")
                graph[name].update(
                    ".".join(parts[:i]) for i in range(1, len(parts) + 1) if ".".join(parts[:i]) in modules
                )
        graph[name].discard(name)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in graph[node]:
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
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

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_at_module_level_one_that_imports_it_back():
    assert _cycles(_graph()) == []


def test_the_cycle_check_finds_a_circle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def _imports_between(source: str, target: str) -> list[str]:
    return sorted(
        f"{name} → {imported}"
        for name, path in _project_modules().items()
        if name.split(".")[0] == source
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for imported in ([node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names])
        if imported.split(".")[0] == target
    )


def test_billing_and_complaints_do_not_import_each_other_and_accounts_imports_neither():
    forbidden = [
        ("billing", "complaints"),
        ("complaints", "billing"),
        ("accounts", "billing"),
        ("accounts", "complaints"),
        ("accounts", "portal"),
        ("billing", "portal"),
        ("complaints", "portal"),
    ]
    assert [line for source, target in forbidden for line in _imports_between(source, target)] == []
