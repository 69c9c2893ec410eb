from __future__ import annotations

from datetime import datetime
from typing import Any, Self

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.errors import UserError
from merchantops.rules import document as rule_document
from merchantops.rules import facts, models

# The domain's own enum, exposed as it is: one list of values to keep.
RuleSetKind = rule_document.RuleSetKind
strawberry.enum(RuleSetKind, name="RuleSetKind")


# The domain's own enum, exposed as it is: one list of values to keep.
RuleSetStatus = models.VersionStatus
strawberry.enum(RuleSetStatus, name="RuleSetStatus")


# The domain's own enum, exposed as it is: one list of values to keep.
RuleSetActivationVia = models.ActivationVia
strawberry.enum(RuleSetActivationVia, name="RuleSetActivationVia")


@strawberry.type(description="One period a version was in force.")
class RuleSetActivation:
    activated_at: datetime
    deactivated_at: datetime | None = strawberry.field(description="Null while in force.")
    activated_by: str = strawberry.field(description="Who activated it ('' before 0013).")
    via: RuleSetActivationVia


@strawberry.type(name="RuleSetVersion")
class RuleSetVersionNode(relay.Node):
    id: relay.NodeID[str]
    kind: RuleSetKind
    version: int
    status: RuleSetStatus
    document: JSON
    created_by: str
    created_at: datetime
    activated_at: datetime | None = strawberry.field(
        description="When it was first activated; every period in force is in activations."
    )

    @strawberry.field(description="Every period it was in force, oldest first.")
    async def activations(self, info: Info) -> list[RuleSetActivation]:
        rows = await info.context.loaders.grouped(
            models.RuleSetActivation, "version_id", "activated_at"
        ).load(self.id)
        return [
            RuleSetActivation(
                activated_at=row.activated_at,
                deactivated_at=row.deactivated_at,
                activated_by=row.activated_by,
                via=row.via,
            )
            for row in rows
        ]

    @classmethod
    def from_model(cls, version: models.RuleSetVersion) -> Self:
        document: Any = version.document
        return cls(
            id=str(version.id),
            kind=RuleSetKind(version.kind),
            version=version.version,
            status=version.status,
            document=document,
            created_by=version.created_by,
            created_at=version.created_at,
            activated_at=version.activated_at,
        )


# The domain's own enum, exposed as it is: one list of values to keep.
RuleFactType = facts.FactType
strawberry.enum(RuleFactType, name="RuleFactType")


@strawberry.type(description="A fact rules of a kind can test (docs/rules.md, 'Facts').")
class RuleFact:
    name: str = strawberry.field(description="Dotted path, e.g. po.total")
    type: RuleFactType
    description: str
    provided_by: list[str] = strawberry.field(
        description="Actions (compliance) or event types (risk) whose facts carry it."
    )
    planned: bool = strawberry.field(
        description="Declared for an area not built yet: nothing provides it today."
    )


@strawberry.type
class RuleSetProblem:
    path: str = strawberry.field(description="Where in the document, e.g. rules[1].when.gt")
    message: str


@strawberry.type
class DryRunResult:
    fact: JSON
    fired: list[str] = strawberry.field(description="Ids of the rules that fire, in order.")
    outcomes: JSON


@strawberry.type
class DryRunPayload:
    results: list[DryRunResult] = strawberry.field(default_factory=list)
    errors: list[UserError] = strawberry.field(default_factory=list)


__all__ = [
    "DryRunPayload",
    "DryRunResult",
    "RuleFact",
    "RuleFactType",
    "RuleSetActivation",
    "RuleSetActivationVia",
    "RuleSetKind",
    "RuleSetProblem",
    "RuleSetStatus",
    "RuleSetVersionNode",
]
