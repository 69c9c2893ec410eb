"""arq on Redis: the queue adapter the API enqueues through, and the worker.

One arq function, `run_job`, runs every job by name through `tenants.jobs.execute`; retries
map to `arq.Retry`. Job timeouts are short and explicit: arq reruns a job whose worker died
only once the job's timeout has passed.

Redis is a courier here, not a store: the job ledger in the database owes every job until it is
done, and the relay's sweep hands over again what Redis lost. So arq keeps no results: a kept
result would make arq refuse the same job id when it is handed over again.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from arq import Retry, cron
from arq.connections import ArqRedis, RedisSettings, create_pool
from arq.worker import func

from merchantops.db import close_db, init_db
from merchantops.log import get_logger
from merchantops.settings import Settings
from merchantops.tenants.jobs import JobFunction, RetryLater, execute
from merchantops.workers.registry import build_registry, retry_policy
from merchantops.workers.relay import relay_outbox
from merchantops.workers.schedule import enqueue_due

logger = get_logger(__name__)
QUEUE_NAME = "merchantops:jobs"


class ArqQueue:
    def __init__(self, redis: ArqRedis) -> None:
        self.redis = redis

    async def enqueue(
        self, name: str, *, key: str, tenant_id: UUID, payload: Mapping[str, Any], run: int = 0
    ) -> bool:
        job = await self.redis.enqueue_job(
            "run_job",
            name,
            key,
            str(tenant_id),
            dict(payload),
            _job_id=f"{key}#{run}",
            _queue_name=QUEUE_NAME,
        )
        return job is not None

    async def close(self) -> None:
        await self.redis.aclose()


async def connect(redis_url: str) -> ArqQueue:
    return ArqQueue(await create_pool(RedisSettings.from_dsn(redis_url)))


async def run_job(
    ctx: dict[str, Any], name: str, key: str, tenant_id: str, payload: dict[str, Any]
) -> None:
    try:
        await execute(
            ctx["registry"],
            name,
            key=key,
            tenant_id=UUID(tenant_id),
            payload=payload,
            queue=ctx["queue"],
            policy=ctx["policy"],
        )
    except RetryLater as later:
        raise Retry(defer=later.defer_seconds) from later


async def relay(ctx: dict[str, Any]) -> None:
    await relay_outbox(ctx["queue"], ctx["policy"])


async def periodic(ctx: dict[str, Any]) -> None:
    await enqueue_due(ctx["queue"], ctx["policy"])


def worker_settings(
    settings: Settings,
    *,
    manage_db: bool = True,
    extra_jobs: Mapping[str, JobFunction] | None = None,
) -> dict[str, Any]:
    """Keyword arguments for `arq.worker.Worker`, built from our settings.

    `manage_db=False` leaves the ORM to the caller; `extra_jobs` adds jobs (tests).
    """
    if not settings.redis_url:
        raise ValueError("REDIS_URL is required for the arq worker")

    async def startup(ctx: dict[str, Any]) -> None:
        if manage_db:
            await init_db(settings.tortoise_db_url)
        ctx["registry"] = {**build_registry(settings), **(extra_jobs or {})}
        ctx["policy"] = retry_policy(settings)
        ctx["queue"] = ArqQueue(ctx["redis"])
        logger.info("worker.started", mode="arq", queue=QUEUE_NAME)

    async def shutdown(ctx: dict[str, Any]) -> None:
        if manage_db:
            await close_db()

    return {
        "functions": [
            func(
                run_job,
                name="run_job",
                timeout=settings.job_timeout_seconds,
                max_tries=settings.job_max_tries,
            )
        ],
        "cron_jobs": [
            cron(
                relay,
                name="relay_outbox",
                second=set(range(0, 60, max(1, int(settings.outbox_poll_seconds)))),
                timeout=settings.job_timeout_seconds,
                run_at_startup=True,
            ),
            cron(
                periodic,
                name="periodic_jobs",
                second=0,
                timeout=settings.job_timeout_seconds,
            ),
        ],
        "redis_settings": RedisSettings.from_dsn(settings.redis_url),
        "queue_name": QUEUE_NAME,
        "on_startup": startup,
        "on_shutdown": shutdown,
        "job_timeout": settings.job_timeout_seconds,
        "max_tries": settings.job_max_tries,
        "keep_result": 0,
    }


__all__ = [
    "QUEUE_NAME",
    "ArqQueue",
    "connect",
    "run_job",
    "worker_settings",
]
