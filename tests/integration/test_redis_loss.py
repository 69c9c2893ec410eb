"""Redis without persistence dies while events flow: the worker rides it out, and every event's
webhook is delivered exactly once, because the database, not Redis, says what work is owed."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from tortoise.expressions import Q

from merchantops.domain.webhooks import service
from merchantops.domain.webhooks.models import DeliveryStatus, WebhookDelivery
from merchantops.tenants.context import Crossing, across_tenants, tenant_scope
from merchantops.tenants.models import JobRecord, JobStatus, OutboxEvent
from merchantops.tenants.org import departments
from tests.conftest import TEST_SECRET
from tests.factories import Shop, make_shop, principal
from tests.support.receiver import receiver
from tests.support.redis_server import RedisServer

ROOT = Path(__file__).resolve().parents[2]
EVENTS_BEFORE, EVENTS_DURING, EVENTS_AFTER = 12, 8, 8


@dataclass
class Partner:
    """A webhook receiver that refuses each event's first delivery (503), so its retry is
    waiting in Redis, and accepts the next; it counts accepted deliveries by event id."""

    url: str = ""
    refused: Counter[str] = field(default_factory=Counter)
    accepted: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)


@contextmanager
def partner() -> Iterator[Partner]:
    state = Partner()

    def answer(body: bytes) -> int:
        event_id = json.loads(body)["id"]
        with state.lock:
            first = event_id not in state.refused
            (state.refused if first else state.accepted)[event_id] += 1
        return 503 if first else 200

    with receiver(answer=answer) as hook:
        state.url = hook.url
        yield state


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    try:
        server = RedisServer(tmp_path)
    except FileNotFoundError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"this test needs redis-server on PATH: {error}")
        pytest.skip("redis-server is not installed")
    server.start()
    yield server
    server.kill()


def _spawn_worker(database_url: str, redis_url: str, log: Path) -> subprocess.Popen[bytes]:
    """The production worker command, with short leases and retries to keep the test quick."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "ENVIRONMENT": "test",
        "SECRET_KEY": TEST_SECRET,
        "WEBHOOK_ALLOW_PRIVATE_TARGETS": "true",
        "OUTBOX_POLL_SECONDS": "1",
        "JOB_TIMEOUT_SECONDS": "5",
        "JOB_RETRY_BASE_SECONDS": "1",
        "JOB_LEASE_SECONDS": "2",
    }
    with log.open("wb") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "merchantops.cli", "worker"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


async def _until(check: Callable[[], Awaitable[bool]], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError(f"not reached within {seconds:.0f} s: {what}")
        await asyncio.sleep(0.1)


async def _emit(shop: Shop, first: int, count: int, pause: float = 0.05) -> None:
    actor = await principal(shop)
    for number in range(first, first + count):
        with tenant_scope(shop.tenant.id):
            await departments.create_department(actor, f"d{number}", f"Department {number}")
        await asyncio.sleep(pause)


@pytest.mark.timeout(120)
async def test_redis_killed_while_events_flow_every_webhook_arrives_exactly_once(
    pg_db: str, redis_server: RedisServer, tmp_path: Path
) -> None:
    # given: a partner subscribed to department events, and a worker on a private Redis
    shop = await make_shop("acme")
    log = tmp_path / "worker.log"
    with partner() as hook:
        with tenant_scope(shop.tenant.id):
            await service.subscribe(hook.url, ["department.created"], allow_private=True)
        worker = _spawn_worker(pg_db, redis_server.url, log)
        try:
            # when: events flow, and Redis is killed while first deliveries wait for their retry
            await _emit(shop, 0, EVENTS_BEFORE)

            async def retries_waiting_in_redis() -> bool:
                return len(hook.refused) >= 3

            await _until(retries_waiting_in_redis, 30, "three deliveries refused once")
            redis_server.kill()
            await _emit(shop, EVENTS_BEFORE, EVENTS_DURING)

            async def worker_noticed() -> bool:
                return b"worker.redis_unavailable" in log.read_bytes()

            await _until(worker_noticed, 15, "the worker noticed Redis is gone")
            redis_server.start()
            await _emit(shop, EVENTS_BEFORE + EVENTS_DURING, EVENTS_AFTER)
            with across_tenants(Crossing.OUTBOX_RELAY):
                events = {
                    str(event.id)
                    for event in await OutboxEvent.unscoped().filter(type="department.created")
                }

            async def all_accepted() -> bool:
                return set(hook.accepted) == events or worker.poll() is not None

            await _until(all_accepted, 60, "every event accepted by the partner")
            # a redelivery would come after a lease (2 s): give one the chance to show up
            await asyncio.sleep(3)
            alive = worker.poll() is None
        finally:
            worker.terminate()
            worker.wait(timeout=20)

    # then: one accepted delivery per event, nothing owed, and the worker outlived Redis
    output = log.read_text(errors="replace")
    assert alive, output[-3000:]
    assert len(events) == EVENTS_BEFORE + EVENTS_DURING + EVENTS_AFTER
    assert hook.accepted == Counter(dict.fromkeys(events, 1))
    with tenant_scope(shop.tenant.id):
        event_work = JobRecord.filter(Q(key__startswith="event:") | Q(key__startswith="delivery:"))
        unfinished = await event_work.exclude(status=JobStatus.SUCCEEDED).values_list(
            "key", "status"
        )
        pending = await WebhookDelivery.exclude(status=DeliveryStatus.DELIVERED).count()
    assert (unfinished, pending) == ([], 0)
    assert "job.handed_over_again" in output  # Redis had lost work the ledger still owed
