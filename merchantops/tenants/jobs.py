"""Background jobs, independent of the queue that carries them.

A job is a name, an idempotency key, a tenant and a JSON payload. `execute` runs it inside the
tenant's scope and keeps a `JobRecord` (status, attempts, progress) that GraphQL reads. A job
whose record says `succeeded` is not run again, whatever the queue redelivers. A failure is
retried with exponential backoff (`RetryLater`, which the queue adapter turns into its own
retry); after the last try the record turns `dead`: the dead-letter list, from which an admin
can `replay` it.

The queue itself is behind `JobQueue`: arq on Redis in production, an in-process runner on a
laptop; only `workers/` knows which.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol
from uuid import UUID

from merchantops.dbengine.request import own_connection
from merchantops.tenants.context import actor_scope, tenant_scope
from merchantops.tenants.errors import InvalidInput, NotFound
from merchantops.tenants.models import JobRecord, JobStatus


class JobQueue(Protocol):
    async def enqueue(
        self, name: str, *, key: str, tenant_id: UUID, payload: Mapping[str, Any], run: int = 0
    ) -> bool:
        """Queue a job once per (key, run); False when that one is queued or done already."""
        ...


class RetryLater(Exception):
    def __init__(self, defer_seconds: float) -> None:
        super().__init__(f"retry in {defer_seconds:.2f}s")
        self.defer_seconds = defer_seconds


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    max_tries: int = 5
    base_seconds: float = 2.0
    max_seconds: float = 600.0

    def delay(self, attempt: int) -> float:
        return float(min(self.max_seconds, self.base_seconds * 2 ** (attempt - 1)))


@dataclass
class JobContext:
    record: JobRecord
    queue: JobQueue
    attempt: int
    policy: RetryPolicy = field(default_factory=RetryPolicy)

    @property
    def tenant_id(self) -> UUID:
        return self.record.tenant_id  # type: ignore[no-any-return]

    @property
    def is_last_try(self) -> bool:
        return self.attempt >= self.policy.max_tries

    async def progress(self, done: int, total: int | None = None) -> None:
        self.record.progress_done = done
        self.record.progress_total = total
        await self.record.save(update_fields=["progress_done", "progress_total", "updated_at"])

    async def enqueue(self, name: str, *, key: str, payload: Mapping[str, Any]) -> bool:
        return await self.queue.enqueue(name, key=key, tenant_id=self.tenant_id, payload=payload)


JobFunction = Callable[[JobContext, dict[str, Any]], Awaitable[None]]


async def prepare(name: str, key: str, tenant_id: UUID, payload: Mapping[str, Any]) -> JobRecord:
    with tenant_scope(tenant_id):
        record, _ = await JobRecord.get_or_create(
            key=key, defaults={"name": name, "payload": dict(payload), "tenant_id": tenant_id}
        )
    return record


async def execute(
    registry: Mapping[str, JobFunction],
    name: str,
    *,
    key: str,
    tenant_id: UUID,
    payload: dict[str, Any],
    attempt: int,
    queue: JobQueue,
    policy: RetryPolicy,
) -> JobStatus:
    """Run one attempt of a job; raises `RetryLater` when the queue should try again.

    Run in-process, the job's task inherited the context of whatever queued it: it takes its
    own database connections rather than the request's (`dbengine.request.own_connection`)."""
    with own_connection():
        return await _execute(
            registry,
            name,
            key=key,
            tenant_id=tenant_id,
            payload=payload,
            attempt=attempt,
            queue=queue,
            policy=policy,
        )


async def _execute(
    registry: Mapping[str, JobFunction],
    name: str,
    *,
    key: str,
    tenant_id: UUID,
    payload: dict[str, Any],
    attempt: int,
    queue: JobQueue,
    policy: RetryPolicy,
) -> JobStatus:
    function = registry.get(name)
    if function is None:
        raise LookupError(f"no job named {name!r}")
    record = await prepare(name, key, tenant_id, payload)
    with tenant_scope(tenant_id), actor_scope(f"system:job:{name}"):
        if record.status == JobStatus.SUCCEEDED:
            return JobStatus.SUCCEEDED
        record.status, record.attempts = JobStatus.RUNNING, attempt
        await record.save(update_fields=["status", "attempts", "updated_at"])
        try:
            await function(JobContext(record, queue, attempt, policy), payload)
        except Exception as error:
            record.last_error = f"{type(error).__name__}: {error}"[:2000]
            if attempt < policy.max_tries:
                record.status = JobStatus.RETRYING
                await record.save(update_fields=["status", "last_error", "updated_at"])
                raise RetryLater(policy.delay(attempt)) from error
            record.status = JobStatus.DEAD
            await record.save(update_fields=["status", "last_error", "updated_at"])
            return JobStatus.DEAD
        record.status, record.last_error = JobStatus.SUCCEEDED, None  # type: ignore[assignment]
        await record.save(update_fields=["status", "last_error", "updated_at"])
        return JobStatus.SUCCEEDED


async def replay(record_id: UUID, queue: JobQueue) -> JobRecord:
    """Put a dead job back on the queue (tenant in context), from its first try."""
    record = await JobRecord.get_or_none(id=record_id)
    if record is None:
        raise NotFound("No job with this id.", field="id")
    if record.status != JobStatus.DEAD:
        raise InvalidInput("Only dead jobs can be replayed.", field="id")
    record.status, record.attempts, record.runs = JobStatus.QUEUED, 0, record.runs + 1
    record.last_error = None  # type: ignore[assignment]
    await record.save(update_fields=["status", "attempts", "runs", "last_error", "updated_at"])
    await queue.enqueue(
        record.name,
        key=record.key,
        tenant_id=record.tenant_id,
        payload=record.payload,
        run=record.runs,
    )
    return record


__all__ = [
    "JobContext",
    "JobFunction",
    "JobQueue",
    "RetryLater",
    "RetryPolicy",
    "execute",
    "prepare",
    "replay",
]
