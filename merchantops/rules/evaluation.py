"""Evaluating a tenant's active rule set of a kind against a fact, with durable-rules.

Each process keeps the compiled active version per (tenant, kind) and checks the tenant's
`rules_version` on every evaluation (one indexed read), so an activation anywhere is in force
here on the next evaluation; the replaced ruleset is unloaded from the engine.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from merchantops.rules import versions
from merchantops.rules.document import ComplianceThen, RiskThen, RuleSetDocument, RuleSetKind, parse
from merchantops.rules.durable_engine import CompiledRuleSet, DurableEngine, compile_document
from merchantops.rules.masking import MaskingTable, parse_masking
from merchantops.tenants.context import current_tenant_id
from merchantops.tenants.models import Tenant


@dataclass(frozen=True, slots=True)
class Decision:
    rule: str
    outcome: ComplianceThen | RiskThen


@dataclass(frozen=True, slots=True)
class _Active:
    rules_version: int
    document: RuleSetDocument | None
    compiled: CompiledRuleSet | None


class RuleEvaluator:
    def __init__(self, engine: DurableEngine) -> None:
        self.engine = engine
        self._active: dict[tuple[UUID, RuleSetKind], _Active] = {}
        self._lock = asyncio.Lock()

    async def evaluate(self, kind: RuleSetKind, fact: Mapping[str, Any]) -> list[Decision]:
        """Every rule of the active set that matches, in document order; [] without one."""
        active = await self._current(current_tenant_id("RuleSetVersion"), kind)
        if active.document is None or active.compiled is None:
            return []
        fired = await self.engine.evaluate_async(active.compiled, fact)
        rules = {rule.id: rule for rule in active.document.rules}
        return [Decision(rule_id, active.document.outcome(rules[rule_id])) for rule_id in fired]

    async def _current(self, tenant_id: UUID, kind: RuleSetKind) -> _Active:
        tenant = await Tenant.get(id=tenant_id).only("id", "rules_version")
        number = tenant.rules_version
        cached = self._active.get((tenant_id, kind))
        if cached is not None and cached.rules_version == number:
            return cached
        async with self._lock:
            version = await versions.active(kind)
            if version is None:
                entry = _Active(number, None, None)
            else:
                document = parse(version.document)
                key = f"{tenant_id}:{kind.value}:{version.id}"
                entry = _Active(number, document, compile_document(document, key))
            replaced = cached.compiled if cached is not None else None
            if replaced is not None and (
                entry.compiled is None or replaced.key != entry.compiled.key
            ):
                await asyncio.get_running_loop().run_in_executor(
                    None, self.engine.unload, replaced.key
                )
            self._active[(tenant_id, kind)] = entry
            return entry


class MaskingPolicies:
    """The compiled masking table of each tenant's active masking version, kept current."""

    def __init__(self) -> None:
        self._tables: dict[UUID, tuple[int, MaskingTable]] = {}

    async def table(self, tenant_id: UUID, rules_version: int | None = None) -> MaskingTable:
        """The table in force; pass the tenant's `rules_version` when it is at hand."""
        if rules_version is None:
            tenant = await Tenant.get(id=tenant_id).only("id", "rules_version")
            rules_version = tenant.rules_version
        cached = self.cached(tenant_id, rules_version)
        if cached is not None:
            return cached
        version = await versions.active(RuleSetKind.MASKING)
        table = MaskingTable.compile(parse_masking(version.document) if version else None)
        self._tables[tenant_id] = (rules_version, table)
        return table

    def cached(self, tenant_id: UUID, rules_version: int) -> MaskingTable | None:
        """The compiled table of that rules version, if this process has it: no I/O."""
        cached = self._tables.get(tenant_id)
        return cached[1] if cached is not None and cached[0] == rules_version else None


__all__ = ["Decision", "MaskingPolicies", "RuleEvaluator"]
