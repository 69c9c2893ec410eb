"""What the API process starts for background work, by configuration."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version

from merchantops.log import get_logger
from merchantops.observability import metrics, tracing
from merchantops.settings import Settings
from merchantops.tenants.jobs import JobQueue
from merchantops.workers.inprocess import InProcessQueue, InProcessRunner
from merchantops.workers.registry import build_registry, retry_policy

logger = get_logger(__name__)


@dataclass
class Background:
    queue: JobQueue
    runner: InProcessRunner | None = None

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.stop()
        close = getattr(self.queue, "close", None)
        if close is not None:
            await close()


def observe_process(settings: Settings, service_name: str) -> None:
    """Metrics labels from the settings, and tracing when the environment asks for it."""
    metrics.configure(
        enabled=settings.metrics_enabled,
        tenant_labels=settings.metrics_tenant_labels,
        max_operation_names=settings.metrics_max_operation_names,
        version=application_version(),
    )
    if tracing.configure_from_environment(service_name):
        logger.info("tracing.on", service=service_name)


def application_version() -> str:
    try:
        return version("merchantops")
    except PackageNotFoundError:
        return "unknown"


def in_process(settings: Settings) -> InProcessQueue:
    return InProcessQueue(build_registry(settings), retry_policy(settings))


async def start(settings: Settings, *, run_schedule: bool = True) -> Background:
    if settings.redis_url:
        from merchantops.workers.arq_worker import connect

        logger.info("jobs.mode", mode="arq", detail="run `merchantops worker` to process jobs")
        return Background(queue=await connect(settings.redis_url))
    queue = in_process(settings)
    runner = InProcessRunner(queue, settings.outbox_poll_seconds)
    if run_schedule:
        runner.start()
    logger.info("jobs.mode", mode="in-process", detail="no REDIS_URL: jobs run inside the API")
    return Background(queue=queue, runner=runner)


__all__ = ["Background", "application_version", "in_process", "observe_process", "start"]
