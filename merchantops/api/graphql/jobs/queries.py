from __future__ import annotations

import strawberry

from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.pagination import Connection, paginate
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.api.graphql.jobs.types import JobNode, JobStatus
from merchantops.tenants.models import JobRecord


@strawberry.type
class JobQuery:
    @strawberry.field(
        extensions=[requires(TenantPermission("job", "read"))],
        description="Background jobs, newest first; status DEAD is the dead-letter list.",
    )
    async def jobs(
        self,
        info: Info,
        status: JobStatus | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[JobNode]:
        records = JobRecord.all()
        if status is not None:
            records = records.filter(status=status.value)
        return await paginate(
            info,
            records.order_by("-created_at", "id"),
            first=first,
            after=after,
            last=last,
            before=before,
            to_node=JobNode.from_model,
        )


__all__ = ["JobQuery"]
