"""Every job the system runs, by name, collected from the areas (`merchantops.bootstrap`).
Job functions are thin: they call domain services."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from merchantops import bootstrap
from merchantops.domain.dependencies import Dependencies
from merchantops.rules.durable_engine import DurableEngine
from merchantops.rules.evaluation import MaskingPolicies, RuleEvaluator
from merchantops.settings import Settings
from merchantops.tenants.jobs import JobContext, JobFunction, RetryPolicy

PROCESS_EVENT = "process_event"


def build_registry(settings: Settings) -> Mapping[str, JobFunction]:
    deps = Dependencies(
        settings=settings,
        evaluator=RuleEvaluator(shared_engine()),
        masking=MaskingPolicies(),
    )
    steps = bootstrap.event_steps(deps)

    async def process_event(ctx: JobContext, payload: dict[str, Any]) -> None:
        # Every step is idempotent per event, so a retried job repeats none.
        for step in steps:
            await step(ctx, payload)

    return {PROCESS_EVENT: process_event, **bootstrap.jobs(deps)}


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
