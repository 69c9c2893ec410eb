"""The job ledger: the database owes every job until it is done. What the queue lost (Redis
restarted without persistence, a process that died) is handed over again once its lease has run
out, resumes at the right try, and has its effect once."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from merchantops.domain.webhooks import service
from merchantops.domain.webhooks.models import DeliveryStatus, WebhookDelivery
from merchantops.domain.webhooks.service import DELIVER_JOB
from merchantops.settings import Settings
from merchantops.tenants import jobs
from merchantops.tenants.context import Crossing, across_tenants, tenant_scope
from merchantops.tenants.jobs import JobContext, RetryPolicy
from merchantops.tenants.models import JobRecord, JobStatus
from merchantops.tenants.org import departments
from merchantops.workers.embedding import in_process
from merchantops.workers.inprocess import InProcessQueue
from merchantops.workers.registry import build_registry
from merchantops.workers.relay import relay_outbox
from tests.factories import Shop, make_shop, principal
from tests.support.receiver import receiver


class LosingQueue(InProcessQueue):
    """Accepts the jobs it is told to lose and forgets them, as a Redis that died would."""

    def __init__(self, inner: InProcessQueue, lose: set[str]) -> None:
        super().__init__(inner.registry, inner.policy)
        self.lose = lose

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
        if name in self.lose:
            return True
        return await super().enqueue(
            name, key=key, tenant_id=tenant_id, payload=payload, run=run, defer_until=defer_until
        )


async def _subscribed_shop(url: str) -> Shop:
    shop = await make_shop("acme")
    with tenant_scope(shop.tenant.id):
        await service.subscribe(url, ["department.created"], allow_private=True)
    return shop


async def _department_created(shop: Shop) -> None:
    actor = await principal(shop)
    with tenant_scope(shop.tenant.id):
        await departments.create_department(actor, "b2b", "B2B")


async def _leases_run_out() -> None:
    with across_tenants(Crossing.JOB_LEDGER):
        await JobRecord.unscoped().update(lease_until=datetime.now(UTC) - timedelta(seconds=1))


async def _jobs(shop: Shop) -> dict[str, JobRecord]:
    with tenant_scope(shop.tenant.id):
        return {record.key.split(":")[0]: record for record in await JobRecord.all()}


async def _status(shop: Shop, kind: str) -> JobStatus | None:
    record = (await _jobs(shop)).get(kind)
    return None if record is None else record.status


async def test_event_job_the_queue_lost_is_handed_over_after_its_lease_and_delivered_once(
    db: str, jobs: InProcessQueue
) -> None:
    # given: an event handed to a queue that then lost it
    with receiver() as hook:
        shop = await _subscribed_shop(hook.url)
        await _department_created(shop)
        assert await relay_outbox(LosingQueue(jobs, {"process_event"}), jobs.policy) == 1

        # when: the relay runs while the lease holds, and after it ran out (twice)
        while_leased = await relay_outbox(jobs, jobs.policy)
        await jobs.drain()
        await _leases_run_out()
        after_lease = await relay_outbox(jobs, jobs.policy)
        await jobs.drain()
        await _leases_run_out()
        again = await relay_outbox(jobs, jobs.policy)
        await jobs.drain()

    # then
    assert (while_leased, after_lease, again) == (0, 1, 0)
    assert len(hook.received) == 1
    statuses = {kind: record.status for kind, record in (await _jobs(shop)).items()}
    assert statuses == {"event": JobStatus.SUCCEEDED, "delivery": JobStatus.SUCCEEDED}


async def test_delivery_whose_job_the_queue_lost_is_delivered_once_after_its_lease(
    db: str, jobs: InProcessQueue
) -> None:
    # given: the event was processed, but the queue lost the delivery job it created
    with receiver() as hook:
        shop = await _subscribed_shop(hook.url)
        await _department_created(shop)
        losing = LosingQueue(jobs, {DELIVER_JOB})
        await relay_outbox(losing, jobs.policy)
        await losing.drain()
        with tenant_scope(shop.tenant.id):
            [stranded] = await WebhookDelivery.all()
        assert stranded.status == DeliveryStatus.PENDING

        # when
        await _leases_run_out()
        await relay_outbox(jobs, jobs.policy)
        await jobs.drain()

    # then
    assert len(hook.received) == 1
    with tenant_scope(shop.tenant.id):
        [delivery] = await WebhookDelivery.all()
    assert delivery.status == DeliveryStatus.DELIVERED


async def test_retry_lost_with_its_process_resumes_at_the_next_try_after_its_lease(
    db: str, settings: Settings
) -> None:
    # given: a delivery refused once, waiting for a retry the process holds in memory
    patient = in_process(settings.model_copy(update={"job_retry_base_seconds": 600}))
    with receiver([503]) as hook:
        shop = await _subscribed_shop(hook.url)
        await _department_created(shop)
        await relay_outbox(patient, patient.policy)
        for _ in range(100):
            if await _status(shop, "delivery") == JobStatus.RETRYING:
                break
            await asyncio.sleep(0.05)

        # when: the process dies, and its successor's relay runs after the lease
        await patient.close()
        successor = in_process(settings)
        await _leases_run_out()
        await relay_outbox(successor, successor.policy)
        await successor.drain()

    # then
    [refused, accepted] = hook.received
    assert refused.headers["webhook-id"] == accepted.headers["webhook-id"]
    delivery_job = (await _jobs(shop))["delivery"]
    assert (delivery_job.status, delivery_job.attempts) == (JobStatus.SUCCEEDED, 2)


async def test_job_whose_tries_all_died_unreported_turns_dead_without_running_again(
    db: str, settings: Settings
) -> None:
    # given: a job whose every try so far ended with its worker
    shop = await make_shop("acme")
    runs: list[int] = []

    async def fatal(ctx: JobContext, payload: dict[str, Any]) -> None:
        runs.append(ctx.attempt)

    policy = RetryPolicy(max_tries=3)
    queue = InProcessQueue({**build_registry(settings), "fatal": fatal}, policy)
    record = await jobs.prepare("fatal", "fatal:1", shop.tenant.id, {})
    with across_tenants(Crossing.JOB_LEDGER):
        await JobRecord.unscoped().filter(id=record.id).update(status=JobStatus.RUNNING, attempts=3)

    # when
    await _leases_run_out()
    await relay_outbox(queue, policy)
    await queue.drain()

    # then
    with tenant_scope(shop.tenant.id):
        dead = await JobRecord.get(id=record.id)
    assert (dead.status, runs) == (JobStatus.DEAD, [])
    assert "never finished" in (dead.last_error or "")
