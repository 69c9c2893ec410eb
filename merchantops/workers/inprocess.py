"""The embedded runner: the same jobs and schedule inside the API process, without Redis."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from merchantops.log import get_logger
from merchantops.tenants.jobs import JobFunction, RetryLater, RetryPolicy
from merchantops.workers.observed import run_job
from merchantops.workers.relay import relay_outbox
from merchantops.workers.schedule import enqueue_due

logger = get_logger(__name__)


class InProcessQueue:
    """Runs each queued job as an asyncio task, retrying with the policy's backoff.

    What it held dies with the process; the job ledger owes it, and a restarted process's relay
    hands it over again once its lease has run out."""

    def __init__(self, registry: Mapping[str, JobFunction], policy: RetryPolicy) -> None:
        self.registry = registry
        self.policy = policy
        self._pending: set[tuple[str, int]] = set()
        self._tasks: set[asyncio.Task[None]] = set()

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
        if (key, run) in self._pending:
            return False
        self._pending.add((key, run))
        wait = (defer_until - datetime.now(UTC)).total_seconds() if defer_until else 0.0
        task = asyncio.create_task(self._run(name, key, tenant_id, dict(payload), run, wait))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return True

    async def _run(
        self,
        name: str,
        key: str,
        tenant_id: UUID,
        payload: dict[str, Any],
        run: int,
        wait: float = 0.0,
    ) -> None:
        try:
            if wait > 0:  # a timer: its task sleeps until due
                await asyncio.sleep(wait)
            while True:
                try:
                    await run_job(
                        self.registry,
                        name,
                        key=key,
                        tenant_id=tenant_id,
                        payload=payload,
                        queue=self,
                        policy=self.policy,
                    )
                    return
                except RetryLater as later:
                    await asyncio.sleep(later.defer_seconds)
        except Exception:
            # the job's lease runs out and the relay's sweep hands it over again
            logger.exception("job.crashed", job=name, key=key)
        finally:
            self._pending.discard((key, run))

    async def drain(self) -> None:
        """Wait until no job is running or waiting for a retry (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*list(self._tasks), return_exceptions=True)


class InProcessRunner:
    """The queue plus the schedule: relays the outbox and sweeps overdue jobs every
    `poll_seconds`, submits periodic jobs every minute."""

    SCHEDULE_SECONDS = 60.0

    def __init__(self, queue: InProcessQueue, poll_seconds: float) -> None:
        self.queue = queue
        self.poll_seconds = poll_seconds
        self._loop: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._loop = asyncio.create_task(self._relay_forever())

    async def _relay_forever(self) -> None:
        loop = asyncio.get_running_loop()
        scheduled = -self.SCHEDULE_SECONDS
        while True:
            try:
                await relay_outbox(self.queue, self.queue.policy)
            except Exception:
                logger.exception("outbox.relay_crashed")
            if loop.time() - scheduled >= self.SCHEDULE_SECONDS:
                scheduled = loop.time()
                try:
                    await enqueue_due(self.queue, self.queue.policy)
                except Exception:
                    logger.exception("schedule.crashed")
            await asyncio.sleep(self.poll_seconds)

    async def stop(self) -> None:
        if self._loop is not None:
            self._loop.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._loop
        await self.queue.close()


__all__ = ["InProcessQueue", "InProcessRunner"]
