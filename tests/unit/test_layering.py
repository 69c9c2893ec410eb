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


# --- areas -------------------------------------------------------------------------------
# An area is its domain package and its GraphQL package (`merchantops.bootstrap.AREAS`); the
# platform kernel (`tenants`) and the rules layer are below every area. Areas depend on each
# other in one direction: each arrow below is allowed, every other one (and any cycle) fails.
# A new area adds its own arrows here (docs/adding-an-area.md).
ALLOWED_AREA_ARROWS: dict[str, set[str]] = {
    "catalog": {"governance"},  # price changes held for approval
    "suppliers": set(),
    "exports": {"catalog", "governance", "suppliers"},  # datasets; held for approval
    "inventory": {"catalog", "governance", "suppliers", "jobs"},  # SKUs, lots' suppliers
    "purchasing": {"catalog", "governance", "inventory", "suppliers"},  # receipts into stock
    "org": {"onboarding"},  # a new tenant with its organisation
    "lifecycle": set(),  # finds every tenant table generically
    "customers": {"governance"},  # erasure held for approval
    # SKUs, stock reserved FIFO, lots back to purchase orders, customers, compliance and risk
    "orders": {"catalog", "customers", "governance", "inventory", "purchasing", "suppliers"},
    "calendars": set(),  # shared by service (SLA clocks) and projects (working days)
    # SLA clocks count working time, tickets link customers, orders, returns, SKUs, lots and
    # articles, complaints feed orders' quality loop and raise risk alerts
    "support": {
        "calendars",
        "catalog",
        "customers",
        "governance",
        "inventory",
        "knowledge",
        "orders",
    },
    "knowledge": set(),  # the support area will link tickets to it, not the other way round
}
SHARED_DOMAIN = {"values", "dependencies", "seeding", "errors"}  # domain modules of no area


def area_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[:2] == ["merchantops", "domain"] and len(parts) > 2 and parts[2] not in SHARED_DOMAIN:
        return parts[2]
    if parts[:3] == ["merchantops", "api", "graphql"] and len(parts) > 3 and parts[3] != "core":
        return {"approvals": "governance"}.get(parts[3], parts[3])
    return None


def lazy_references(path: Path) -> set[str]:
    """Modules named in `strawberry.lazy("...")`: an import all the same."""
    tree = ast.parse(path.read_text(), filename=str(path))
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "attr", getattr(node.func, "id", None)) == "lazy"
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    }


def area_arrows() -> dict[str, set[str]]:
    arrows: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        source = area_of(".".join(relative.parts))
        if source is None:
            continue
        for module in imported_modules(path) | lazy_references(path):
            target = area_of(module)
            if target is not None and target != source:
                arrows.setdefault(source, set()).add(target)
    return arrows


def cycles(arrows: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle of the area graph, each as the path that closes it."""
    found: list[list[str]] = []

    def walk(area: str, path: list[str]) -> None:
        for target in sorted(arrows.get(area, ())):
            if target in path:
                found.append([*path[path.index(target) :], target])
            else:
                walk(target, [*path, target])

    for area in sorted(arrows):
        walk(area, [area])
    return found


def test_areas_depend_on_each_other_in_one_direction() -> None:
    arrows = area_arrows()

    assert cycles(arrows) == []
    unexpected = {
        f"{source} -> {target}"
        for source, targets in arrows.items()
        for target in targets - ALLOWED_AREA_ARROWS.get(source, set())
    }
    assert unexpected == set()


def test_the_area_check_finds_a_cycle() -> None:
    assert cycles({"orders": {"inventory"}, "inventory": {"orders"}}) == [
        ["inventory", "orders", "inventory"],
        ["orders", "inventory", "orders"],
    ]
