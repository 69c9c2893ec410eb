"""The transactional outbox: events commit with their change and survive queue outages."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

import pytest

from merchantops.domain.webhooks import service
from merchantops.tenants import outbox
from merchantops.tenants.context import Crossing, across_tenants, tenant_scope
from merchantops.tenants.models import Department, OutboxEvent
from merchantops.tenants.org import departments
from merchantops.workers.inprocess import InProcessQueue
from merchantops.workers.relay import relay_outbox
from tests.factories import Shop, make_shop, principal
from tests.support.receiver import receiver


class FlakyQueue:
    """The real queue behind a switch that makes enqueue fail, like Redis being down."""

    def __init__(self, inner: InProcessQueue) -> None:
        self.inner = inner
        self.down = True

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
        if self.down:
            raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
        return await self.inner.enqueue(
            name, key=key, tenant_id=tenant_id, payload=payload, run=run, defer_until=defer_until
        )


async def _create_department(shop: Shop, slug: str = "b2b") -> None:
    actor = await principal(shop)
    with tenant_scope(shop.tenant.id):
        await departments.create_department(actor, slug, "B2B")


async def _pending() -> list[OutboxEvent]:
    with across_tenants(Crossing.OUTBOX_RELAY):
        return list(await OutboxEvent.unscoped().filter(dispatched_at__isnull=True))


async def test_event_is_written_with_its_change(db: str) -> None:
    shop = await make_shop("acme")

    await _create_department(shop)

    [event] = [e for e in await _pending() if e.type == "department.created"]
    assert event.tenant_id == shop.tenant.id
    assert event.payload["slug"] == "b2b"


async def test_change_that_fails_after_its_event_leaves_neither(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    shop = await make_shop("acme")
    real_emit = outbox.emit

    async def emit_then_crash(event_type: str, payload: Mapping[str, Any]) -> OutboxEvent:
        await real_emit(event_type, payload)
        raise RuntimeError("process killed")

    monkeypatch.setattr(outbox, "emit", emit_then_crash)

    with pytest.raises(RuntimeError):
        await _create_department(shop)

    assert [e for e in await _pending() if e.type == "department.created"] == []
    with tenant_scope(shop.tenant.id):
        assert not await Department.exists(slug="b2b")


async def test_queue_outage_loses_nothing_and_recovery_delivers_exactly_once(
    db: str, jobs: InProcessQueue
) -> None:
    # given: a subscriber, and a queue that is down
    shop = await make_shop("acme")
    queue = FlakyQueue(jobs)
    with receiver() as hook:
        with tenant_scope(shop.tenant.id):
            await service.subscribe(hook.url, ["department.created"], allow_private=True)
        await _create_department(shop)

        # when: the relay runs while the queue is down
        handed_while_down = await relay_outbox(queue, jobs.policy)
        [stuck] = await _pending()
        # and again once it is back, twice for good measure
        queue.down = False
        handed_after = await relay_outbox(queue, jobs.policy)
        await relay_outbox(queue, jobs.policy)
        await jobs.drain()

    # then
    assert handed_while_down == 0
    assert (stuck.relay_attempts, "Connection refused" in (stuck.last_error or "")) == (1, True)
    assert handed_after == 1
    assert await _pending() == []
    assert len(hook.received) == 1


async def test_crash_between_enqueue_and_marking_still_delivers_once(
    db: str, jobs: InProcessQueue, monkeypatch: pytest.MonkeyPatch
) -> None:
    shop = await make_shop("acme")
    with receiver() as hook:
        with tenant_scope(shop.tenant.id):
            await service.subscribe(hook.url, ["department.created"], allow_private=True)
        await _create_department(shop)
        real_mark = outbox.mark_dispatched

        async def crash(event: OutboxEvent) -> None:
            raise RuntimeError("killed after enqueue")

        monkeypatch.setattr(outbox, "mark_dispatched", crash)
        with pytest.raises(RuntimeError):
            await relay_outbox(jobs, jobs.policy)
        await jobs.drain()
        monkeypatch.setattr(outbox, "mark_dispatched", real_mark)

        # the restarted relay hands the same event over again
        assert await relay_outbox(jobs, jobs.policy) == 1
        await jobs.drain()

    assert len(hook.received) == 1
    assert await _pending() == []
