"""GraphQL types of `systemHealth`."""

from __future__ import annotations

from datetime import datetime

import strawberry


@strawberry.type(description="One readiness check (`/readyz` runs the same).")
class HealthCheck:
    name: str
    ok: bool
    state: str = strawberry.field(description="`ok`, or what is wrong.")


@strawberry.type(description="What is running.")
class Versions:
    application: str
    python: str
    database: str = strawberry.field(description="The database server's version.")
    last_migration: str | None = strawberry.field(
        description="The last migration applied to the database."
    )
    committed_migrations: int = strawberry.field(description="Migrations this release holds.")


@strawberry.type(description="A job runner seen lately, by its last relay pass.")
class WorkerHeartbeat:
    worker: str = strawberry.field(description="`host:pid`.")
    mode: str = strawberry.field(description="`arq` (a worker process) or `in-process`.")
    seen_at: datetime
    age_seconds: float


@strawberry.type(description="An operation's times in the answering API process.")
class OperationTiming:
    operation: str = strawberry.field(description="Its name (`anonymous`, `other`: see README).")
    type: str
    count: int
    average_ms: float
    max_ms: float


@strawberry.type(description="The platform's health: checks, versions, the work it owes.")
class SystemHealth:
    ok: bool = strawberry.field(description="Every check passes.")
    checks: list[HealthCheck]
    versions: Versions
    queue_depth: int = strawberry.field(description="Unfinished jobs (queued, running, retrying).")
    queued_jobs: int
    running_jobs: int
    retrying_jobs: int
    dead_letters: int = strawberry.field(description="Dead jobs waiting for a replay.")
    outbox_pending: int = strawberry.field(description="Events not yet handed to the queue.")
    relay_lag_seconds: float = strawberry.field(
        description="Age of the oldest event not yet relayed (0 when none)."
    )
    workers: list[WorkerHeartbeat]
    slowest_operations: list[OperationTiming] = strawberry.field(
        description="By average time, in this API process since it started."
    )


__all__ = ["HealthCheck", "OperationTiming", "SystemHealth", "Versions", "WorkerHeartbeat"]
