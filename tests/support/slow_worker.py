"""An arq worker process with one extra job that can be killed half-way (see test_arq_worker).

Run as `python -m tests.support.slow_worker`; configured by the environment like the real
worker (DATABASE_URL, REDIS_URL, JOB_TIMEOUT_SECONDS).
"""

from __future__ import annotations

import asyncio
from typing import Any

from tortoise.transactions import in_transaction

from merchantops.settings import Settings
from merchantops.tenants import audit
from merchantops.tenants.jobs import JobContext
from merchantops.workers.arq_worker import run

SLOW_JOB = "slow_effect"


async def slow_effect(ctx: JobContext, payload: dict[str, Any]) -> None:
    """Writes its effect and commits only at the end; the first try hangs until killed."""
    async with in_transaction():
        await audit.record("test.effect", "job", payload["mark"])
        if ctx.attempt == 1:
            await asyncio.sleep(600)


def main() -> None:
    run(Settings(), extra_jobs={SLOW_JOB: slow_effect})


if __name__ == "__main__":
    main()
