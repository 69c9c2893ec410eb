from __future__ import annotations

import strawberry

from merchantops.api.graphql.approvals.types import ApprovalRequestNode
from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.errors import UserError
from merchantops.api.graphql.core.ids import decode_id
from merchantops.api.graphql.core.inputs import limit
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.domain.governance import approvals


@strawberry.input
class DecideApprovalInput:
    id: strawberry.ID
    comment: str = strawberry.field(default="", metadata=limit(max_length=500))


@strawberry.type
class ApprovalPayload:
    approval_request: ApprovalRequestNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


async def _decide(info: Info, input: DecideApprovalInput, approve: bool) -> ApprovalPayload:
    request = await approvals.decide(
        info.context.require_evaluator(),
        info.context.actor(),
        decode_id(input.id, "ApprovalRequest"),
        approve=approve,
        comment=input.comment,
    )
    return ApprovalPayload(approval_request=ApprovalRequestNode.from_model(request))


@strawberry.type
class DecideApprovalMutation:
    @strawberry.mutation(
        extensions=[requires(TenantPermission("approval", "write"))],
        description="Approve and apply the held change; only a holder of the request's role.",
    )
    async def approve_request(self, info: Info, input: DecideApprovalInput) -> ApprovalPayload:
        return await _decide(info, input, True)

    @strawberry.mutation(
        extensions=[requires(TenantPermission("approval", "write"))],
        description="Reject the held change; its subject is unlocked unchanged.",
    )
    async def reject_request(self, info: Info, input: DecideApprovalInput) -> ApprovalPayload:
        return await _decide(info, input, False)


__all__ = ["ApprovalPayload", "DecideApprovalInput", "DecideApprovalMutation"]
