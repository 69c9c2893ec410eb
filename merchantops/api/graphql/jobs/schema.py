from __future__ import annotations

from datetime import datetime
from typing import Self

import strawberry
from strawberry import relay

from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.errors import UserError, user_errors
from merchantops.api.graphql.core.ids import decode_id
from merchantops.api.graphql.core.pagination import Connection, paginate
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.errors import DomainError
from merchantops.tenants import jobs, models
from merchantops.workers.registry import retry_policy

# The domain's own enum, exposed as it is: one list of values to keep.
JobStatus = models.JobStatus
strawberry.enum(JobStatus, name="JobStatus")


@strawberry.type(name="Job")
class JobNode(relay.Node):
    id: relay.NodeID[str]
    name: str
    key: str = strawberry.field(description="Idempotency key: the job runs once per key.")
    status: JobStatus
    attempts: int
    progress_done: int
    progress_total: int | None
    last_error: str | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_model(cls, record: models.JobRecord) -> Self:
        return cls(
            id=str(record.id),
            name=record.name,
            key=record.key,
            status=record.status,
            attempts=record.attempts,
            progress_done=record.progress_done,
            progress_total=record.progress_total,
            last_error=record.last_error,
            created_at=record.created_at,
            updated_at=record.updated_at,
        )


@strawberry.input
class ReplayJobInput:
    id: strawberry.ID


@strawberry.type
class JobPayload:
    job: JobNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


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
        records = models.JobRecord.all()
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


@strawberry.type
class JobMutation:
    @strawberry.mutation(
        extensions=[requires(TenantPermission("job", "write"))],
        description="Run a dead job again from its first try.",
    )
    async def replay_job(self, info: Info, input: ReplayJobInput) -> JobPayload:
        try:
            record = await jobs.replay(
                decode_id(input.id, "Job"),
                info.context.require_queue(),
                retry_policy(info.context.settings),
            )
        except DomainError as error:
            return JobPayload(errors=user_errors(error))
        return JobPayload(job=JobNode.from_model(record))


__all__ = ["JobMutation", "JobQuery"]
