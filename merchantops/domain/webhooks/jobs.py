"""Webhooks' jobs: every event fans out to the subscriptions that want it, one delivery job
each, retried with back-off."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from merchantops.domain.dependencies import Dependencies
from merchantops.domain.webhooks.service import DELIVER_JOB, WebhookConfig, deliver_job, fan_out
from merchantops.tenants.jobs import JobContext, JobFunction


def jobs(deps: Dependencies) -> Mapping[str, JobFunction]:
    config = WebhookConfig(
        timeout_seconds=deps.settings.webhook_timeout_seconds,
        allow_private_targets=deps.settings.webhooks_may_target_private_addresses,
    )
    return {DELIVER_JOB: deliver_job(config)}


def on_event(deps: Dependencies) -> JobFunction:
    async def step(ctx: JobContext, payload: dict[str, Any]) -> None:
        await fan_out(ctx, payload, deps.masking)

    return step


__all__ = ["jobs", "on_event"]
