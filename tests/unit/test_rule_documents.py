"""The rule-set language: documents validate with path-named errors; the reference semantics."""

from __future__ import annotations

from typing import Any

import pytest

from merchantops.rules.document import InvalidRuleSet, Outcome, RuleSetKind, parse
from merchantops.rules.reference import fired

LARGE_PO = {
    "kind": "compliance",
    "rules": [
        {
            "id": "large-po-needs-finance",
            "when": {
                "all": [
                    {"fact": "action", "eq": "purchase_order.submit"},
                    {"fact": "po.total", "gt": 50000},
                ]
            },
            "then": {"outcome": "require_approval", "role": "finance-manager"},
        },
        {
            "id": "no-grade-d",
            "when": {"fact": "supplier.grade", "in": ["D"]},
            "then": {"outcome": "deny", "reason": "grade-D suppliers get no new POs"},
        },
    ],
}


def _problems(document: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(InvalidRuleSet) as raised:
        parse(document)
    return raised.value.problems


def test_a_valid_document_parses_with_its_outcomes() -> None:
    document = parse(LARGE_PO)

    assert document.kind is RuleSetKind.COMPLIANCE
    assert document.outcome(document.rules[0]).outcome is Outcome.REQUIRE_APPROVAL  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("when", "path", "says"),
    [
        ({"all": [{"fact": "po.total", "gt": "big"}]}, "rules[0].when.all[0].gt", "number"),
        ({"fact": "po.total"}, "rules[0].when", "exactly one operator"),
        ({"fact": "po.total", "gt": 1, "lt": 2}, "rules[0].when", "got gt, lt"),
        (
            {"not": {"any": [{"fact": "x", "matches": "("}]}},
            "rules[0].when.not.any[0].matches",
            "regular expression",
        ),
        ({"fact": "9lives", "eq": 1}, "rules[0].when.fact", "dotted path"),
        ({"fact": "x", "eq": True}, "rules[0].when.eq", "booleans"),
        ({"fact": "x", "in": []}, "rules[0].when.in", "at least 1"),
        (7, "rules[0].when", "a condition is an object"),
    ],
)  # fmt: skip
def test_bad_conditions_name_the_path_of_the_offending_node(
    when: Any, path: str, says: str
) -> None:
    document = {
        "kind": "compliance",
        "rules": [{"id": "r", "when": when, "then": {"outcome": "flag"}}],
    }

    [(where, message)] = _problems(document)

    assert where == path
    assert says in message


def test_bad_outcomes_and_duplicate_ids_name_their_rule() -> None:
    document = {
        "kind": "compliance",
        "rules": [
            {"id": "a", "when": {"fact": "x", "eq": 1}, "then": {"outcome": "require_approval"}},
            {"id": "a", "when": {"fact": "x", "eq": 1}, "then": {"outcome": "teleport"}},
        ],
    }

    problems = dict(_problems(document))

    assert "role" in problems["rules[0].then"]
    assert problems["rules[1].id"] == "'a' is used twice"
    assert "rules[1].then.outcome" in problems


def test_risk_rules_need_an_alert_title() -> None:
    document = {"kind": "risk", "rules": [{"id": "r", "when": {"fact": "x", "eq": 1}, "then": {}}]}

    assert dict(_problems(document)).keys() == {"rules[0].then.alert"}


@pytest.mark.parametrize(
    ("fact", "expected"),
    [
        ({"action": "purchase_order.submit", "po": {"total": 60000}}, ["large-po-needs-finance"]),
        ({"action": "purchase_order.submit", "po": {"total": 50000}}, []),
        ({"action": "purchase_order.submit", "po": {"total": "60000"}}, []),
        ({"supplier": {"grade": "D"}, "action": "x"}, ["no-grade-d"]),
        ({}, []),
    ],
)
def test_reference_semantics_every_matching_rule_fires(
    fact: dict[str, Any], expected: list[str]
) -> None:
    assert fired(parse(LARGE_PO), fact) == expected


def test_not_of_a_comparison_on_a_missing_field_holds() -> None:
    document = parse(
        {
            "kind": "risk",
            "rules": [
                {"id": "r", "when": {"not": {"fact": "a.b", "gt": 1}}, "then": {"alert": "x"}},
            ],
        }
    )

    assert fired(document, {}) == ["r"]
    assert fired(document, {"a": {"b": None}}) == ["r"]
    assert fired(document, {"a": {"b": 5}}) == []
