from __future__ import annotations

import strawberry
from strawberry.scalars import JSON

from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.api.graphql.rules.mutations.payloads import RuleSetPayload
from merchantops.api.graphql.rules.types import RuleSetVersionNode
from merchantops.rules import versions


@strawberry.input
class CreateRuleSetDraftInput:
    document: JSON = strawberry.field(description="A rule-set document (docs/rules.md).")


@strawberry.type
class RuleSetDraftMutation:
    @strawberry.mutation(
        extensions=[requires(TenantPermission("rule_set", "write"))],
        description="Store a new draft version; problems come back as errors with their path.",
    )
    async def create_rule_set_draft(self, input: CreateRuleSetDraftInput) -> RuleSetPayload:
        # An invalid document is refused with one error per problem (`InvalidDocument`).
        version = await versions.create_draft(input.document)
        return RuleSetPayload(version=RuleSetVersionNode.from_model(version))


__all__ = ["CreateRuleSetDraftInput", "RuleSetDraftMutation"]
