"""The lifecycle's jobs: writing an archive and purging a tenant. Thin: each calls a service.

Both work in time slices of half the job timeout (`JOB_TIMEOUT_SECONDS`): a slice that runs
out of time queues the next one under a new key and ends, so no try is cut off by the timeout
and a tenant of any size finishes within the ledger's tries. A slice that fails is retried by
the job ledger and goes on from the last committed batch; when the last try fails, the archive
or the deletion is marked failed.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any
from uuid import UUID

from merchantops.domain.dependencies import Dependencies
from merchantops.domain.lifecycle import archives, deletions
from merchantops.tenants.jobs import JobContext, JobFunction

EXPORT = archives.EXPORT_JOB
PURGE = deletions.PURGE_JOB


def slice_seconds(ctx: JobContext) -> float:
    return ctx.policy.timeout_seconds / 2


def _error(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"


def export_job(directory: Path) -> JobFunction:
    async def export(ctx: JobContext, payload: dict[str, Any]) -> None:
        archive_id, part = UUID(str(payload["archive_id"])), int(payload.get("part", 0))
        try:
            finished = await archives.build(
                archive_id, directory, progress=ctx.progress, budget_seconds=slice_seconds(ctx)
            )
        except Exception as error:
            if ctx.is_last_try:
                await archives.fail(archive_id, _error(error))
            raise
        if not finished:
            following = {"archive_id": str(archive_id), "part": part + 1}
            await ctx.enqueue(
                EXPORT, key=archives.export_key(archive_id, part + 1), payload=following
            )

    return export


async def purge_job(ctx: JobContext, payload: dict[str, Any]) -> None:
    deletion_id = UUID(str(payload["deletion_id"]))
    run, part = int(payload.get("run", 0)), int(payload.get("part", 0))
    try:
        finished = await deletions.purge(
            deletion_id,
            own_job_key=ctx.record.key,
            progress=ctx.progress,
            batch_size=int(payload.get("batch_size", deletions.PURGE_BATCH)),
            budget_seconds=slice_seconds(ctx),
        )
    except Exception as error:
        if ctx.is_last_try:
            await deletions.fail(deletion_id, _error(error))
        raise
    if not finished:
        following = {**payload, "part": part + 1}
        key = deletions.purge_key(deletion_id, run, part + 1)
        await ctx.enqueue(PURGE, key=key, payload=following)


def jobs(deps: Dependencies) -> Mapping[str, JobFunction]:
    return {EXPORT: export_job(deps.settings.tenant_archive_dir), PURGE: purge_job}


__all__ = ["EXPORT", "PURGE", "export_job", "jobs", "purge_job", "slice_seconds"]
