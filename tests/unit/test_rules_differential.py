"""durable-rules and the reference evaluator agree on generated documents and facts."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from merchantops.rules.document import RuleSetDocument, parse
from merchantops.rules.durable_engine import DurableEngine, TooComplex, compile_document
from merchantops.rules.reference import fired

PATHS = ["amount", "order.total", "order.channel", "customer.tier", "flags.count"]
STRINGS = ["web", "app", "pos", "gold", "A", "B", "D", ""]
NUMBERS = st.one_of(st.integers(-5, 100_000), st.sampled_from([0, 1, 10, 50_000, 50_000.5]))
SCALARS = st.one_of(NUMBERS, st.sampled_from(STRINGS))
OPERATORS = ["eq", "ne", "gt", "gte", "lt", "lte", "in", "not_in", "matches", "exists"]


@st.composite
def comparisons(draw: st.DrawFn) -> dict[str, Any]:
    path = draw(st.sampled_from(PATHS))
    op = draw(st.sampled_from(OPERATORS))
    if op in ("gt", "gte", "lt", "lte"):
        operand: Any = draw(NUMBERS)
    elif op in ("in", "not_in"):
        operand = draw(st.lists(SCALARS, min_size=1, max_size=3))
    elif op == "matches":
        operand = draw(st.sampled_from(["^w", "p$", "^[A-C]$", "o", "^$"]))
    elif op == "exists":
        operand = draw(st.booleans())
    else:
        operand = draw(SCALARS)
    return {"fact": path, op: operand}


conditions = st.recursive(
    comparisons(),
    lambda inner: st.one_of(
        st.builds(lambda parts: {"all": parts}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda parts: {"any": parts}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda part: {"not": part}, inner),
    ),
    max_leaves=6,
)


@st.composite
def documents(draw: st.DrawFn) -> RuleSetDocument:
    count = draw(st.integers(1, 5))
    rules = [
        {"id": f"r{n}", "when": draw(conditions), "then": {"outcome": "flag"}} for n in range(count)
    ]
    return parse({"kind": "compliance", "rules": rules})


FIELD_VALUES = st.one_of(st.none(), NUMBERS, st.sampled_from(STRINGS), st.booleans(), st.just([1]))


@st.composite
def facts(draw: st.DrawFn) -> dict[str, Any]:
    fact: dict[str, Any] = {}
    for path in PATHS:
        if draw(st.booleans()):
            continue  # missing
        head, *rest = path.split(".")
        if rest:
            fact.setdefault(head, {})[rest[0]] = draw(FIELD_VALUES)
        else:
            fact[head] = draw(FIELD_VALUES)
    return fact


@pytest.fixture(scope="module")
def engine() -> Iterator[DurableEngine]:
    # few loaded at once, so that unloading runs all the time too
    durable = DurableEngine(max_loaded=8)
    yield durable
    durable.close()


keys = itertools.count()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=documents(), samples=st.lists(facts(), min_size=1, max_size=6))
def test_durable_rules_fires_exactly_the_rules_the_reference_fires(
    engine: DurableEngine, document: RuleSetDocument, samples: list[dict[str, Any]]
) -> None:
    try:
        compiled = compile_document(document, key=f"doc-{next(keys)}")
    except TooComplex:
        assume(False)  # refused when the document is validated for activation
        return
    for fact in samples:
        assert engine.evaluate(compiled, fact) == fired(document, fact), (document, fact)
