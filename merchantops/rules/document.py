"""The rule-set language (documented in docs/rules.md) and its validation.

A document is JSON or YAML:

    kind: compliance
    rules:
      - id: large-po-needs-finance
        when: {all: [{fact: action, eq: purchase_order.submit}, {fact: po.total, gt: 50000}]}
        then: {outcome: require_approval, role: finance-manager, reason: PO over 50,000}

Conditions are comparisons on a fact field (`fact` is a dotted path) with exactly one operator
(`eq ne gt gte lt lte in not_in matches exists`), or `all`, `any`, `not` of conditions.
Every validation error names the path of the offending node, e.g. `rules[1].when.all[0].gt`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    field_validator,
    model_validator,
)

Scalar = str | int | float
OPERATORS = ("eq", "ne", "gt", "gte", "lt", "lte", "in", "not_in", "matches", "exists")
FACT_PATH = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
RULE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Compare(_Strict):
    fact: str
    eq: Scalar | None = None
    ne: Scalar | None = None
    gt: int | float | None = None
    gte: int | float | None = None
    lt: int | float | None = None
    lte: int | float | None = None
    in_: list[Scalar] | None = Field(default=None, alias="in", min_length=1)
    not_in: list[Scalar] | None = Field(default=None, min_length=1)
    matches: str | None = None
    exists: bool | None = None

    @field_validator("fact")
    @classmethod
    def _path(cls, value: str) -> str:
        if not FACT_PATH.match(value):
            raise ValueError("a fact is a dotted path of names, e.g. 'order.total'")
        return value

    @field_validator("eq", "ne", "gt", "gte", "lt", "lte", mode="before")
    @classmethod
    def _no_booleans(cls, value: Any) -> Any:
        if isinstance(value, bool):
            raise ValueError("compare booleans with 'exists' or a string/number value")
        return value

    @field_validator("matches")
    @classmethod
    def _regex(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as error:
                raise ValueError(f"not a valid regular expression: {error}") from error
        return value

    @model_validator(mode="after")
    def _one_operator(self) -> Compare:
        given = [op for op in OPERATORS if getattr(self, "in_" if op == "in" else op) is not None]
        if len(given) != 1:
            raise ValueError(
                f"a comparison has exactly one operator of {', '.join(OPERATORS)}; got "
                + (", ".join(given) or "none")
            )
        return self

    @property
    def operator(self) -> str:
        return next(
            op for op in OPERATORS if getattr(self, "in_" if op == "in" else op) is not None
        )

    @property
    def operand(self) -> Any:
        return getattr(self, "in_" if self.operator == "in" else self.operator)


class AllOf(_Strict):
    all: list[Condition] = Field(min_length=1)


class AnyOf(_Strict):
    any: list[Condition] = Field(min_length=1)


class NotOf(_Strict):
    not_: Condition = Field(alias="not")


def _shape(value: Any) -> str | None:
    if isinstance(value, dict):
        for key in ("all", "any", "not"):
            if key in value:
                return key
        return "compare"
    if isinstance(value, AllOf):
        return "all"
    if isinstance(value, AnyOf):
        return "any"
    if isinstance(value, NotOf):
        return "not"
    if isinstance(value, BaseModel):
        return "compare"
    return None


Condition = Annotated[
    Annotated[AllOf, Tag("all")]
    | Annotated[AnyOf, Tag("any")]
    | Annotated[NotOf, Tag("not")]
    | Annotated[Compare, Tag("compare")],
    Discriminator(
        _shape,
        custom_error_type="condition",
        custom_error_message=(
            "a condition is an object: {fact, <operator>} or "
            "{all: [...]} / {any: [...]} / {not: ...}"
        ),
    ),
]


class Outcome(StrEnum):
    ALLOW = "allow"
    DENY = "deny"
    REQUIRE_APPROVAL = "require_approval"
    FLAG = "flag"


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class ComplianceThen(_Strict):
    outcome: Outcome
    reason: str = Field(default="", max_length=500)
    role: str | None = Field(default=None, description="Who approves (require_approval)")
    severity: Severity = Severity.MEDIUM

    @model_validator(mode="after")
    def _role_when_approval(self) -> ComplianceThen:
        if self.outcome is Outcome.REQUIRE_APPROVAL and not self.role:
            raise ValueError("require_approval names the approving role in 'role'")
        return self


class RiskThen(_Strict):
    alert: str = Field(min_length=1, max_length=200, description="Alert title")
    severity: Severity = Severity.MEDIUM
    dedup_key: str = Field(
        default="", max_length=200, description="Fact path whose value de-duplicates alerts"
    )


class Rule(_Strict):
    id: str
    description: str = Field(default="", max_length=500)
    when: Condition
    then: dict[str, Any]

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not RULE_ID.match(value):
            raise ValueError("a rule id is 1-63 lowercase letters, digits, '-' or '_'")
        return value


class RuleSetKind(StrEnum):
    COMPLIANCE = "compliance"
    RISK = "risk"
    MASKING = "masking"  # its documents have their own shape: rules.masking


class RuleSetDocument(_Strict):
    kind: Literal[RuleSetKind.COMPLIANCE, RuleSetKind.RISK]
    description: str = Field(default="", max_length=1000)
    rules: list[Rule] = Field(min_length=1, max_length=500)

    def outcome(self, rule: Rule) -> ComplianceThen | RiskThen:
        if self.kind is RuleSetKind.COMPLIANCE:
            return ComplianceThen.model_validate(rule.then)
        return RiskThen.model_validate(rule.then)


AllOf.model_rebuild()
AnyOf.model_rebuild()
NotOf.model_rebuild()
Rule.model_rebuild()


class InvalidRuleSet(Exception):
    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{path}: {message}" for path, message in problems))
        self.problems = problems


_TAGS = {"all", "any", "not", "compare"}
_TYPE_NAMES = {"int", "float", "str", "bool"}


def format_errors(error: ValidationError, prefix: str = "") -> list[tuple[str, str]]:
    """pydantic errors as (document path, message): `rules[1].when.all[0].gt`."""
    problems: dict[str, str] = {}
    for item in error.errors():
        path, expect_tag = prefix, False
        parts = list(item["loc"])
        while parts and isinstance(parts[-1], str) and parts[-1] in _TYPE_NAMES:
            parts.pop()  # the member of a scalar union pydantic tried, not a document node
        for part in parts:
            if expect_tag and part in _TAGS:
                expect_tag = False
                continue
            if isinstance(part, int):
                path += f"[{part}]"
                expect_tag = path.endswith(tuple(f".{k}[{part}]" for k in ("all", "any")))
            else:
                name = {"in_": "in", "not_": "not"}.get(str(part), str(part))
                path = f"{path}.{name}" if path else name
                expect_tag = name in ("when", "not")
        message = str(item["msg"]).removeprefix("Value error, ")
        problems[path or "(document)"] = message
    return list(problems.items())


class _Envelope(_Strict):
    """A document with its rules unchecked: each rule is checked on its own (`validate`)."""

    kind: Literal[RuleSetKind.COMPLIANCE, RuleSetKind.RISK]
    description: str = Field(default="", max_length=1000)
    rules: list[Any] = Field(min_length=1, max_length=500)


@dataclass(frozen=True, slots=True)
class Validated:
    """Every problem of a document, and the rules that are valid on their own (by index)."""

    problems: list[tuple[str, str]]
    kind: Literal[RuleSetKind.COMPLIANCE, RuleSetKind.RISK] | None
    rules: list[tuple[int, Rule]]
    outcomes: dict[int, ComplianceThen | RiskThen]


def validate(data: Any) -> Validated:
    """Check a document rule by rule, so one rule's mistake hides no other problem."""
    problems: list[tuple[str, str]] = []
    try:
        _Envelope.model_validate(data)
    except ValidationError as error:
        problems += format_errors(error)
    raw_kind = data.get("kind") if isinstance(data, Mapping) else None
    kind: Literal[RuleSetKind.COMPLIANCE, RuleSetKind.RISK] | None = None
    if raw_kind in ("compliance", "risk"):
        kind = RuleSetKind.COMPLIANCE if raw_kind == "compliance" else RuleSetKind.RISK
    raw_rules = data.get("rules") if isinstance(data, Mapping) else None
    rules: list[tuple[int, Rule]] = []
    outcomes: dict[int, ComplianceThen | RiskThen] = {}
    seen: set[str] = set()
    outcome_model = ComplianceThen if kind is RuleSetKind.COMPLIANCE else RiskThen
    for index, raw in enumerate(raw_rules[:500] if isinstance(raw_rules, list) else []):
        prefix = f"rules[{index}]"
        try:
            rules.append((index, Rule.model_validate(raw)))
        except ValidationError as error:
            problems += format_errors(error, prefix=prefix)
        rule_id = raw.get("id") if isinstance(raw, Mapping) else None
        if isinstance(rule_id, str):
            if rule_id in seen:
                problems.append((f"{prefix}.id", f"'{rule_id}' is used twice"))
            seen.add(rule_id)
        then = raw.get("then") if isinstance(raw, Mapping) else None
        if kind is not None and isinstance(then, Mapping):
            try:
                outcomes[index] = outcome_model.model_validate(then)
            except ValidationError as error:
                problems += format_errors(error, prefix=f"{prefix}.then")
    return Validated(in_document_order(problems), kind, rules, outcomes)


def in_document_order(problems: list[tuple[str, str]]) -> list[tuple[str, str]]:
    def rule_index(problem: tuple[str, str]) -> int:
        found = re.match(r"rules\[(\d+)\]", problem[0])
        return int(found.group(1)) if found else -1

    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=rule_index)  # stable: the order found within a rule stays


def parse(data: Any) -> RuleSetDocument:
    """Validate a decoded JSON/YAML document; `InvalidRuleSet` lists every problem by path."""
    checked = validate(data)
    if checked.problems:
        raise InvalidRuleSet(checked.problems)
    try:
        return RuleSetDocument.model_validate(data)
    except ValidationError as error:  # not expected: `validate` checks the same models
        raise InvalidRuleSet(format_errors(error)) from None


__all__ = [
    "AllOf",
    "AnyOf",
    "Compare",
    "ComplianceThen",
    "Condition",
    "InvalidRuleSet",
    "NotOf",
    "Outcome",
    "RiskThen",
    "Rule",
    "RuleSetDocument",
    "RuleSetKind",
    "Severity",
    "Validated",
    "in_document_order",
    "parse",
    "validate",
]
