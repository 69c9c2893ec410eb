"""Data classification and masking: strategies, masking documents, the compiled decision table.

A masking document maps a field's classification and the caller's roles or API-key scopes to
a strategy; the first rule that applies wins, and without one the level's default holds:
public and internal data are shown, personal data is masked (`redact`) unless a rule allows
it. A table is compiled once per activated version and memoises decisions per caller shape,
so applying it costs a dictionary lookup per field.

    table = MaskingTable.compile(parse_masking(document))
    strategy = table.strategy(Classification.CONFIDENTIAL_PERSONAL, roles={"warehouse-staff"})
    mask(strategy, "ana@example.com")  # -> "a***@example.com" for Strategy.EMAIL

Models declare their classified fields in `CLASSIFIED`; the same table then masks GraphQL fields
(`api/graphql/core/masking.py`), data exports, webhook bodies, audit diffs and logs.

Every way out decides for a `Reader`, with one exception to the table: a person's own personal
data is never masked *for that person*, on a way out that person alone reads (their GraphQL
answers, the rows of an export they asked for, which nobody else may read). Ways out that
others read (webhooks to partners, logs, audit diffs read by auditors) have no single person
as reader and mask by the table, whoever the data is about.

    me = Reader(roles=frozenset({"warehouse-staff"}), person=str(user.id))
    table.decide(Classification.CONFIDENTIAL_PERSONAL, me, subject=user.id)  # Strategy.NONE
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from merchantops.rules.document import RULE_ID, InvalidRuleSet, format_errors


class Classification(StrEnum):
    PUBLIC = "public"
    INTERNAL = "internal"
    CONFIDENTIAL_PERSONAL = "confidential_personal"
    SENSITIVE_PERSONAL = "sensitive_personal"


class Strategy(StrEnum):
    NONE = "none"
    REDACT = "redact"
    PARTIAL = "partial"
    HASH = "hash"
    NULL = "null"
    YEAR_ONLY = "year_only"
    EMAIL = "email"
    PHONE = "phone"


DEFAULTS = {
    Classification.PUBLIC: Strategy.NONE,
    Classification.INTERNAL: Strategy.NONE,
    Classification.CONFIDENTIAL_PERSONAL: Strategy.REDACT,
    Classification.SENSITIVE_PERSONAL: Strategy.REDACT,
}
REDACTED = "[redacted]"


def mask(strategy: Strategy, value: Any) -> Any:
    """The value as `strategy` lets it be seen; None stays None."""
    if value is None or strategy is Strategy.NONE:
        return value
    if strategy is Strategy.NULL:
        return None
    if strategy is Strategy.YEAR_ONLY:
        if isinstance(value, date | datetime):
            return str(value.year)
        found = re.match(r"^\s*(\d{4})", str(value))
        return found.group(1) if found else REDACTED
    text = str(value)
    if strategy is Strategy.HASH:
        return "sha256:" + hashlib.sha256(text.encode()).hexdigest()[:16]
    if strategy is Strategy.PARTIAL:
        return text[0] + "*" * (len(text) - 2) + text[-1] if len(text) > 2 else "*" * len(text)
    if strategy is Strategy.EMAIL:
        local, at, domain = text.partition("@")
        return f"{local[:1]}***@{domain}" if at else REDACTED
    if strategy is Strategy.PHONE:
        digits = re.sub(r"\D", "", text)
        return "*" * max(len(digits) - 4, 0) + digits[-4:] if len(digits) > 4 else REDACTED
    return REDACTED


# Keys that carry personal data wherever they appear in free-form JSON (audit diffs, event
# payloads, webhook bodies): `mask_json` masks them by their classification.
CLASSIFIED_KEYS = {
    "email": Classification.CONFIDENTIAL_PERSONAL,
    "full_name": Classification.CONFIDENTIAL_PERSONAL,
    "phone": Classification.CONFIDENTIAL_PERSONAL,
    "address": Classification.CONFIDENTIAL_PERSONAL,
    "note": Classification.CONFIDENTIAL_PERSONAL,
    "id_number": Classification.SENSITIVE_PERSONAL,
    "birth_date": Classification.SENSITIVE_PERSONAL,
}


def entity_of(model: type[Any]) -> str:
    """A model's entity name in masking rules: its table name (`supplier_contact`)."""
    return str(model._meta.db_table)


def classification_of(
    model: type[Any], field: str, default: Classification | None = None
) -> Classification:
    """What `model` declares `field` to be in its `CLASSIFIED` catalogue; `default` for an
    undeclared field, or a KeyError without one."""
    declared: dict[str, str] = getattr(model, "CLASSIFIED", {})
    if default is not None and field not in declared:
        return default
    return Classification(declared[field])


