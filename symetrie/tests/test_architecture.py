"""The import graph between the apps goes one way (README, "Architecture").

Read from the source with `ast`, without importing anything: every `import` of a
first-party module, at any depth of a file, is an edge. Tests and migrations are left
out (a test may reach across apps to set up what it checks).
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("symetrie", "audit", "surveys", "barometer", "demo")

# The project package's composition modules: they wire every app together (apps.py
# registers the system checks in `ready`).
COMPOSITION = {
    "symetrie.apps",
    "symetrie.settings",
    "symetrie.urls",
    "symetrie.views",
    "symetrie.wsgi",
    "symetrie.asgi",
}
# Sign-in, two-factor and single sign-on record their events in the audit log, so they
# sit above audit; the rest of the project package sits below it.
ACCOUNTS = {
    "symetrie.accounts",
    "symetrie.account_views",
    "symetrie.sso",
    "symetrie.sso_views",
    "symetrie.login_middleware",
    "symetrie.checks",
}
LAYERS = ["symetrie", "audit", "accounts", "surveys", "barometer", "demo"]
# The one module of barometer that surveys may import: queueing a refresh.
SURVEYS_MAY_CALL = {"barometer.refresh"}


def _modules():
    found = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "tests" in relative.parts or "migrations" in relative.parts:
                continue
            parts = list(relative.with_suffix("").parts)
            package = parts[-1] == "__init__"
            if package:
                parts.pop()
            found[".".join(parts)] = (path, package)
    return found


MODULES = _modules()


def _resolve(name):
    """The first-party module `name` is or lies in, or None for a third-party name."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imports(module):
    """(imported module, line, inside a function) for each first-party import of `module`."""
    path, package = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    in_function = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            in_function.update(id(inner) for inner in ast.walk(node) if inner is not node)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                anchor = anchor[: len(anchor) - node.level + (1 if package else 0)]
                base = ".".join([*anchor, base] if base else anchor)
            # `from package import module` imports the module, not only the package.
            names = [f"{base}.{alias.name}" for alias in node.names] or [base]
        else:
            continue
        targets = {_resolve(name) for name in names} - {None, module}
        found.extend((target, node.lineno, id(node) in in_function) for target in sorted(targets))
    return found


GRAPH = {module: _imports(module) for module in MODULES}


def _layer(module):
    if module in ACCOUNTS:
        return LAYERS.index("accounts")
    return LAYERS.index(module.split(".")[0])


def test_the_graph_is_read_from_the_real_tree():
    # A reader that found nothing would pass every other test.
    assert "surveys.models" in MODULES and "barometer.refresh" in MODULES
    assert any(target == "surveys.models" for target, _, _ in GRAPH["barometer.data"])


def test_apps_import_only_the_apps_below_them():
    wrong = []
    for module, imports in GRAPH.items():
        if module in COMPOSITION:
            continue
        for target, line, _ in imports:
            if target in COMPOSITION:
                wrong.append(f"{module}:{line} imports the composition module {target}")
            elif module.startswith("surveys.") and target in SURVEYS_MAY_CALL:
                continue
            elif _layer(target) > _layer(module):
                wrong.append(f"{module}:{line} imports {target}, which sits above it")
    assert wrong == []


def test_surveys_reaches_barometer_only_through_its_refresh_module():
    wrong = [
        f"{module}:{line} imports {target}"
        for module, imports in GRAPH.items()
        if module.startswith("surveys")
        for target, line, _ in imports
        if target.startswith("barometer") and target not in SURVEYS_MAY_CALL
    ]
    assert wrong == []
    # And that module imports nothing of surveys that could lead back to itself.
    assert not [t for t, _, _ in GRAPH["barometer.refresh"] if t.startswith("surveys")]


def test_nothing_imports_the_demo():
    wrong = [
        f"{module}:{line}"
        for module, imports in GRAPH.items()
        if not module.startswith("demo") and module not in COMPOSITION
        for target, line, _ in imports
        if target.startswith("demo")
    ]
    assert wrong == []


def test_no_import_circle_between_modules():
    # Tarjan's strongly connected components over the module graph.
    index, low, stack, on_stack, circles = {}, {}, [], set(), []

    def visit(module):
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target, _, _ in GRAPH[module]:
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for module in sorted(GRAPH):
        if module not in index:
            visit(module)
    assert circles == []


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m.endswith(".apps")))
def test_app_configs_import_only_in_ready(module):
    # Django's documented place for imports that register things (checks, signals).
    path, _ = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name != "ready":
            assert not any(isinstance(n, ast.Import | ast.ImportFrom) for n in ast.walk(node))


def test_no_first_party_import_inside_a_function():
    # An import inside a function is how a circle hides: only AppConfig.ready may.
    wrong = [
        f"{module}:{line} imports {target}"
        for module, imports in GRAPH.items()
        if not module.endswith(".apps")
        for target, line, inside in imports
        if inside
    ]
    assert wrong == []
