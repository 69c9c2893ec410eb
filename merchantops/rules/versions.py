"""Rule-set versions: draft, validate, dry-run, activate, roll back. Every step is audited.

One version per tenant and kind is active; each version keeps every period it was in force
(`RuleSetActivation`: when, until when, by whom, by activation or rollback). Activation bumps
the tenant's `rules_version` in the same transaction; evaluators compare it with what they
cached, so an activation in one process is in force in every other process and worker on its
next evaluation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from merchantops.errors import DomainError, InvalidInput, NotFound
from merchantops.rules import facts
from merchantops.rules.document import (
    InvalidRuleSet,
    RiskThen,
    RuleSetDocument,
    RuleSetKind,
    in_document_order,
    parse,
    validate,
)
from merchantops.rules.durable_engine import TooComplex, compile_document
from merchantops.rules.masking import MaskingDocument, MaskingTable, parse_masking
from merchantops.rules.models import (
    ActivationVia,
    RuleSetActivation,
    RuleSetVersion,
    VersionStatus,
)
from merchantops.rules.reference import fired
from merchantops.tenants import audit
from merchantops.tenants.context import current_actor, current_tenant_id
from merchantops.tenants.models import Tenant


class InvalidDocument(DomainError):
    code = "INVALID_RULE_SET"

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{path}: {message}" for path, message in problems))
        self.problems = problems

    def details(self) -> list[tuple[str | None, str]]:
        """Each problem on its own, at its path inside the `document` input field."""
        return [(f"document.{path}", message) for path, message in self.problems]


def check(data: Any) -> RuleSetDocument | MaskingDocument:
    """Parse, fact-check and compile-check a document; `InvalidDocument` lists every problem.

    Every problem is reported at once, each with its path: shape and type errors rule by rule,
    duplicate ids, facts outside the kind's catalogue (`rules.facts`), rules too complex to
    compile.
    """
    if isinstance(data, Mapping) and data.get("kind") == RuleSetKind.MASKING.value:
        try:
            masking = parse_masking(data)
            MaskingTable.compile(masking)
        except InvalidRuleSet as invalid:
            raise InvalidDocument(invalid.problems) from None
        return masking
    checked = validate(data)
    problems = list(checked.problems)
    if checked.kind is not None:
        conditions = [(f"rules[{index}].when", rule.when) for index, rule in checked.rules]
        keys = [
            (f"rules[{index}].then.dedup_key", then.dedup_key)
            for index, then in checked.outcomes.items()
            if isinstance(then, RiskThen)
        ]
        problems += facts.unknown_facts(checked.kind, conditions, keys)
        for index, rule in checked.rules:
            single = RuleSetDocument.model_construct(kind=checked.kind, rules=[rule])
            try:
                compile_document(single, key="check")
            except TooComplex as complex_rule:
                problems.append((f"rules[{index}].when", str(complex_rule)))
    if problems:
        raise InvalidDocument(in_document_order(problems))
    return parse(data)


def problems(data: Any) -> list[tuple[str, str]]:
    """Every problem `check` finds in a document, each with its path; empty when it is valid."""
    try:
        check(data)
    except InvalidDocument as invalid:
        return invalid.problems
    return []


async def create_draft(data: Any) -> RuleSetVersion:
    document = check(data)
    async with in_transaction():
        await Tenant.select_for_update(no_key=True).filter(id=current_tenant_id()).first()
        kind = str(document.kind)
        last = await RuleSetVersion.filter(kind=kind).order_by("-version").first()
        version = await RuleSetVersion.create(
            kind=kind,
            version=(last.version + 1) if last else 1,
            document=document.model_dump(mode="json", by_alias=True, exclude_defaults=True),
            created_by=current_actor(),
        )
        await audit.record(
            "rule_set.draft", "rule_set", version.id,
            after={"kind": version.kind, "version": version.version},
        )  # fmt: skip
    return version


async def get_version(id: UUID) -> RuleSetVersion:
    found = await RuleSetVersion.get_or_none(id=id)
    if found is None:
        raise NotFound("No rule set version with this id.", field="id")
    return found


@dataclass(frozen=True, slots=True)
class DryRunResult:
    fact: Mapping[str, Any]
    fired: list[str]
    outcomes: list[dict[str, Any]]


async def dry_run(id: UUID, facts: Sequence[Mapping[str, Any]]) -> list[DryRunResult]:
    """Which rules fire for each sample fact, with their outcomes; nothing is written."""
    for index, fact in enumerate(facts):
        if not isinstance(fact, Mapping):
            raise InvalidInput("Each sample fact is a JSON object.", field=f"facts[{index}]")
    version = await get_version(id)
    if version.kind == RuleSetKind.MASKING.value:
        raise InvalidInput("Dry runs are for compliance and risk rule sets.", field="id")
    document = parse(version.document)
    by_id = {rule.id: rule for rule in document.rules}
    results = []
    for fact in facts:
        ids = fired(document, fact)
        outcomes = [
            {"rule": rule_id, **document.outcome(by_id[rule_id]).model_dump(mode="json")}
            for rule_id in ids
        ]
        results.append(DryRunResult(fact, ids, outcomes))
    return results


async def activate(id: UUID) -> RuleSetVersion:
    """Put a version in force, retiring the active one of its kind."""
    async with in_transaction():
        await _lock_tenant()
        version = await get_version(id)
        if version.status == VersionStatus.ACTIVE:
            raise InvalidInput("This version is active already.", field="id")
        return await _put_in_force(version, ActivationVia.ACTIVATE)


async def rollback(kind: RuleSetKind) -> RuleSetVersion:
    """Re-activate the version that was in force right before the current one."""
    async with in_transaction():
        await _lock_tenant()
        current = await active(kind)
        if current is None:
            raise InvalidInput(f"No {kind.value} rule set is active.", field="kind")
        last_ended = (
            await RuleSetActivation.filter(version__kind=kind.value, deactivated_at__isnull=False)
            .exclude(version_id=current.id)
            .order_by("-deactivated_at", "-id")
            .first()
        )
        if last_ended is None:
            raise InvalidInput(f"No earlier {kind.value} rule set to roll back to.", field="kind")
        return await _put_in_force(await get_version(last_ended.version_id), ActivationVia.ROLLBACK)


async def _lock_tenant() -> None:
    await Tenant.select_for_update(no_key=True).filter(id=current_tenant_id()).first()


async def _put_in_force(version: RuleSetVersion, via: ActivationVia) -> RuleSetVersion:
    """In a transaction holding the tenant lock: retire the active version, activate this one."""
    now = datetime.now(UTC)
    previous = await RuleSetVersion.filter(kind=version.kind, status=VersionStatus.ACTIVE).first()
    if previous is not None:
        previous.status = VersionStatus.RETIRED
        await previous.save(update_fields=["status"])
        await RuleSetActivation.filter(version_id=previous.id, deactivated_at__isnull=True).update(
            deactivated_at=now
        )
    version.status = VersionStatus.ACTIVE
    version.activated_at = version.activated_at or now
    await version.save(update_fields=["status", "activated_at"])
    await RuleSetActivation.create(
        version=version, activated_at=now, activated_by=current_actor()[:100], via=via
    )
    await Tenant.filter(id=version.tenant_id).update(rules_version=F("rules_version") + 1)
    await audit.record(
        f"rule_set.{via.value}", "rule_set", version.id,
        before={"active": previous.version if previous else None},
        after={"active": version.version, "kind": version.kind},
    )  # fmt: skip
    return version


async def activations(version_id: UUID) -> list[RuleSetActivation]:
    """Every period the version was in force, oldest first."""
    return await RuleSetActivation.filter(version_id=version_id).order_by("activated_at", "id")


async def active(kind: RuleSetKind) -> RuleSetVersion | None:
    return await RuleSetVersion.filter(kind=kind.value, status=VersionStatus.ACTIVE).first()


__all__ = [
    "DryRunResult",
    "InvalidDocument",
    "activate",
    "activations",
    "active",
    "check",
    "create_draft",
    "dry_run",
    "get_version",
    "problems",
    "rollback",
]
