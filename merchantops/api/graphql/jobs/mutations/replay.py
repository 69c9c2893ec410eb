from __future__ import annotations

import strawberry

from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.errors import UserError
from merchantops.api.graphql.core.ids import decode_id
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.api.graphql.jobs.types import JobNode
from merchantops.tenants import jobs
from merchantops.workers.registry import retry_policy


@strawberry.input
class ReplayJobInput:
    id: strawberry.ID


@strawberry.type
class JobPayload:
    job: JobNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ReplayJobMutation:
    @strawberry.mutation(
        extensions=[requires(TenantPermission("job", "write"))],
        description="Run a dead job again from its first try.",
    )
    async def replay_job(self, info: Info, input: ReplayJobInput) -> JobPayload:
        record = await jobs.replay(
            decode_id(input.id, "Job"),
            info.context.require_queue(),
            retry_policy(info.context.settings),
        )
        return JobPayload(job=JobNode.from_model(record))


__all__ = ["JobPayload", "ReplayJobInput", "ReplayJobMutation"]
