"""The work the system owes, measured across tenants: unfinished and dead jobs in the job
ledger, and outbox events not yet relayed with the age of the oldest (the relay's lag).

Two aggregate statements. The relay pass measures at most every `EVERY_SECONDS` (so the worker's
metrics port stays current), `/metrics` when its last measure is older than that, and
`systemHealth` each time it is asked.

Also the heartbeats of the job runners: each relay pass notes one, in this process and, with
Redis, under `merchantops:worker:<host>:<pid>` (expiring after `HEARTBEAT_TTL_SECONDS`), so
`systemHealth` lists the workers alive.
"""

from __future__ import annotations

import asyncio
import os
import socket
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tortoise.functions import Count

from merchantops.log import get_logger
from merchantops.observability import metrics
from merchantops.observability.metrics import Backlog
from merchantops.tenants.context import Crossing, across_tenants
from merchantops.tenants.models import JobRecord, JobStatus, OutboxEvent

logger = get_logger(__name__)
EVERY_SECONDS = 10.0
HEARTBEAT_PREFIX = "merchantops:worker:"
HEARTBEAT_TTL_SECONDS = 60
_measured_at = 0.0


async def measure() -> Backlog:
    counted = (JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.RETRYING, JobStatus.DEAD)
    with across_tenants(Crossing.OPERATIONS):
        rows = (
            await JobRecord.unscoped()
            .filter(status__in=counted)
            .annotate(jobs=Count("id"))
            .group_by("status")
            .values("status", "jobs")
        )
        pending = OutboxEvent.unscoped().filter(dispatched_at__isnull=True)
        outbox = await pending.annotate(events=Count("id")).values("events")
        oldest = await pending.order_by("created_at").first().values_list("created_at", flat=True)
    by_status = {str(row["status"]): int(row["jobs"]) for row in rows}
    lag = 0.0
    if isinstance(oldest, datetime):
        lag = max(0.0, (datetime.now(UTC) - oldest).total_seconds())
    return Backlog(
        queued=by_status.get(JobStatus.QUEUED.value, 0),
        running=by_status.get(JobStatus.RUNNING.value, 0),
        retrying=by_status.get(JobStatus.RETRYING.value, 0),
        dead=by_status.get(JobStatus.DEAD.value, 0),
        outbox_pending=int(outbox[0]["events"]) if outbox else 0,
        relay_lag_seconds=lag,
    )


async def observe() -> Backlog:
    """Measure and set the gauges."""
    global _measured_at
    found = await measure()
    metrics.backlog_measured(found)
    _measured_at = time.monotonic()
    return found


async def observe_if_stale(every_seconds: float = EVERY_SECONDS) -> None:
    """Measure unless this process did in the last `every_seconds`; a failure is logged (the
    metrics still answer, with the last values)."""
    if time.monotonic() - _measured_at < every_seconds:
        return
    try:
        await observe()
    except Exception as error:
        logger.warning("metrics.backlog_unmeasured", error=repr(error))


@dataclass(frozen=True)
class Heartbeat:
    worker: str
    mode: str
    seen_at: datetime


_local: dict[str, Heartbeat] = {}


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


async def beat(redis: Any = None) -> None:
    """A job runner finished a relay pass: note it here, and in Redis when there is one."""
    now = datetime.now(UTC)
    metrics.worker_heartbeat()
    name = worker_name()
    _local[name] = Heartbeat(name, "arq" if redis is not None else "in-process", now)
    if redis is not None:
        try:
            async with asyncio.timeout(1):
                await redis.set(HEARTBEAT_PREFIX + name, now.isoformat(), ex=HEARTBEAT_TTL_SECONDS)
        except Exception as error:
            logger.warning("worker.heartbeat_unsaved", error=repr(error))


async def heartbeats(redis: Any = None) -> list[Heartbeat]:
    """The job runners seen lately: this process's own, and the workers' from Redis."""
    found = dict(_local)
    if redis is not None:
        async for key in redis.scan_iter(match=HEARTBEAT_PREFIX + "*", count=100):
            value = await redis.get(key)
            name = (key.decode() if isinstance(key, bytes) else str(key))[len(HEARTBEAT_PREFIX) :]
            if value is not None:
                text = value.decode() if isinstance(value, bytes) else str(value)
                found[name] = Heartbeat(name, "arq", datetime.fromisoformat(text))
    return sorted(found.values(), key=lambda beat: beat.worker)


__all__ = [
    "EVERY_SECONDS",
    "Heartbeat",
    "beat",
    "heartbeats",
    "measure",
    "observe",
    "observe_if_stale",
    "worker_name",
]
