"""Every job the system runs, by name. Job functions are thin: they call domain services."""

from __future__ import annotations

from collections.abc import Mapping

from merchantops.domain.webhooks.service import DELIVER_JOB, WebhookConfig, deliver_job, fan_out
from merchantops.settings import Settings
from merchantops.tenants.jobs import JobFunction, RetryPolicy

PROCESS_EVENT = "process_event"


def build_registry(settings: Settings) -> Mapping[str, JobFunction]:
    webhooks = WebhookConfig(
        timeout_seconds=settings.webhook_timeout_seconds,
        allow_private_targets=settings.webhooks_may_target_private_addresses,
    )
    return {
        PROCESS_EVENT: fan_out,
        DELIVER_JOB: deliver_job(webhooks),
    }


def retry_policy(settings: Settings) -> RetryPolicy:
    return RetryPolicy(
        max_tries=settings.job_max_tries, base_seconds=settings.job_retry_base_seconds
    )


__all__ = ["PROCESS_EVENT", "build_registry", "retry_policy"]
