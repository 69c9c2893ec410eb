"""Background jobs, independent of the queue that carries them.

A job is a name, an idempotency key, a tenant and a JSON payload. Its `JobRecord` is the ledger
of work owed: the database, not the queue, says what is still to do, because the queue (Redis)
may lose everything at any moment. `submit` records a job, then hands it to the queue. Every
hand-over, run and pending retry holds a lease (`lease_until`); `sweep` hands over again each
unfinished job whose lease ran out, under the same queue key, so a copy the queue still holds is
refused as a duplicate and a copy it lost is replaced. A job whose record says `succeeded` or
`dead` is not run again, whatever the queue delivers, so a job handed over twice acts once.

`execute` runs one try inside the tenant's scope and counts tries in the record, not in the
queue, so a retry the queue lost resumes at the right try. A failure is retried with exponential
backoff (`RetryLater`, which the queue adapter turns into its own retry); after the last try the
record turns `dead`: the dead-letter list, from which an admin can `replay` it. Tries whose
worker died before reporting count too: a job that keeps killing its worker ends up dead.

The queue itself is behind `JobQueue`: arq on Redis in production, an in-process runner on a
laptop; only `workers/` knows which.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol
from uuid import UUID

from tortoise.expressions import Q

from merchantops.dbengine.request import own_connection
from merchantops.errors import InvalidInput, NotFound
from merchantops.log import get_logger
from merchantops.tenants.context import Crossing, across_tenants, actor_scope, tenant_scope
from merchantops.tenants.models import JobRecord, JobStatus

logger = get_logger(__name__)
UNFINISHED = (JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.RETRYING)
FINISHED = (JobStatus.SUCCEEDED, JobStatus.DEAD)


class JobQueue(Protocol):
    async def enqueue(
        self,
        name: str,
        *,
        key: str,
        tenant_id: UUID,
        payload: Mapping[str, Any],
        run: int = 0,
        defer_until: datetime | None = None,
    ) -> bool:
        """Queue a job once per (key, run), to run at once or not before `defer_until` (a
        timer); False when that one is queued or done already."""
        ...


class RetryLater(Exception):
    def __init__(self, defer_seconds: float) -> None:
        super().__init__(f"retry in {defer_seconds:.2f}s")
        self.defer_seconds = defer_seconds


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often a job is tried, and how long the queue is trusted with it.

    A job handed to the queue is handed over again `lease_seconds` after the hand-over, after
    its retry was due, or after its try should have ended (`timeout_seconds`), unless it has
    finished by then."""

    max_tries: int = 5
    base_seconds: float = 2.0
    max_seconds: float = 600.0
    lease_seconds: float = 60.0
    timeout_seconds: float = 60.0

    def delay(self, attempt: int) -> float:
        return float(min(self.max_seconds, self.base_seconds * 2 ** (attempt - 1)))

    def lease(self, after_seconds: float = 0.0) -> datetime:
        return datetime.now(UTC) + timedelta(seconds=after_seconds + self.lease_seconds)


@dataclass(frozen=True, slots=True)
class Schedule:
    """A job every active tenant runs once per `every_seconds` slot (`workers/schedule.py`)."""

    job: str
    every_seconds: int


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

    async def enqueue(
        self,
        name: str,
        *,
        key: str,
        payload: Mapping[str, Any],
        not_before: datetime | None = None,
    ) -> bool:
        """Submit a follow-up job of this job's tenant (see `submit`)."""
        return await submit(
            self.queue,
            self.policy,
            name,
            key=key,
            tenant_id=self.tenant_id,
            payload=payload,
            not_before=not_before,
        )


JobFunction = Callable[[JobContext, dict[str, Any]], Awaitable[None]]


async def prepare(name: str, key: str, tenant_id: UUID, payload: Mapping[str, Any]) -> JobRecord:
    """The job's record, created queued and due for hand-over if it is new."""
    with tenant_scope(tenant_id):
        record, _ = await JobRecord.get_or_create(
            key=key, defaults={"name": name, "payload": dict(payload), "tenant_id": tenant_id}
        )
    return record


async def submit(
    queue: JobQueue,
    policy: RetryPolicy,
    name: str,
    *,
    key: str,
    tenant_id: UUID,
    payload: Mapping[str, Any],
    not_before: datetime | None = None,
) -> bool:
    """Record a job as owed and hand it to the queue; False when its key is known already.

    A queue that is down does not fail the caller: the job stays due and `sweep` hands it over
    once the queue is back. A timer (`not_before`: an SLA clock's due instant) waits in the
    queue until then, and its lease runs from then: if the queue loses it, `sweep` hands it
    over once it is due and its lease has run out. A timer's key names what it is for (a
    clock and its version), so a rescheduled timer is a new job and the old one finds, when
    it runs, that it has nothing to do."""
    now = datetime.now(UTC)
    waits = (not_before - now).total_seconds() if not_before is not None else 0.0
    with tenant_scope(tenant_id):
        record, created = await JobRecord.get_or_create(
            key=key,
            defaults={
                "name": name,
                "payload": dict(payload),
                "tenant_id": tenant_id,
                "lease_until": policy.lease(after_seconds=max(waits, 0.0)),
            },
        )
    if not created:
        return False
    await _hand_over_or_leave_due(queue, record, not_before if waits > 0 else None)
    return True


async def hand_over(queue: JobQueue, policy: RetryPolicy, record: JobRecord) -> bool:
    """Give an unfinished job to the queue (again) and lease it; raises when the queue is down.

    True unless the queue refused it as a duplicate of a copy it holds."""
    queued = await _enqueue(queue, record)
    await _lease(record, policy.lease())
    return queued


