"""arq on Redis: the queue adapter the API enqueues through, and the worker.

One arq function, `run_job`, runs every job by name through `tenants.jobs.execute`; retries
map to `arq.Retry`. Job timeouts are short and explicit: arq reruns a job whose worker died
only once the job's timeout has passed.

Redis is a courier here, not a store: the job ledger in the database owes every job until it is
done, and the relay's sweep hands over again what Redis lost. So arq keeps no results (a kept
result would make arq refuse the same job id when it is handed over again), and the worker
(`ResilientWorker`) waits out Redis outages instead of exiting.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

from arq import Retry, cron
from arq.connections import ArqRedis, RedisSettings, create_pool
from arq.worker import Worker, func
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.exceptions import WatchError

from merchantops.db import close_db, init_db
from merchantops.log import get_logger
from merchantops.observability import metrics
from merchantops.settings import Settings
from merchantops.tenants.jobs import JobFunction, RetryLater
from merchantops.workers import observed
from merchantops.workers.embedding import observe_process
from merchantops.workers.registry import build_registry, retry_policy
from merchantops.workers.relay import relay_outbox
from merchantops.workers.schedule import enqueue_due

logger = get_logger(__name__)
QUEUE_NAME = "merchantops:jobs"
# redis-py reports a connection lost under WATCH as a WatchError; arq's poll loop only WATCHes
# on its own, so there a WatchError that escapes means exactly that.
REDIS_DOWN = (RedisConnectionError, RedisTimeoutError, WatchError, OSError)
# While Redis is unreachable the worker tries again after 0.5 s, 1 s, 2 s ... at most 5 s.
FIRST_WAIT_SECONDS, LONGEST_WAIT_SECONDS = 0.5, 5.0


class ArqQueue:
    def __init__(self, redis: ArqRedis) -> None:
        self.redis = redis

    async def enqueue(
        self,
        name: str,
        *,
        key: str,
        tenant_id: UUID,
        payload: Mapping[str, Any],
        run: int = 0,
        defer_until: datetime | None = None,
    ) -> bool:
        job = await self.redis.enqueue_job(
            "run_job",
            name,
            key,
            str(tenant_id),
            dict(payload),
            _job_id=f"{key}#{run}",
            _queue_name=QUEUE_NAME,
            _defer_until=defer_until,
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
        await observed.run_job(
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

    port = metrics.MetricsPort(settings.metrics_port, settings.metrics_host)

    async def startup(ctx: dict[str, Any]) -> None:
        observe_process(settings, "merchantops-worker")
        port.start()
        if manage_db:
            await init_db(settings.tortoise_db_url)
        ctx["registry"] = {**build_registry(settings), **(extra_jobs or {})}
        ctx["policy"] = retry_policy(settings)
        ctx["queue"] = ArqQueue(ctx["redis"])
        logger.info("worker.started", mode="arq", queue=QUEUE_NAME)

    async def shutdown(ctx: dict[str, Any]) -> None:
        port.stop()
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


class ResilientWorker(Worker):
    """arq's worker, riding out Redis outages.

    arq 0.28 lets a connection error escape its poll loop, which ends the worker; here the loop
    logs it, waits (with backoff) and polls again, and carries on once Redis is back. The same
    holds when Redis is unreachable at start. A job whose end could not be reported to Redis has
    reported it to the job ledger, which is what counts.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._outage_wait = 0.0

    async def main(self) -> None:
        while True:
            try:
                await super().main()
                return
            except REDIS_DOWN as error:
                if "redis" in self.ctx:
                    raise  # started already: the poll loop handles outages itself
                await self._redis_unavailable(error)

    async def _poll_iteration(self) -> None:
        self._forget_finished_tasks()
        try:
            await super()._poll_iteration()
        except REDIS_DOWN as error:
            await self._redis_unavailable(error)
            return
        if self._outage_wait:
            logger.info("worker.redis_back")
            self._outage_wait = 0.0

    async def start_jobs(self, job_ids: list[bytes]) -> None:
        # arq takes a slot (its semaphore and job counter) for a job before asking Redis about
        # it, and keeps it when Redis fails there: after a few outages it would start no job.
        for job_id in job_ids:
            if self.job_counter >= self.max_jobs:
                return
            task = self.tasks.get(job_id.decode())
            try:
                await super().start_jobs([job_id])
            except REDIS_DOWN:
                if self.tasks.get(job_id.decode()) is task:
                    self.job_counter -= 1
                    self.sem.release()
                raise

    async def close(self) -> None:
        try:
            await super().close()
        except REDIS_DOWN as error:
            # stopped while Redis is away: what it did not hear of, the job ledger knows
            logger.warning("worker.stopped_without_redis", error=repr(error))

    def _forget_finished_tasks(self) -> None:
        # arq does this too, but re-raises a task's error, a Redis one included, which ends main()
        for job_id, task in list(self.tasks.items()):
            if task.done():
                del self.tasks[job_id]
                try:
                    task.result()
                except REDIS_DOWN as error:
                    logger.warning("worker.job_end_unreported", job_id=job_id, error=repr(error))

    async def _redis_unavailable(self, error: BaseException) -> None:
        self._outage_wait = min(LONGEST_WAIT_SECONDS, 2 * self._outage_wait or FIRST_WAIT_SECONDS)
        logger.warning("worker.redis_unavailable", error=repr(error), retry_in=self._outage_wait)
        await asyncio.sleep(self._outage_wait)


def run(settings: Settings, *, extra_jobs: Mapping[str, JobFunction] | None = None) -> None:
    """Run the worker until SIGINT or SIGTERM; Redis going away does not stop it."""
    ResilientWorker(**worker_settings(settings, extra_jobs=extra_jobs)).run()


__all__ = [
    "QUEUE_NAME",
    "ArqQueue",
    "ResilientWorker",
    "connect",
    "run",
    "run_job",
    "worker_settings",
]
