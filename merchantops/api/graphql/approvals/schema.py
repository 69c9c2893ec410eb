from __future__ import annotations

import strawberry

from merchantops.api.graphql.approvals.types import ApprovalRequestNode, ApprovalStatus
from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.errors import UserError, user_errors
from merchantops.api.graphql.core.ids import decode_id
from merchantops.api.graphql.core.inputs import limit
from merchantops.api.graphql.core.pagination import Connection, paginate
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.domain.governance import approvals, models
from merchantops.errors import DomainError
from merchantops.tenants.templates import OWNER


@strawberry.input
class DecideApprovalInput:
    id: strawberry.ID
    comment: str = strawberry.field(default="", metadata=limit(max_length=500))


@strawberry.type
class ApprovalPayload:
    approval_request: ApprovalRequestNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ApprovalQuery:
    @strawberry.field(
        extensions=[requires(TenantPermission("approval", "read"))],
        description="Approval requests, newest first; `mine` keeps those the caller may decide.",
    )
    async def approval_requests(
        self,
        info: Info,
        status: ApprovalStatus | None = None,
        mine: bool = False,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[ApprovalRequestNode]:
        rows = models.ApprovalRequest.all()
        if status is not None:
            rows = rows.filter(status=status.value)
        if mine:
            actor = info.context.actor()
            if OWNER not in actor.roles:  # the owner decides on anything
                rows = rows.filter(role__in=sorted(actor.roles))
        return await paginate(
            info,
            rows.order_by("-created_at", "-id"),
            first=first,
            after=after,
            last=last,
            before=before,
            to_node=ApprovalRequestNode.from_model,
        )


async def _decide(info: Info, input: DecideApprovalInput, approve: bool) -> ApprovalPayload:
    try:
        request = await approvals.decide(
            info.context.require_evaluator(),
            info.context.actor(),
            decode_id(input.id, "ApprovalRequest"),
            approve=approve,
            comment=input.comment,
        )
    except DomainError as error:
        return ApprovalPayload(errors=user_errors(error))
    return ApprovalPayload(approval_request=ApprovalRequestNode.from_model(request))


@strawberry.type
class ApprovalMutation:
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


__all__ = ["ApprovalMutation", "ApprovalQuery"]
