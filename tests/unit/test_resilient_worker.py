"""The worker on a Redis that fails every command: it keeps polling and keeps its job slots."""

from __future__ import annotations

from typing import Any, cast

import pytest
from arq.connections import ArqRedis
from arq.worker import func
from redis.exceptions import ConnectionError as RedisConnectionError

from merchantops.workers.arq_worker import ResilientWorker, run_job


class DeadRedis:
    """Every command fails as on a Redis that was killed."""

    async def __aenter__(self) -> DeadRedis:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    def pipeline(self, transaction: bool = True) -> DeadRedis:
        return self

    def __getattr__(self, command: str) -> Any:
        async def fail(*args: object, **kwargs: object) -> None:
            raise RedisConnectionError("Connection closed by server.")

        return fail


def _worker() -> ResilientWorker:
    return ResilientWorker(
        functions=[func(run_job, name="run_job")],
        redis_pool=cast(ArqRedis, DeadRedis()),
        handle_signals=False,
        max_jobs=2,
    )


async def test_worker_whose_redis_fails_while_starting_jobs_keeps_its_job_slots() -> None:
    worker = _worker()

    for _ in range(3):
        with pytest.raises(RedisConnectionError):
            await worker.start_jobs([b"event:1#0", b"event:2#0"])

    assert (worker.job_counter, worker.sem.locked()) == (0, False)


async def test_worker_poll_on_a_dead_redis_waits_instead_of_raising(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    worker = _worker()
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr("merchantops.workers.arq_worker.asyncio.sleep", sleep)

    for _ in range(5):
        await worker._poll_iteration()

    assert waits == [0.5, 1.0, 2.0, 4.0, 5.0]
