"""Periodic per-tenant jobs: each tenant's stock check hourly, ledger check and ABC daily.

`enqueue_due` is safe to call as often as you like: a job's key names its tenant and its time
slot, and the job ledger records a key once, so calling it every minute from every worker
submits each job once per slot. arq calls it from a cron job, the in-process runner from its loop.
It also seals the audit entries a process that died between commit and sealing left unchained
(`audit.seal`).
"""

from __future__ import annotations

from datetime import UTC, datetime

from merchantops.domain.inventory.jobs import ANALYTICS, CHECK_STOCK, LEDGER_CHECK
from merchantops.tenants import audit
from merchantops.tenants.jobs import JobQueue, RetryPolicy, submit
from merchantops.tenants.models import Tenant, TenantStatus

HOUR, DAY = 3600, 86400
PERIODIC: tuple[tuple[str, int], ...] = ((CHECK_STOCK, HOUR), (LEDGER_CHECK, DAY), (ANALYTICS, DAY))


async def enqueue_due(queue: JobQueue, policy: RetryPolicy, now: datetime | None = None) -> int:
    """Submit every periodic job of every active tenant for the current slot."""
    moment = (now or datetime.now(UTC)).timestamp()
    await audit.seal_all()
    queued = 0
    for tenant in await Tenant.filter(status=TenantStatus.ACTIVE).only("id"):
        tenant_id = tenant.id
        for name, every in PERIODIC:
            slot = int(moment // every)
            queued += await submit(
                queue,
                policy,
                name,
                key=f"{name}:{tenant_id}:{slot}",
                tenant_id=tenant_id,
                payload={},
            )
    return queued


__all__ = ["PERIODIC", "enqueue_due"]
