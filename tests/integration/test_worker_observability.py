"""An arq worker reports like the API: its own metrics port, job counts, heartbeats in Redis."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from arq.connections import RedisSettings, create_pool
from arq.worker import Worker

from merchantops.tenants import jobs as ledger
from merchantops.tenants.jobs import JobContext
from merchantops.workers import backlog
from merchantops.workers.arq_worker import ArqQueue, connect, worker_settings
from merchantops.workers.registry import retry_policy
from tests.conftest import make_settings
from tests.factories import make_shop
from tests.support.scrape import value


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


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


async def test_a_worker_serves_metrics_on_its_port_counting_its_jobs(
    db: str, redis_url: str, queue: ArqQueue
) -> None:
    # given: a worker with a metrics port, and a job for it
    port = _free_port()
    settings = make_settings(db, redis_url=redis_url, metrics_port=port)
    shop = await make_shop("acme")

    async def fine(ctx: JobContext, payload: dict[str, Any]) -> None:
        return None

    kwargs = {
        **worker_settings(settings, manage_db=False, extra_jobs={"ops.fine": fine}),
        "cron_jobs": [],
    }
    worker = Worker(**kwargs, poll_delay=0.05)
    running = asyncio.create_task(worker.async_run())
    labels = {"job": "ops.fine", "outcome": "succeeded"}
    try:
        await ledger.submit(
            queue,
            retry_policy(settings),
            "ops.fine",
            key="ops.fine:1",
            tenant_id=shop.tenant.id,
            payload={},
        )

        # when: Prometheus scrapes the worker's port
        async with httpx.AsyncClient() as http:
            for _ in range(100):
                with contextlib.suppress(httpx.TransportError):
                    scraped = (await http.get(f"http://127.0.0.1:{port}/metrics")).text
                    if value("merchantops_jobs_total", scraped, **labels) >= 1:
                        break
                await asyncio.sleep(0.1)
            else:
                pytest.fail("the worker's metrics port never counted the job")
    finally:
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await running
        await worker.close()

    # then
    assert "merchantops_job_duration_seconds_bucket" in scraped
    assert "merchantops_job_queue_depth" in scraped


async def test_worker_heartbeats_are_read_back_from_redis(queue: ArqQueue) -> None:
    # when: a worker finishes a relay pass
    await backlog.beat(queue.redis)

    # then: any process reading Redis sees it
    seen = await backlog.heartbeats(queue.redis)
    mine = [beat for beat in seen if beat.worker == backlog.worker_name()]
    assert [beat.mode for beat in mine] == ["arq"]
