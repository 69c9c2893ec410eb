"""The fact catalogue: the docs carry it as the code declares it, and validation enforces it."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from merchantops.rules import facts, templates, versions
from merchantops.rules.document import RuleSetKind

DOCS = Path(__file__).parents[2] / "docs" / "rules.md"


def test_rules_docs_fact_tables_match_the_code_catalogue() -> None:
    text = DOCS.read_text()

    assert facts.update_docs(text) == text, (
        "docs/rules.md's fact tables are stale: run `.venv/bin/merchantops docs-facts --write`"
    )


def test_fact_catalogue_same_name_has_one_type() -> None:
    types: dict[tuple[RuleSetKind, str], set[facts.FactType]] = defaultdict(set)
    for kind in (RuleSetKind.COMPLIANCE, RuleSetKind.RISK):
        for entry in facts.catalogue(kind):
            types[kind, entry.name].add(entry.type)

    assert {key: found for key, found in types.items() if len(found) > 1} == {}


@pytest.mark.parametrize("document", [templates.COMPLIANCE, templates.RISK])
def test_template_rule_sets_use_only_catalogued_facts(document: dict[str, Any]) -> None:
    versions.check(document)


def test_document_with_unknown_fact_is_refused_naming_the_known_ones() -> None:
    document = {
        "kind": "compliance",
        "rules": [
            {
                "id": "loyal-customer",
                "when": {
                    "all": [{"fact": "action", "eq": "x"}, {"fact": "loyalty.points", "gt": 1}]
                },
                "then": {"outcome": "flag"},
            },
            {"id": "po", "when": {"fact": "po.totl", "gt": 1}, "then": {"outcome": "flag"}},
        ],
    }

    with pytest.raises(versions.InvalidDocument) as refused:
        versions.check(document)

    [(first_path, first), (second_path, second)] = refused.value.problems
    assert first_path == "rules[0].when.all[1].fact"
    assert "'loyalty.points' is not a compliance fact" in first
    assert "po, price" in first
    assert second_path == "rules[1].when.fact"
    assert "known po.* facts: po.currency, po.lines, po.number, po.total" in second


def test_risk_dedup_key_outside_the_catalogue_is_refused() -> None:
    document = {
        "kind": "risk",
        "rules": [
            {
                "id": "low",
                "when": {"fact": "stock.below_safety_by", "gt": 0},
                "then": {"alert": "Low", "dedup_key": "stock.skuu"},
            }
        ],
    }

    with pytest.raises(versions.InvalidDocument) as refused:
        versions.check(document)

    assert [path for path, _ in refused.value.problems] == ["rules[0].then.dedup_key"]


def test_object_above_a_catalogued_fact_may_be_tested_for_existence() -> None:
    document = {
        "kind": "risk",
        "rules": [
            {"id": "any-stock", "when": {"fact": "stock", "exists": True}, "then": {"alert": "S"}}
        ],
    }

    versions.check(document)


def test_document_with_a_type_error_still_reports_every_other_problem() -> None:
    document = {
        "kind": "compliance",
        "description": 7,
        "rules": [
            {"id": "a", "when": {"fact": "po.total", "gt": "lots"}, "then": {"outcome": "flag"}},
            {"id": "a", "when": {"fact": "po.total", "gt": 1}, "then": {"outcome": "teleport"}},
            {
                "id": "c",
                "when": {"fact": "po.total", "gt": 1},
                "then": {"outcome": "require_approval"},
            },
            {"id": "d", "when": {"fact": "nothing.here", "gt": 1}, "then": {"outcome": "deny"}},
        ],
    }

    with pytest.raises(versions.InvalidDocument) as refused:
        versions.check(document)

    assert [path for path, _ in refused.value.problems] == [
        "description",
        "rules[0].when.gt",
        "rules[1].id",
        "rules[1].then.outcome",
        "rules[2].then",
        "rules[3].when.fact",
    ]
