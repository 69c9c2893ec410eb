from __future__ import annotations

import strawberry

from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.errors import UserError
from merchantops.api.graphql.core.permissions import PLATFORM_ADMIN, requires
from merchantops.api.graphql.lifecycle.types import TenantDeletionNode
from merchantops.domain.lifecycle import deletions
from merchantops.workers.registry import retry_policy


@strawberry.input
class DeleteTenantInput:
    slug: str
    confirm: str = strawberry.field(description="The slug again.")


@strawberry.type
class DeleteTenantPayload:
    deletion: TenantDeletionNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DeleteMutation:
    @strawberry.mutation(
        extensions=[requires(PLATFORM_ADMIN)],
        description="Delete a suspended tenant with every row it owns, in a job; follow it with "
        "`tenantDeletion(id:)`. Its users stay. Asked again after a failed purge, goes on with "
        "it (platform admins only).",
    )
    async def delete_tenant(self, info: Info, input: DeleteTenantInput) -> DeleteTenantPayload:
        queue, policy = info.context.require_queue(), retry_policy(info.context.settings)
        deletion = await deletions.request_deletion(input.slug, input.confirm, queue, policy)
        return DeleteTenantPayload(deletion=TenantDeletionNode.from_record(deletion))


__all__ = ["DeleteMutation"]
