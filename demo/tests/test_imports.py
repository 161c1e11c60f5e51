"""demo sits above every other app: none of them imports it."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BELOW = ("symetrie", "audit", "surveys", "barometer")


def imported_modules(path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def test_no_other_app_imports_the_demo():
    offenders = [
        f"{path.relative_to(ROOT)}: {module}"
        for app in BELOW
        for path in sorted((ROOT / app).rglob("*.py"))
        for module in imported_modules(path)
        if module == "demo" or module.startswith("demo.")
    ]
    assert offenders == []
