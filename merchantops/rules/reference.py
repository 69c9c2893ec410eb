"""The plain-Python evaluator of rule-set documents: the meaning of the language.

The durable-rules engine must agree with it on every document and fact (a differential test
checks); it also runs where loading the C engine is not worth it (dry runs of drafts).

Semantics: a comparison holds only when the fact field is present (not missing, not null) and
of the operand's kind: numbers compare with numbers (never booleans), strings with strings.
`not` of a comparison on a missing field therefore holds.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from merchantops.rules.document import AllOf, AnyOf, Compare, Condition, NotOf, RuleSetDocument

MISSING = object()


def lookup(fact: Mapping[str, Any], path: str) -> Any:
    value: Any = fact
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return MISSING
        value = value[part]
    return MISSING if value is None else value


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def same_kind(value: Any, operand: Any) -> bool:
    if is_number(operand):
        return is_number(value)
    return isinstance(value, str) and isinstance(operand, str)


@lru_cache(maxsize=1024)
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def compare(condition: Compare, value: Any) -> bool:
    op, operand = condition.operator, condition.operand
    if op == "exists":
        return bool((value is not MISSING) == operand)
    if value is MISSING:
        return False
    if op == "eq":
        return same_kind(value, operand) and bool(value == operand)
    if op == "ne":
        return same_kind(value, operand) and bool(value != operand)
    if op in ("gt", "gte", "lt", "lte"):
        if not is_number(value):
            return False
        return bool(
            {
                "gt": value > operand,
                "gte": value >= operand,
                "lt": value < operand,
                "lte": value <= operand,
            }[op]
        )
    if op == "in":
        return any(same_kind(value, item) and value == item for item in operand)
    if op == "not_in":
        scalar = is_number(value) or isinstance(value, str)
        return scalar and not any(same_kind(value, item) and value == item for item in operand)
    if op == "matches":
        return isinstance(value, str) and _regex(operand).search(value) is not None
    raise AssertionError(op)


def holds(condition: Condition, fact: Mapping[str, Any]) -> bool:
    if isinstance(condition, AllOf):
        return all(holds(part, fact) for part in condition.all)
    if isinstance(condition, AnyOf):
        return any(holds(part, fact) for part in condition.any)
    if isinstance(condition, NotOf):
        return not holds(condition.not_, fact)
    return compare(condition, lookup(fact, condition.fact))


def fired(document: RuleSetDocument, fact: Mapping[str, Any]) -> list[str]:
    """Ids of every rule whose condition holds for the fact, in document order."""
    return [rule.id for rule in document.rules if holds(rule.when, fact)]


__all__ = ["MISSING", "compare", "fired", "holds", "lookup"]
