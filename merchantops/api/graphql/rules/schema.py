from __future__ import annotations

from datetime import datetime
from typing import Any, Self

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.errors import UserError, user_errors
from merchantops.api.graphql.core.ids import decode_id
from merchantops.api.graphql.core.pagination import Connection, paginate
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.errors import DomainError
from merchantops.rules import document as rule_document
from merchantops.rules import facts, models, versions

READ = TenantPermission("rule_set", "read")
WRITE = TenantPermission("rule_set", "write")
APPROVE = TenantPermission("rule_set", "approve")


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


@strawberry.input
class CreateRuleSetDraftInput:
    document: JSON = strawberry.field(description="A rule-set document (docs/rules.md).")


@strawberry.input
class ActivateRuleSetInput:
    id: strawberry.ID


@strawberry.input
class RollbackRuleSetInput:
    kind: RuleSetKind


@strawberry.type
class RuleSetPayload:
    version: RuleSetVersionNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


def _json(value: Any) -> JSON:
    result: JSON = value
    return result


def _errors(error: DomainError) -> list[UserError]:
    if isinstance(error, versions.InvalidDocument):
        return [
            UserError(field=f"document.{path}", code=error.code, message=message)
            for path, message in error.problems
        ]
    return user_errors(error)


@strawberry.type
class RuleSetQuery:
    @strawberry.field(extensions=[requires(READ)], description="Versions, newest first.")
    async def rule_set_versions(
        self,
        info: Info,
        kind: RuleSetKind | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[RuleSetVersionNode]:
        found = models.RuleSetVersion.all()
        if kind is not None:
            found = found.filter(kind=kind.value)
        return await paginate(
            info,
            found.order_by("-created_at", "id"),
            first=first,
            after=after,
            last=last,
            before=before,
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
        try:
            versions.check(document)
        except versions.InvalidDocument as invalid:
            return [RuleSetProblem(path=p, message=m) for p, m in invalid.problems]
        return []

    @strawberry.field(
        extensions=[requires(READ)],
        description="Which rules of a version fire for sample facts, and why; writes nothing.",
    )
    async def dry_run_rule_set(self, id: strawberry.ID, facts: list[JSON]) -> DryRunPayload:
        try:
            samples: list[Any] = list(facts)
            results = await versions.dry_run(decode_id(id, "RuleSetVersion"), samples)
        except DomainError as error:
            return DryRunPayload(errors=_errors(error))
        return DryRunPayload(
            results=[
                DryRunResult(fact=_json(dict(r.fact)), fired=r.fired, outcomes=_json(r.outcomes))
                for r in results
            ]
        )


@strawberry.type
class RuleSetMutation:
    @strawberry.mutation(
        extensions=[requires(WRITE)],
        description="Store a new draft version; problems come back as errors with their path.",
    )
    async def create_rule_set_draft(self, input: CreateRuleSetDraftInput) -> RuleSetPayload:
        try:
            version = await versions.create_draft(input.document)
        except DomainError as error:
            return RuleSetPayload(errors=_errors(error))
        return RuleSetPayload(version=RuleSetVersionNode.from_model(version))

    @strawberry.mutation(
        extensions=[requires(APPROVE)],
        description="Make a version the active one of its kind, in every process at once.",
    )
    async def activate_rule_set(self, input: ActivateRuleSetInput) -> RuleSetPayload:
        try:
            version = await versions.activate(decode_id(input.id, "RuleSetVersion"))
        except DomainError as error:
            return RuleSetPayload(errors=_errors(error))
        return RuleSetPayload(version=RuleSetVersionNode.from_model(version))

    @strawberry.mutation(
        extensions=[requires(APPROVE)],
        description="Re-activate the version in force before the current one (a rollback).",
    )
    async def rollback_rule_set(self, input: RollbackRuleSetInput) -> RuleSetPayload:
        try:
            version = await versions.rollback(input.kind)
        except DomainError as error:
            return RuleSetPayload(errors=_errors(error))
        return RuleSetPayload(version=RuleSetVersionNode.from_model(version))


__all__ = ["RuleSetMutation", "RuleSetQuery"]
