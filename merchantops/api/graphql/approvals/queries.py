from __future__ import annotations

import strawberry

from merchantops.api.graphql.approvals.types import ApprovalRequestNode, ApprovalStatus
from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.pagination import EVERY_ROW, Connection, Page, paged, paginate
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.domain.governance.models import ApprovalRequest
from merchantops.tenants.templates import OWNER


@strawberry.type
class ApprovalQuery:
    @strawberry.field(
        extensions=[requires(TenantPermission("approval", "read"))],
        description="Approval requests, newest first; `mine` keeps those the caller may decide.",
    )
    @paged
    async def approval_requests(
        self,
        info: Info,
        status: ApprovalStatus | None = None,
        mine: bool = False,
        page: Page = EVERY_ROW,
    ) -> Connection[ApprovalRequestNode]:
        rows = ApprovalRequest.all()
        if status is not None:
            rows = rows.filter(status=status.value)
        if mine:
            actor = info.context.actor()
            if OWNER not in actor.roles:  # the owner decides on anything
                rows = rows.filter(role__in=sorted(actor.roles))
        return await paginate(
            info,
            rows.order_by("-created_at", "-id"),
            page,
            to_node=ApprovalRequestNode.from_model,
        )


__all__ = ["ApprovalQuery"]
