"""Moves committed outbox events onto the job queue, oldest first."""

from __future__ import annotations

from merchantops.log import get_logger
from merchantops.tenants import outbox
from merchantops.tenants.jobs import JobQueue
from merchantops.workers.registry import PROCESS_EVENT

logger = get_logger(__name__)


async def relay_outbox(queue: JobQueue, *, batch: int = 100) -> int:
    """Hand pending events to the queue; returns how many were handed over.

    Stops at the first failure (the queue is probably down): the event stays pending and the
    next pass tries again. An event handed over but not marked (a crash in between) is handed
    over again under the same key, which the queue refuses as a duplicate.
    """
    handed = 0
    for event in await outbox.pending(batch):
        try:
            await queue.enqueue(
                PROCESS_EVENT,
                key=f"event:{event.id}",
                tenant_id=event.tenant_id,
                payload={"event_id": str(event.id)},
            )
        except Exception as error:
            logger.warning("outbox.relay_failed", event_id=str(event.id), error=repr(error))
            await outbox.mark_failed(event, repr(error))
            break
        await outbox.mark_dispatched(event)
        handed += 1
    return handed


__all__ = ["relay_outbox"]
