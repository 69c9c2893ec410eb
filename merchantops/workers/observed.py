"""A job try, measured and traced: the one place both queues run jobs through.

Each try is counted by job name and outcome (`succeeded`, `retried`, `dead`, `crashed`: its
worker's error, not the job's), timed, and, when tracing is on, wrapped in a `job <name>` span
with its key, tenant and outcome.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any
from uuid import UUID

from merchantops.observability import metrics, tracing
from merchantops.tenants.jobs import JobFunction, JobQueue, RetryLater, RetryPolicy, execute
from merchantops.tenants.models import JobStatus


async def run_job(
    registry: Mapping[str, JobFunction],
    name: str,
    *,
    key: str,
    tenant_id: UUID,
    payload: dict[str, Any],
    queue: JobQueue,
    policy: RetryPolicy,
) -> JobStatus:
    """`tenants.jobs.execute`, observed; raises `RetryLater` as it does."""
    started = time.perf_counter()
    outcome = "crashed"
    attributes = {"job.name": name, "job.key": key, "tenant.id": str(tenant_id)}
    with tracing.span(f"job {name}", attributes) as span:
        try:
            status = await execute(
                registry,
                name,
                key=key,
                tenant_id=tenant_id,
                payload=payload,
                queue=queue,
                policy=policy,
            )
            outcome = "dead" if status == JobStatus.DEAD else "succeeded"
            return status
        except RetryLater:
            outcome = "retried"
            raise
        finally:
            label = name if name in registry else metrics.OTHER
            metrics.job_finished(label, outcome, time.perf_counter() - started)
            if span is not None:
                span.set_attribute("job.outcome", outcome)


__all__ = ["run_job"]
