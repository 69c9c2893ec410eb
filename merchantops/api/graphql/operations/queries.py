"""`systemHealth`: platform admins see the whole platform's state in one answer."""

from __future__ import annotations

import platform
from datetime import UTC, datetime

import strawberry
from tortoise import Tortoise
from tortoise.migrations.recorder import MigrationRecorder

from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.permissions import PLATFORM_ADMIN, requires
from merchantops.api.graphql.operations.types import (
    HealthCheck,
    OperationTiming,
    SystemHealth,
    Versions,
    WorkerHeartbeat,
)
from merchantops.api.health import committed_migrations
from merchantops.db import APP_LABEL
from merchantops.observability import metrics
from merchantops.workers import backlog
from merchantops.workers.embedding import application_version

SLOWEST = 10


async def database_version() -> str:
    connection = Tortoise.get_connection("default")
    if connection.capabilities.dialect == "postgres":
        _, rows = await connection.execute_query("SHOW server_version")
        return f"PostgreSQL {rows[0]['server_version']}"
    _, rows = await connection.execute_query("SELECT sqlite_version() AS version")
    return f"SQLite {rows[0]['version']}"


async def last_migration() -> str | None:
    applied = await MigrationRecorder(Tortoise.get_connection("default")).applied_migrations()
    names = sorted(key.name for key in applied if key.app_label == APP_LABEL)
    return names[-1] if names else None


@strawberry.type
class OperationsQuery:
    @strawberry.field(
        extensions=[requires(PLATFORM_ADMIN)],
        description="The platform's health: readiness checks, versions, queue depth, relay "
        "lag, dead letters, job runners' heartbeats, slowest operations (platform admins only).",
    )
    async def system_health(self, info: Info) -> SystemHealth:
        context = info.context
        readiness = context.readiness
        checks = [] if readiness is None else await readiness.checks()
        owed = await backlog.observe()
        now = datetime.now(UTC)
        beats = await backlog.heartbeats(getattr(context.queue, "redis", None))
        return SystemHealth(
            ok=all(check.ok for check in checks),
            checks=[HealthCheck(name=c.name, ok=c.ok, state=c.state) for c in checks],
            versions=Versions(
                application=application_version(),
                python=platform.python_version(),
                database=await database_version(),
                last_migration=await last_migration(),
                committed_migrations=len(committed_migrations()),
            ),
            queue_depth=owed.queue_depth,
            queued_jobs=owed.queued,
            running_jobs=owed.running,
            retrying_jobs=owed.retrying,
            dead_letters=owed.dead,
            outbox_pending=owed.outbox_pending,
            relay_lag_seconds=round(owed.relay_lag_seconds, 3),
            workers=[
                WorkerHeartbeat(
                    worker=beat.worker,
                    mode=beat.mode,
                    seen_at=beat.seen_at,
                    age_seconds=round((now - beat.seen_at).total_seconds(), 3),
                )
                for beat in beats
            ],
            slowest_operations=[
                OperationTiming(
                    operation=timing.operation,
                    type=timing.kind,
                    count=timing.count,
                    average_ms=round(timing.average_seconds * 1000, 3),
                    max_ms=round(timing.max_seconds * 1000, 3),
                )
                for timing in metrics.TIMINGS.slowest(SLOWEST)
            ],
        )


__all__ = ["OperationsQuery"]
