"""The relay pass: committed outbox events onto the job queue, oldest first, then the sweep of
jobs the queue may have lost. Both run every few seconds, in the worker and in-process."""

from __future__ import annotations

from merchantops.log import get_logger
from merchantops.observability import metrics
from merchantops.tenants import jobs, outbox
from merchantops.tenants.jobs import JobQueue, RetryPolicy
from merchantops.workers import backlog
from merchantops.workers.registry import PROCESS_EVENT

logger = get_logger(__name__)


async def relay_outbox(queue: JobQueue, policy: RetryPolicy, *, batch: int = 100) -> int:
    """Hand pending events to the queue, then overdue jobs again; returns how many were handed.

    An event becomes the job `event:<id>` in the ledger (`tenants.jobs`), which owes it from then
    on, even if the queue loses it. Stops at the first failure (the queue is probably down): the
    event stays pending and the next pass tries again. An event handed over but not marked (a
    crash in between) is handed over again under the same key, which the queue refuses as a
    duplicate, or not at all if its job has finished.
    """
    handed = await _relay(queue, policy, batch)
    await backlog.beat(getattr(queue, "redis", None))
    await backlog.observe_if_stale()
    return handed


async def _relay(queue: JobQueue, policy: RetryPolicy, batch: int) -> int:
    handed = 0
    for event in await outbox.pending(batch):
        record = await jobs.prepare(
            PROCESS_EVENT, f"event:{event.id}", event.tenant_id, {"event_id": str(event.id)}
        )
        if record.status not in jobs.FINISHED:
            try:
                await jobs.hand_over(queue, policy, record)
            except Exception as error:
                logger.warning("outbox.relay_failed", event_id=str(event.id), error=repr(error))
                await outbox.mark_failed(event, repr(error))
                metrics.events_relayed(handed)
                return handed
        await outbox.mark_dispatched(event)
        handed += 1
    metrics.events_relayed(handed)
    return handed + await jobs.sweep(queue, policy, batch=batch)


__all__ = ["relay_outbox"]
