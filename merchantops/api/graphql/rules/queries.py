from __future__ import annotations

from typing import Any

import strawberry
from strawberry.scalars import JSON

from merchantops.api.graphql.core.boundary import PayloadErrors
from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.ids import decode_id
from merchantops.api.graphql.core.pagination import EVERY_ROW, Connection, Page, paged, paginate
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.api.graphql.rules.types import (
    DryRunPayload,
    DryRunResult,
    RuleFact,
    RuleSetKind,
    RuleSetProblem,
    RuleSetVersionNode,
)
from merchantops.rules import facts, versions
from merchantops.rules.models import RuleSetVersion

READ = TenantPermission("rule_set", "read")


def _json(value: Any) -> JSON:
    result: JSON = value
    return result


@strawberry.type
class RuleSetQuery:
    @strawberry.field(extensions=[requires(READ)], description="Versions, newest first.")
    @paged
    async def rule_set_versions(
        self,
        info: Info,
        kind: RuleSetKind | None = None,
        page: Page = EVERY_ROW,
    ) -> Connection[RuleSetVersionNode]:
        found = RuleSetVersion.all()
        if kind is not None:
            found = found.filter(kind=kind.value)
        return await paginate(
            info,
            found.order_by("-created_at", "id"),
            page,
            to_node=RuleSetVersionNode.from_model,
        )

    @strawberry.field(
        extensions=[requires(READ)],
        description="The facts rules of a kind can test; empty for masking.",
    )
    def rule_facts(self, kind: RuleSetKind) -> list[RuleFact]:
        return [
            RuleFact(
                name=entry.name,
                type=entry.type,
                description=entry.description,
                provided_by=list(entry.provided_by),
                planned=entry.planned,
            )
            for entry in facts.catalogue(kind)
        ]

    @strawberry.field(
        extensions=[requires(READ)], description="Problems of a document; empty when valid."
    )
    def validate_rule_set(self, document: JSON) -> list[RuleSetProblem]:
        return [RuleSetProblem(path=p, message=m) for p, m in versions.problems(document)]

    # A query with a payload: the mutations' error boundary puts a refusal in its `errors`.
    @strawberry.field(
        extensions=[requires(READ), PayloadErrors(DryRunPayload)],
        description="Which rules of a version fire for sample facts, and why; writes nothing.",
    )
    async def dry_run_rule_set(self, id: strawberry.ID, facts: list[JSON]) -> DryRunPayload:
        samples: list[Any] = list(facts)
        results = await versions.dry_run(decode_id(id, "RuleSetVersion"), samples)
        return DryRunPayload(
            results=[
                DryRunResult(fact=_json(dict(r.fact)), fired=r.fired, outcomes=_json(r.outcomes))
                for r in results
            ]
        )


__all__ = ["RuleSetQuery"]
