"""Timers: a job submitted with `not_before` runs at that instant, not before, in the embedded
runner and through arq on Redis; its lease runs from then, so the sweep does not hand it over
early; a timer's key names its version, so a rescheduled timer is another job."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from arq.connections import RedisSettings, create_pool

from merchantops.tenants import jobs
from merchantops.tenants.context import tenant_scope
from merchantops.tenants.jobs import JobContext, RetryPolicy
from merchantops.tenants.models import JobRecord, JobStatus
from merchantops.workers.arq_worker import QUEUE_NAME, ArqQueue, connect
from merchantops.workers.inprocess import InProcessQueue
from tests.factories import make_shop

POLICY = RetryPolicy()


async def test_an_embedded_timer_runs_at_its_instant(db: str) -> None:
    shop = await make_shop("acme")
    ran: list[datetime] = []

    async def ring(ctx: JobContext, payload: dict[str, Any]) -> None:
        ran.append(datetime.now(UTC))

    queue = InProcessQueue({"ring": ring}, POLICY)
    due = datetime.now(UTC) + timedelta(milliseconds=600)

    assert await jobs.submit(
        queue, POLICY, "ring", key="timer:1:v1", tenant_id=shop.tenant.id, payload={},
        not_before=due,
    )  # fmt: skip
    await asyncio.sleep(0.2)
    assert ran == []  # not yet
    with tenant_scope(shop.tenant.id):
        record = await JobRecord.get(key="timer:1:v1")
    assert record.lease_until is not None
    assert record.lease_until >= due + timedelta(seconds=POLICY.lease_seconds) - timedelta(
        seconds=1
    )
    assert await jobs.overdue(10) == []  # the sweep leaves it to the queue until then
    await queue.drain()

    assert len(ran) == 1
    assert ran[0] >= due
    with tenant_scope(shop.tenant.id):
        assert (await JobRecord.get(key="timer:1:v1")).status is JobStatus.SUCCEEDED
    # the same timer again is the same job; a rescheduled one has another key
    assert not await jobs.submit(
        queue, POLICY, "ring", key="timer:1:v1", tenant_id=shop.tenant.id, payload={},
        not_before=due,
    )  # fmt: skip


@pytest.fixture
async def arq_queue(redis_db_url: str) -> AsyncIterator[ArqQueue]:
    pool = await create_pool(RedisSettings.from_dsn(redis_db_url), retry=0)
    await pool.flushdb()
    await pool.aclose()
    queue = await connect(redis_db_url)
    yield queue
    await queue.close()


async def test_an_arq_timer_waits_in_redis_until_its_instant(db: str, arq_queue: ArqQueue) -> None:
    shop = await make_shop("acme")
    due = (datetime.now(UTC) + timedelta(hours=1)).replace(microsecond=0)

    await jobs.submit(
        arq_queue, POLICY, "ring", key="timer:2:v1", tenant_id=shop.tenant.id, payload={},
        not_before=due,
    )  # fmt: skip
    await jobs.submit(
        arq_queue, POLICY, "ring", key="timer:3:v1", tenant_id=shop.tenant.id, payload={}
    )

    scores = dict(await arq_queue.redis.zrange(QUEUE_NAME, 0, -1, withscores=True))
    assert scores[b"timer:2:v1#0"] == due.timestamp() * 1000
    assert scores[b"timer:3:v1#0"] <= datetime.now(UTC).timestamp() * 1000
