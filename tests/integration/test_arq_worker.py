"""Jobs on real Redis through arq: deduplication by key, outages, and a worker killed mid-job."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from arq.connections import ArqRedis, RedisSettings, create_pool
from arq.worker import Worker

from merchantops.domain.webhooks import service
from merchantops.settings import Settings
from merchantops.tenants.context import Crossing, across_tenants, tenant_scope
from merchantops.tenants.models import AuditEntry, JobRecord, JobStatus, OutboxEvent
from merchantops.tenants.org import departments
from merchantops.workers.arq_worker import ArqQueue, connect, worker_settings
from merchantops.workers.registry import retry_policy
from merchantops.workers.relay import relay_outbox
from tests.conftest import make_settings
from tests.factories import make_shop, principal
from tests.support.receiver import receiver
from tests.support.slow_worker import SLOW_JOB

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
async def redis_url(redis_db_url: str) -> AsyncIterator[str]:
    pool = await create_pool(RedisSettings.from_dsn(redis_db_url), retry=0)
    await pool.flushdb()
    yield redis_db_url
    await pool.flushdb()
    await pool.aclose()


@pytest.fixture
async def queue(redis_url: str) -> AsyncIterator[ArqQueue]:
    arq_queue = await connect(redis_url)
    yield arq_queue
    await arq_queue.close()


async def _burst(settings: Settings) -> None:
    """Run an arq worker in this process until the queue is empty (no schedule: cron jobs
    would keep the queue from ever emptying)."""
    kwargs = {**worker_settings(settings, manage_db=False), "cron_jobs": []}
    worker = Worker(**kwargs, burst=True, poll_delay=0.05)
    try:
        await worker.async_run()
    finally:
        await worker.close()


async def test_the_same_key_is_queued_once(db: str, queue: ArqQueue) -> None:
    shop = await make_shop("acme")

    first = await queue.enqueue(
        "process_event", key="event:1", tenant_id=shop.tenant.id, payload={}
    )
    again = await queue.enqueue(
        "process_event", key="event:1", tenant_id=shop.tenant.id, payload={}
    )

    assert (first, again) == (True, False)


async def test_events_wait_out_a_redis_outage_and_are_delivered_once(
    pg_db: str, redis_url: str, queue: ArqQueue
) -> None:
    # given: a subscriber and an event, while Redis is unreachable
    shop = await make_shop("acme")
    arq_settings = make_settings(pg_db, redis_url=redis_url)
    policy = retry_policy(arq_settings)
    unreachable = ArqQueue(ArqRedis(host="127.0.0.1", port=1))
    with receiver() as hook:
        with tenant_scope(shop.tenant.id):
            await service.subscribe(hook.url, ["department.created"], allow_private=True)
            await departments.create_department(await principal(shop), "b2b", "B2B")

        # when
        assert await relay_outbox(unreachable, policy) == 0
        await unreachable.close()
        with across_tenants(Crossing.OUTBOX_RELAY):
            assert await OutboxEvent.unscoped().filter(dispatched_at__isnull=True).count() == 1
        assert await relay_outbox(queue, policy) == 1
        await _burst(arq_settings)
        await _burst(arq_settings)

    # then
    assert len(hook.received) == 1
    with tenant_scope(shop.tenant.id):
        statuses = {r.key.split(":")[0]: r.status for r in await JobRecord.all()}
    assert statuses == {"event": JobStatus.SUCCEEDED, "delivery": JobStatus.SUCCEEDED}


def _spawn_worker(settings: Settings) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url or "",
        "ENVIRONMENT": "test",
        "SECRET_KEY": "x" * 40,
        "JOB_TIMEOUT_SECONDS": "2",
        "JOB_RETRY_BASE_SECONDS": "0.1",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "tests.support.slow_worker"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def _wait_for(check: object, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if await check():  # type: ignore[operator]
            return
        await asyncio.sleep(0.2)
    raise AssertionError("condition not reached in time")


@pytest.mark.timeout(120)
async def test_worker_killed_mid_job_reruns_it_and_the_effect_happens_once(
    pg_db: str, redis_url: str, queue: ArqQueue
) -> None:
    # given: a job whose first try hangs inside its transaction
    shop = await make_shop("acme")
    arq_settings = make_settings(pg_db, redis_url=redis_url)
    await queue.enqueue(SLOW_JOB, key="slow:1", tenant_id=shop.tenant.id, payload={"mark": "m1"})

    async def running() -> bool:
        with tenant_scope(shop.tenant.id):
            record = await JobRecord.get_or_none(key="slow:1")
        return record is not None and record.status == JobStatus.RUNNING

    async def succeeded() -> bool:
        with tenant_scope(shop.tenant.id):
            record = await JobRecord.get_or_none(key="slow:1")
        return record is not None and record.status == JobStatus.SUCCEEDED

    # when: the worker is killed in the middle, and another one starts
    first = _spawn_worker(arq_settings)
    try:
        await _wait_for(running, 30)
    finally:
        first.kill()
        first.wait()
    second = _spawn_worker(arq_settings)
    try:
        # arq hands the job out again once its in-progress mark expires (timeout + 10 s)
        await _wait_for(succeeded, 60)
    finally:
        second.terminate()
        second.wait(timeout=20)

    # then: one effect, and the record shows the second try
    with tenant_scope(shop.tenant.id):
        effects = await AuditEntry.filter(action="test.effect").count()
        record = await JobRecord.get(key="slow:1")
    assert effects == 1
    assert record.attempts == 2
