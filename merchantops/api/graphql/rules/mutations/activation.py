from __future__ import annotations

import strawberry

from merchantops.api.graphql.core.ids import decode_id
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.api.graphql.rules.mutations.payloads import RuleSetPayload
from merchantops.api.graphql.rules.types import RuleSetKind, RuleSetVersionNode
from merchantops.rules import versions

APPROVE = TenantPermission("rule_set", "approve")


@strawberry.input
class ActivateRuleSetInput:
    id: strawberry.ID


@strawberry.input
class RollbackRuleSetInput:
    kind: RuleSetKind


@strawberry.type
class RuleSetActivationMutation:
    @strawberry.mutation(
        extensions=[requires(APPROVE)],
        description="Make a version the active one of its kind, in every process at once.",
    )
    async def activate_rule_set(self, input: ActivateRuleSetInput) -> RuleSetPayload:
        version = await versions.activate(decode_id(input.id, "RuleSetVersion"))
        return RuleSetPayload(version=RuleSetVersionNode.from_model(version))

    @strawberry.mutation(
        extensions=[requires(APPROVE)],
        description="Re-activate the version in force before the current one (a rollback).",
    )
    async def rollback_rule_set(self, input: RollbackRuleSetInput) -> RuleSetPayload:
        version = await versions.rollback(input.kind)
        return RuleSetPayload(version=RuleSetVersionNode.from_model(version))


__all__ = ["ActivateRuleSetInput", "RollbackRuleSetInput", "RuleSetActivationMutation"]