def mask_json(value: Any, decide: Callable[[Classification], Strategy]) -> Any:
    """A copy of `value` with every classified key's value masked as `decide` says."""
    if isinstance(value, dict):
        return {
            key: mask(decide(CLASSIFIED_KEYS[key]), item)
            if key in CLASSIFIED_KEYS and not isinstance(item, dict | list)
            else mask_json(item, decide)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [mask_json(item, decide) for item in value]
    return value


class MaskingRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    description: str = Field(default="", max_length=500)
    classifications: list[Classification] = Field(min_length=1)
    entities: list[str] = Field(
        default_factory=list,
        description="Only fields of these entities (e.g. supplier_contact); none = every entity",
    )
    roles: list[str] = Field(default_factory=list, description="Any of these roles")
    scopes: list[str] = Field(default_factory=list, description="Or any of these API-key scopes")
    strategy: Strategy

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not RULE_ID.match(value):
            raise ValueError("a rule id is 1-63 lowercase letters, digits, '-' or '_'")
        return value

    def applies(self, roles: frozenset[str], scopes: frozenset[str]) -> bool:
        if not self.roles and not self.scopes:
            return True  # a rule naming nobody applies to everybody
        return bool(roles.intersection(self.roles) or scopes.intersection(self.scopes))


class MaskingDocument(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["masking"]
    description: str = Field(default="", max_length=1000)
    rules: list[MaskingRule] = Field(default_factory=list, max_length=500)


def parse_masking(data: Any) -> MaskingDocument:
    try:
        return MaskingDocument.model_validate(data)
    except ValidationError as error:
        raise InvalidRuleSet(format_errors(error)) from None


def own_record(subject: object, person: object) -> bool:
    """Whether data about `subject` (a user id) is the reader `person`'s own: the one case
    where personal data is shown to someone whatever the masking rules say."""
    return subject is not None and person is not None and str(subject) == str(person)


@dataclass(frozen=True, slots=True)
class Reader:
    """Whom a way out shows data to: their roles and API-key scopes, and `person` (a user id)
    only when that one person alone reads what leaves."""

    roles: frozenset[str] = frozenset()
    scopes: frozenset[str] = frozenset()
    person: str | None = None


class MaskingTable:
    """A compiled masking document: decisions by classification and caller."""

    def __init__(self, rules: Iterable[MaskingRule]) -> None:
        self._rules = list(rules)
        self._memo: dict[tuple[Classification, frozenset[str], frozenset[str], str], Strategy] = {}

    @classmethod
    def compile(cls, document: MaskingDocument | None) -> MaskingTable:
        return cls(document.rules if document else [])

    def decide(
        self,
        classification: Classification,
        reader: Reader,
        *,
        entity: str = "",
        subject: object = None,
    ) -> Strategy:
        """The strategy for a field of `classification` (of `entity`, about the user `subject`
        when it is about one) shown to `reader`."""
        if own_record(subject, reader.person):
            return Strategy.NONE
        return self.strategy(classification, reader.roles, reader.scopes, entity)

    def strategy(
        self,
        classification: Classification,
        roles: Iterable[str] = (),
        scopes: Iterable[str] = (),
        entity: str = "",
    ) -> Strategy:
        """The strategy for a field of `classification` (of `entity`) shown to this caller."""
        key = (classification, frozenset(roles), frozenset(scopes), entity)
        decided = self._memo.get(key)
        if decided is None:
            decided = next(
                (
                    rule.strategy
                    for rule in self._rules
                    if classification in rule.classifications
                    and (not rule.entities or entity in rule.entities)
                    and rule.applies(key[1], key[2])
                ),
                DEFAULTS[classification],
            )
            self._memo[key] = decided
        return decided


TEMPLATE: dict[str, Any] = {
    "kind": "masking",
    "description": "Standard 1.4: personal data is seen only where the duty needs it",
    "rules": [
        {
            "id": "buyers-see-supplier-contacts",
            "description": "Purchasing works with the supplier's people: their contacts in full",
            "classifications": ["confidential_personal"],
            "entities": ["supplier_contact"],
            "roles": ["supply-chain-staff", "supply-chain-manager", "finance-manager"],
            "strategy": "none",
        },
        {
            "id": "service-and-compliance-see-personal-data",
            "classifications": ["confidential_personal", "sensitive_personal"],
            "roles": [
                "owner",
                "customer-service-staff",
                "customer-service-manager",
                "compliance-staff",
                "compliance-manager",
                "compliance-officer",
            ],
            "strategy": "none",
        },
        {
            "id": "others-see-contact-data-partially",
            "classifications": ["confidential_personal"],
            "strategy": "partial",
        },
    ],
}


__all__ = [
    "CLASSIFIED_KEYS",
    "DEFAULTS",
    "REDACTED",
    "TEMPLATE",
    "Classification",
    "MaskingDocument",
    "MaskingRule",
    "MaskingTable",
    "Reader",
    "Strategy",
    "classification_of",
    "entity_of",
    "mask",
    "mask_json",
    "own_record",
    "parse_masking",
]
