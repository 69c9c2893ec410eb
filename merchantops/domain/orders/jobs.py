"""The orders area's background work. Thin: each calls a domain service for the tenant in
context.

- `orders.expire` (every 15 minutes): UNCONFIRMED unpaid orders past the tenant's setting
  expire and their stock is released (`placement.expire_due`).
- `orders.close` (hourly): FULFILLED orders past the return window close.
- Every event: `return.received` runs the quality loop for each SKU and reason received
  (`quality.check`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast
from uuid import UUID

from merchantops.domain.dependencies import Dependencies
from merchantops.domain.orders import placement, quality
from merchantops.tenants.jobs import JobContext, JobFunction, Schedule
from merchantops.tenants.models import OutboxEvent

EXPIRE = "orders.expire"
CLOSE = "orders.close"


async def expire_job(ctx: JobContext, payload: dict[str, Any]) -> None:
    count = await placement.expire_due()
    await ctx.progress(count, count)


async def close_job(ctx: JobContext, payload: dict[str, Any]) -> None:
    count = await placement.close_due()
    await ctx.progress(count, count)


SCHEDULES = (Schedule(EXPIRE, 15 * 60), Schedule(CLOSE, 3600))


def jobs(deps: Dependencies) -> Mapping[str, JobFunction]:
    return {EXPIRE: expire_job, CLOSE: close_job}


async def _on_event(ctx: JobContext, payload: dict[str, Any]) -> None:
    event = await OutboxEvent.get_or_none(id=payload["event_id"])
    if event is None:
        return
    body = cast(dict[str, Any], event.payload)
    if event.type == "return.received":
        for pair in body.get("sku_reasons", []):
            sku_id, reason = pair.split("|", 1)
            await quality.check(UUID(sku_id), reason)


def on_event(deps: Dependencies) -> JobFunction:
    return _on_event


__all__ = ["CLOSE", "EXPIRE", "SCHEDULES", "close_job", "expire_job", "jobs", "on_event"]
