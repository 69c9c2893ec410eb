from __future__ import annotations

from datetime import datetime
from typing import Self

import strawberry
from strawberry import relay

from merchantops.tenants import models

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


__all__ = ["JobNode", "JobStatus"]
