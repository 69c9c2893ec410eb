"""The transactional outbox: events leave the database only through here.

A service calls `emit` inside the transaction of its state change, so the change and its event
commit together or not at all. A relay (in `workers/`) later turns each pending event into the
job `event:<id>` of the job ledger (`tenants.jobs`) and hands it to the queue; if the hand-over
fails, the event stays pending and the next pass retries it, and if it succeeded but was not
marked, the queue refuses the duplicate key. From then on the ledger owes the event's work until
its job has succeeded, so a queue that loses what it held (Redis restarted without persistence)
loses no event: the sweep hands the job over again. No crash and no queue outage loses an event
or has its effect twice.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from merchantops.tenants.audit import canonical_json
from merchantops.tenants.context import Crossing, across_tenants, current_tenant_id
from merchantops.tenants.models import OutboxEvent

_event_types: frozenset[str] = frozenset()


def declare_event_types(types: frozenset[str]) -> None:
    """The event types `emit` accepts: every area's `events.EVENTS`, handed over by
    `merchantops.bootstrap.wire` when the process starts."""
    global _event_types
    _event_types = types


def known_event_types() -> frozenset[str]:
    return _event_types


async def emit(event_type: str, payload: Mapping[str, Any]) -> OutboxEvent:
    """Record an event of the tenant in context, in the caller's transaction."""
    if event_type not in _event_types:
        raise ValueError(f"unknown event type {event_type!r}: add it to its area's events.py")
    return await OutboxEvent.create(
        tenant_id=current_tenant_id("OutboxEvent"),
        type=event_type,
        payload=json.loads(canonical_json(dict(payload))),
    )


async def pending(limit: int) -> list[OutboxEvent]:
    """The oldest undispatched events of every tenant: the relay's work list."""
    with across_tenants(Crossing.OUTBOX_RELAY):
        return list(
            await OutboxEvent.unscoped()
            .filter(dispatched_at__isnull=True)
            .order_by("created_at")
            .limit(limit)
        )


async def mark_dispatched(event: OutboxEvent) -> None:
    with across_tenants(Crossing.OUTBOX_RELAY):
        await OutboxEvent.unscoped().filter(id=event.id).update(dispatched_at=datetime.now(UTC))


async def mark_failed(event: OutboxEvent, error: str) -> None:
    with across_tenants(Crossing.OUTBOX_RELAY):
        await (
            OutboxEvent.unscoped()
            .filter(id=event.id)
            .update(relay_attempts=event.relay_attempts + 1, last_error=error[:2000])
        )


__all__ = [
    "declare_event_types",
    "emit",
    "known_event_types",
    "mark_dispatched",
    "mark_failed",
    "pending",
]
