"""Periodic per-tenant jobs, as the areas declare them (`jobs.SCHEDULES`, collected by
`merchantops.bootstrap`): inventory's stock check hourly, its ledger check and ABC daily.

`enqueue_due` is safe to call as often as you like: a job's key names its tenant and its time
slot, and the job ledger records a key once, so calling it every minute from every worker
submits each job once per slot. arq calls it from a cron job, the in-process runner from its loop.
It also seals the audit entries a process that died between commit and sealing left unchained
(`audit.seal`), and deletes sessions and refresh tokens over for a month (`session_purge`).
"""

from __future__ import annotations

from datetime import UTC, datetime

from merchantops import bootstrap
from merchantops.tenants import audit
from merchantops.tenants.jobs import JobQueue, RetryPolicy, submit
from merchantops.tenants.models import Tenant, TenantStatus
from merchantops.tenants.session_purge import purge_sessions


async def enqueue_due(queue: JobQueue, policy: RetryPolicy, now: datetime | None = None) -> int:
    """Submit every periodic job of every active tenant for the current slot."""
    moment = (now or datetime.now(UTC)).timestamp()
    await audit.seal_all()
    await purge_sessions()
    queued = 0
    periodic = bootstrap.schedules()
    for tenant in await Tenant.filter(status=TenantStatus.ACTIVE).only("id"):
        tenant_id = tenant.id
        for schedule in periodic:
            name, slot = schedule.job, int(moment // schedule.every_seconds)
            queued += await submit(
                queue,
                policy,
                name,
                key=f"{name}:{tenant_id}:{slot}",
                tenant_id=tenant_id,
                payload={},
            )
    return queued


__all__ = ["enqueue_due"]