async def overdue(limit: int) -> list[JobRecord]:
    """Unfinished jobs of every tenant whose lease ran out: the queue may have lost them."""
    expired = Q(lease_until__isnull=True) | Q(lease_until__lt=datetime.now(UTC))
    with across_tenants(Crossing.JOB_LEDGER):
        return list(
            await JobRecord.unscoped()
            .filter(expired, status__in=UNFINISHED)
            .order_by("created_at")
            .limit(limit)
        )


async def sweep(queue: JobQueue, policy: RetryPolicy, *, batch: int = 100) -> int:
    """Hand over again every overdue job; returns how many the queue did not hold any more.

    Stops at the first failure (the queue is down): the rest stay overdue for the next pass."""
    replaced = 0
    for record in await overdue(batch):
        try:
            replaced += await hand_over(queue, policy, record)
        except Exception as error:
            logger.warning("job.hand_over_failed", key=record.key, error=repr(error))
            break
    if replaced:
        logger.warning("job.handed_over_again", jobs=replaced)
    return replaced


async def _enqueue(queue: JobQueue, record: JobRecord, defer_until: datetime | None = None) -> bool:
    if defer_until is None:  # as every queue takes it, test doubles included
        return await queue.enqueue(
            record.name,
            key=record.key,
            tenant_id=record.tenant_id,
            payload=record.payload,
            run=record.runs,
        )
    return await queue.enqueue(
        record.name,
        key=record.key,
        tenant_id=record.tenant_id,
        payload=record.payload,
        run=record.runs,
        defer_until=defer_until,
    )


async def _hand_over_or_leave_due(
    queue: JobQueue, record: JobRecord, defer_until: datetime | None = None
) -> None:
    """Hand over a job leased already; when the queue is down, leave it to `sweep`."""
    try:
        await _enqueue(queue, record, defer_until)
    except Exception as error:
        logger.warning("job.hand_over_failed", key=record.key, error=repr(error))
        await _lease(record, None)


async def _lease(record: JobRecord, until: datetime | None) -> None:
    # Only the state this hand-over saw: a try that started meanwhile holds its own lease.
    with across_tenants(Crossing.JOB_LEDGER):
        await (
            JobRecord.unscoped()
            .filter(id=record.id, status=record.status, attempts=record.attempts)
            .update(lease_until=until)
        )


async def execute(
    registry: Mapping[str, JobFunction],
    name: str,
    *,
    key: str,
    tenant_id: UUID,
    payload: dict[str, Any],
    queue: JobQueue,
    policy: RetryPolicy,
) -> JobStatus:
    """Run the job's next try; raises `RetryLater` when the queue should try again.

    Run in-process, the job's task inherited the context of whatever queued it: it takes its
    own database connections rather than the request's (`dbengine.request.own_connection`)."""
    with own_connection():
        function = registry.get(name)
        if function is None:
            raise LookupError(f"no job named {name!r}")
        record = await prepare(name, key, tenant_id, payload)
        with tenant_scope(tenant_id), actor_scope(f"system:job:{name}"):
            if record.status in FINISHED:
                return record.status
            attempt = record.attempts + 1
            if attempt > policy.max_tries:
                # every try so far ended with its worker, before it could report
                record.last_error = f"{policy.max_tries} tries never finished"
                return await _finish(record, JobStatus.DEAD)
            record.status, record.attempts = JobStatus.RUNNING, attempt
            record.lease_until = policy.lease(policy.timeout_seconds)
            await record.save(update_fields=["status", "attempts", "lease_until", "updated_at"])
            try:
                await function(JobContext(record, queue, attempt, policy), payload)
            except Exception as error:
                record.last_error = f"{type(error).__name__}: {error}"[:2000]
                if attempt >= policy.max_tries:
                    return await _finish(record, JobStatus.DEAD)
                delay = policy.delay(attempt)
                record.status, record.lease_until = JobStatus.RETRYING, policy.lease(delay)
                await record.save(
                    update_fields=["status", "last_error", "lease_until", "updated_at"]
                )
                raise RetryLater(delay) from error
            record.last_error = None  # type: ignore[assignment]
            return await _finish(record, JobStatus.SUCCEEDED)


async def _finish(record: JobRecord, status: JobStatus) -> JobStatus:
    record.status, record.lease_until = status, None
    await record.save(update_fields=["status", "last_error", "lease_until", "updated_at"])
    return status


async def replay(record_id: UUID, queue: JobQueue, policy: RetryPolicy) -> JobRecord:
    """Put a dead job back on the queue (tenant in context), from its first try."""
    record = await JobRecord.get_or_none(id=record_id)
    if record is None:
        raise NotFound("No job with this id.", field="id")
    if record.status != JobStatus.DEAD:
        raise InvalidInput("Only dead jobs can be replayed.", field="id")
    record.status, record.attempts, record.runs = JobStatus.QUEUED, 0, record.runs + 1
    record.last_error, record.lease_until = None, policy.lease()  # type: ignore[assignment]
    await record.save(
        update_fields=["status", "attempts", "runs", "last_error", "lease_until", "updated_at"]
    )
    await _hand_over_or_leave_due(queue, record)
    return record


__all__ = [
    "FINISHED",
    "UNFINISHED",
    "JobContext",
    "JobFunction",
    "JobQueue",
    "RetryLater",
    "RetryPolicy",
    "Schedule",
    "execute",
    "hand_over",
    "overdue",
    "prepare",
    "replay",
    "submit",
    "sweep",
]
