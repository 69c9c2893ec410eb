"""Areas register in one place (`merchantops.bootstrap`), and nothing registers by importing."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

from merchantops import bootstrap
from merchantops.rules import facts

PACKAGE = Path(__file__).resolve().parents[2] / "merchantops"


def area_modules() -> list[str]:
    """Every module of every area's domain and GraphQL packages."""
    modules: list[str] = []
    for area in bootstrap.AREAS:
        for package in (area.domain_package, area.graphql_package):
            if package is None or package in ("merchantops.tenants", "merchantops.rules"):
                continue
            folder = PACKAGE.parent / package.replace(".", "/")
            for path in sorted(folder.rglob("*.py")):
                relative = path.relative_to(PACKAGE.parent).with_suffix("")
                parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
                modules.append(".".join(parts))
    return modules


def test_importing_every_area_registers_nothing() -> None:
    script = f"""
import importlib, json
for name in {area_modules()!r}:
    importlib.import_module(name)
from merchantops.domain.governance import approvals
from merchantops.rules import facts
from merchantops.tenants import outbox
print(json.dumps([len(outbox.known_event_types()), len(approvals._handlers),
                  len(approvals._rejections), len(facts._installed)]))
"""
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )

    assert json.loads(done.stdout.strip().splitlines()[-1]) == [0, 0, 0, 0]


def test_wiring_hands_over_every_area_piece() -> None:
    bootstrap.wire()
    from merchantops.domain.governance import approvals
    from merchantops.tenants import outbox

    assert outbox.known_event_types() == bootstrap.event_types()
    assert {"member.added", "product.created", "inventory.stock_low"} <= bootstrap.event_types()
    assert set(approvals._handlers) == set(facts.compliance_actions())


def emitted_event_types() -> set[str]:
    """Every literal event type passed to `outbox.emit` in the code."""
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "emit"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.add(node.args[0].value)
    return found


def test_every_event_the_code_emits_is_declared_by_an_area() -> None:
    emitted = emitted_event_types()

    assert len(emitted) > 15
    assert emitted <= bootstrap.event_types()


def test_every_declared_event_has_its_facts_for_risk_rules() -> None:
    described = {by for source in facts.sources() for by in source.by}

    assert bootstrap.event_types() <= described


def test_job_names_are_unique_and_every_schedule_names_a_job() -> None:
    from merchantops.domain.dependencies import Dependencies
    from merchantops.rules.evaluation import MaskingPolicies, RuleEvaluator
    from merchantops.settings import Settings
    from merchantops.workers.registry import PROCESS_EVENT, shared_engine

    deps = Dependencies(Settings(), RuleEvaluator(shared_engine()), MaskingPolicies())
    jobs = bootstrap.jobs(deps)

    assert PROCESS_EVENT not in jobs
    assert {schedule.job for schedule in bootstrap.schedules()} <= set(jobs)
    # webhooks, risk rules, exports, orders (quality loop), support (SLA timers)
    assert len(bootstrap.event_steps(deps)) == 5


def test_every_area_declares_its_models_once() -> None:
    modules = bootstrap.model_modules()

    assert len(modules) == len(set(modules))
    assert modules[:2] == ["merchantops.tenants.models", "merchantops.domain.webhooks.models"]
    assert "merchantops.domain.inventory.models" in modules
