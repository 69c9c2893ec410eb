"""The layers' arrows point one way: api, workers -> domain -> rules -> tenants."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "merchantops"
LAYERS = ["api", "workers", "domain", "rules", "tenants"]
FRAMEWORKS = ["strawberry", "starlette", "arq", "uvicorn"]

FORBIDDEN: dict[str, list[str]] = {
    "tenants": [f"merchantops.{layer}" for layer in LAYERS if layer != "tenants"]
    + ["merchantops.settings", "merchantops.db", "merchantops.cli", *FRAMEWORKS],
    "rules": ["merchantops.api", "merchantops.workers", "merchantops.domain", *FRAMEWORKS],
    "domain": ["merchantops.api", "merchantops.workers", *FRAMEWORKS],
    "workers": ["merchantops.api"],
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def violations(layer: str) -> list[str]:
    found = []
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        for module in imported_modules(path):
            for banned in FORBIDDEN[layer]:
                if module == banned or module.startswith(banned + "."):
                    found.append(f"{path.relative_to(PACKAGE.parent)} imports {module}")
    return found


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_only_what_lies_below_it(layer: str) -> None:
    assert violations(layer) == []


def test_the_check_catches_a_forbidden_import(tmp_path: Path) -> None:
    offender = tmp_path / "bad.py"
    offender.write_text("from merchantops.api.app import create_app\nimport strawberry\n")

    assert imported_modules(offender) >= {"merchantops.api.app", "strawberry"}
