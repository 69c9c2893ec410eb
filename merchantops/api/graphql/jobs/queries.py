from __future__ import annotations

import strawberry

from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.pagination import EVERY_ROW, Connection, Page, paged, paginate
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.api.graphql.jobs.types import JobNode, JobStatus
from merchantops.tenants.models import JobRecord


@strawberry.type
class JobQuery:
    @strawberry.field(
        extensions=[requires(TenantPermission("job", "read"))],
        description="Background jobs, newest first; status DEAD is the dead-letter list.",
    )
    @paged
    async def jobs(
        self,
        info: Info,
        status: JobStatus | None = None,
        page: Page = EVERY_ROW,
    ) -> Connection[JobNode]:
        records = JobRecord.all()
        if status is not None:
            records = records.filter(status=status.value)
        return await paginate(
            info,
            records.order_by("-created_at", "id"),
            page,
            to_node=JobNode.from_model,
        )


__all__ = ["JobQuery"]
