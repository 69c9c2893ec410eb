"""Every job the system runs, by name. Job functions are thin: they call domain services."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from merchantops.domain.exports.service import export_job
from merchantops.domain.governance.risk import risk_job
from merchantops.domain.inventory.jobs import JOBS as INVENTORY_JOBS
from merchantops.domain.webhooks.service import DELIVER_JOB, WebhookConfig, deliver_job, fan_out
from merchantops.rules.durable_engine import DurableEngine
from merchantops.rules.evaluation import MaskingPolicies, RuleEvaluator
from merchantops.settings import Settings
from merchantops.tenants.jobs import JobContext, JobFunction, RetryPolicy

PROCESS_EVENT = "process_event"


def build_registry(settings: Settings) -> Mapping[str, JobFunction]:
    webhooks = WebhookConfig(
        timeout_seconds=settings.webhook_timeout_seconds,
        allow_private_targets=settings.webhooks_may_target_private_addresses,
    )
    evaluate_risk = risk_job(RuleEvaluator(shared_engine()))
    masking = MaskingPolicies()
    run_exports = export_job(masking)

    async def process_event(ctx: JobContext, payload: dict[str, Any]) -> None:
        # Every step is idempotent per event, so a retried job repeats none.
        await evaluate_risk(ctx, payload)
        await run_exports(ctx, payload)
        await fan_out(ctx, payload, masking)

    return {
        PROCESS_EVENT: process_event,
        DELIVER_JOB: deliver_job(webhooks),
        **INVENTORY_JOBS,
    }


_engine: DurableEngine | None = None


def shared_engine() -> DurableEngine:
    """The process's one durable-rules engine (its C core must be called from one thread)."""
    global _engine
    if _engine is None:
        _engine = DurableEngine()
    return _engine


def retry_policy(settings: Settings) -> RetryPolicy:
    return RetryPolicy(
        max_tries=settings.job_max_tries,
        base_seconds=settings.job_retry_base_seconds,
        lease_seconds=settings.job_lease_seconds,
        timeout_seconds=settings.job_timeout_seconds,
    )


__all__ = ["PROCESS_EVENT", "build_registry", "retry_policy", "shared_engine"]
