"""The durable-rules engine on hand-written documents (the generated comparison with the
reference evaluator is in test_rules_differential.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from merchantops.rules.document import parse
from merchantops.rules.durable_engine import DurableEngine, compile_document


@pytest.fixture(scope="module")
def engine() -> Iterator[DurableEngine]:
    # few loaded at once, so that unloading runs all the time too
    durable = DurableEngine(max_loaded=8)
    yield durable
    durable.close()


def test_every_matching_rule_fires_not_just_the_first(engine: DurableEngine) -> None:
    document = parse(
        {
            "kind": "compliance",
            "rules": [
                {"id": "big", "when": {"fact": "amount", "gt": 10}, "then": {"outcome": "flag"}},
                {"id": "huge", "when": {"fact": "amount", "gt": 100}, "then": {"outcome": "deny"}},
                {"id": "tiny", "when": {"fact": "amount", "lt": 1}, "then": {"outcome": "flag"}},
            ],
        }
    )
    compiled = compile_document(document, key="every-match")

    assert engine.evaluate(compiled, {"amount": 500}) == ["big", "huge"]
    assert engine.evaluate(compiled, {"amount": 500}) == ["big", "huge"]  # state was deleted
    assert engine.evaluate(compiled, {"amount": 5}) == []


def test_unloaded_rulesets_are_reloaded_on_demand(engine: DurableEngine) -> None:
    document = parse(
        {
            "kind": "risk",
            "rules": [{"id": "r", "when": {"fact": "x", "eq": "y"}, "then": {"alert": "x is y"}}],
        }
    )
    compiled = compile_document(document, key="reload")

    assert engine.evaluate(compiled, {"x": "y"}) == ["r"]
    engine.unload("reload")
    assert engine.evaluate(compiled, {"x": "y"}) == ["r"]
    assert engine.loaded <= engine.max_loaded
