from __future__ import annotations

import strawberry

from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.errors import UserError
from merchantops.api.graphql.core.permissions import PLATFORM_ADMIN, requires
from merchantops.api.graphql.lifecycle.types import TenantArchiveNode
from merchantops.domain.lifecycle import archives
from merchantops.workers.registry import retry_policy


@strawberry.input
class ExportTenantInput:
    slug: str


@strawberry.type
class ExportTenantPayload:
    archive: TenantArchiveNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ExportMutation:
    @strawberry.mutation(
        extensions=[requires(PLATFORM_ADMIN)],
        description="Write every table of a tenant into one archive, in a job; follow it with "
        "`tenantArchive(id:)`. Not masked: the platform's own copy (platform admins only).",
    )
    async def export_tenant(self, info: Info, input: ExportTenantInput) -> ExportTenantPayload:
        queue, policy = info.context.require_queue(), retry_policy(info.context.settings)
        archive = await archives.request_export(input.slug, queue, policy)
        return ExportTenantPayload(archive=TenantArchiveNode.from_record(archive))


__all__ = ["ExportMutation"]
