"""A tenant's data exported into one archive: `exportTenant`, then a job writes the file.

    archive = await archives.request_export("acme", queue, policy)
    # the job `lifecycle.export_tenant` runs `build(archive.id, directory, ...)`

The archive is a `.tar.gz` (standard library only) holding `manifest.json` and one JSON Lines
file per tenant table, `tables/<table>.jsonl`, a row a line, columns by their database names
(values as JSON: times in ISO 8601, decimals as strings, uuids as text). The tables are every
`TenantModel` tortoise knows (`tables.py`), so a new area's tables are in it without a change
here; `related/user_account.jsonl` adds the members' accounts (id, email, name, no password
hash), which are not the tenant's own rows but say who its memberships are. The manifest lists
the tables parents first with their row counts and columns, the tenant, the last migration the
database has applied, and when the archive was asked for and written.

It is not masked: it is the platform's own copy of the tenant's data, for the tenant (data
portability) or for the record before a deletion, and only platform admins ask for it or see
where it is. Files are written under `TENANT_ARCHIVE_DIR` (created with mode 0700, each
archive 0600) and stay there until an operator removes them.

The export never crosses tenants: it runs in the tenant's scope, through the tenant-scoped
managers, so on PostgreSQL row-level security too admits no other tenant's row.

Rows are read in batches by primary key (keyset: `WHERE pk > last ORDER BY pk LIMIT n`), never a
whole table at once. Each batch is appended to the table's file in a staging folder, then the
table's position (rows, bytes, last key) is saved in the archive's row: a job stopped halfway
(a crash, its time slice over) resumes after the last saved batch, cutting the file back to
the saved size. Once every table is written, the files are packed, hashed (sha256) and renamed
into place in one step. Each table is read as it is at that moment: suspend the tenant first
for an archive that is one point in time (deleting asks for that anyway).
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import os
import shutil
import tarfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from tortoise.expressions import Subquery
from tortoise.migrations.recorder import MigrationRecorder
from tortoise.models import Model
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from merchantops.domain.lifecycle import platform_audit
from merchantops.domain.lifecycle.errors import TenantBeingDeleted, TenantNotFound
from merchantops.domain.lifecycle.models import (
    ArchiveStatus,
    DeletionStatus,
    TenantArchive,
    TenantDeletion,
)
from merchantops.domain.lifecycle.tables import columns, json_line, purge_order, table_name
from merchantops.log import get_logger
from merchantops.tenants import audit, jobs
from merchantops.tenants.context import current_actor, tenant_scope
from merchantops.tenants.jobs import JobQueue, RetryPolicy
from merchantops.tenants.models import JobRecord, Membership, Tenant, User

logger = get_logger(__name__)
EXPORT_JOB = "lifecycle.export_tenant"
EXPORT_BATCH = 1000
FORMAT = "merchantops.tenant-archive"
FORMAT_VERSION = 1
USER_FIELDS = ("id", "email", "full_name", "is_active", "created_at")
Progress = Callable[[int, int | None], Awaitable[None]]


@dataclass(frozen=True)
class Source:
    """One file of the archive: a model, the fields written, and the tenant's rows of it."""

    name: str
    folder: str
    model: type[Model]
    fields: dict[str, str]
    """field name -> column name, in the model's order"""
    rows: Callable[[], QuerySet[Any]]
    """The rows of the tenant in scope"""

    @property
    def member(self) -> str:
        return f"{self.folder}/{self.name}.jsonl"


def _member_accounts() -> QuerySet[User]:
    return User.filter(id__in=Subquery(Membership.all().values("user_id")))


def sources() -> list[Source]:
    """Every tenant table, parents first (the order a restore loads them), then the accounts."""
    tables = [
        Source(table_name(model), "tables", model, columns(model), model.all)
        for model in reversed(purge_order())
    ]
    accounts = {name: column for name, column in columns(User).items() if name in USER_FIELDS}
    return [*tables, Source(table_name(User), "related", User, accounts, _member_accounts)]


def export_key(archive_id: UUID, part: int = 0) -> str:
    return f"{EXPORT_JOB}:{archive_id}:{part}"


async def request_export(slug: str, queue: JobQueue, policy: RetryPolicy) -> TenantArchive:
    """Record an archive to write and owe its job, in one transaction; then hand the job over."""
    tenant = await Tenant.get_or_none(slug=slug.strip().lower())
    if tenant is None:
        raise TenantNotFound(f"No tenant with slug '{slug}'.")
    async with in_transaction():
        await Tenant.select_for_update(no_key=True).filter(id=tenant.id).first()
        deleting = await TenantDeletion.exists(
            subject_tenant_id=tenant.id, status__not=DeletionStatus.DONE
        )
        if deleting:
            raise TenantBeingDeleted(f"Tenant '{tenant.slug}' is being deleted.")
        archive = await TenantArchive.create(
            subject_tenant_id=tenant.id,
            tenant_slug=tenant.slug,
            requested_by=current_actor()[:100],
        )
        record = await jobs.prepare(
            EXPORT_JOB, export_key(archive.id), tenant.id, {"archive_id": str(archive.id)}
        )
        with tenant_scope(tenant.id):
            await audit.record("tenant.export_requested", "tenant_archive", archive.id)
        await platform_audit.record(
            "tenant.export_requested",
            tenant_id=tenant.id,
            tenant_slug=tenant.slug,
            details={"tenant_archive_id": archive.id},
        )
    await hand_over(queue, policy, record)
    return archive


async def hand_over(queue: JobQueue, policy: RetryPolicy, record: JobRecord) -> None:
    """Give a job recorded in a committed transaction to the queue. A queue that is down
    leaves it due: the relay's sweep hands it over when the queue is back."""
    try:
        await jobs.hand_over(queue, policy, record)
    except Exception as error:
        logger.warning("job.hand_over_failed", key=record.key, error=repr(error))


async def build(
    archive_id: UUID,
    directory: Path,
    *,
    progress: Progress,
    budget_seconds: float | None = None,
) -> bool:
    """Write the archive, or go on writing it; False when `budget_seconds` ran out first (the
    caller runs it again to go on). Idempotent: a finished or failed archive is left as it is."""
    archive = await TenantArchive.get_or_none(id=archive_id)
    if archive is None or archive.status in (ArchiveStatus.DONE, ArchiveStatus.FAILED):
        return True
    tenant = await Tenant.get_or_none(id=archive.subject_tenant_id)
    if tenant is None:
        await fail(archive_id, "The tenant was deleted before its archive was written.")
        return True
    with tenant_scope(tenant.id):
        return await _build(archive, tenant, directory, progress, budget_seconds)


async def _build(
    archive: TenantArchive,
    tenant: Tenant,
    directory: Path,
    progress: Progress,
    budget_seconds: float | None,
) -> bool:
    deadline = None if budget_seconds is None else time.monotonic() + budget_seconds
    staging = directory / f".{archive.id}.partial"
    await asyncio.to_thread(_make_folders, directory, staging)
    if archive.status is ArchiveStatus.QUEUED:
        archive.status = ArchiveStatus.RUNNING
        await archive.save(update_fields=["status"])
    files = sources()
    state: dict[str, Any] = dict(archive.tables)
    total = 0
    for source in files:
        written = state.get(source.name, {})
        total += written["rows"] if written.get("done") else await source.rows().count()
    archive.progress_total = total
    for source in files:
        if not await _write(archive, source, staging, state, progress, deadline):
            return False
    await _pack(archive, tenant, files, directory, staging)
    return True


def _make_folders(directory: Path, staging: Path) -> None:
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    staging.mkdir(mode=0o700, exist_ok=True)


def _resume_at(path: Path, size: int) -> bool:
    """Cut the file back to `size` bytes; False when it holds less (start the table over)."""
    if not path.exists() or path.stat().st_size < size:
        return False
    os.truncate(path, size)
    return True


def _append(path: Path, data: bytes) -> int:
    with path.open("ab") as file:
        file.write(data)
        file.flush()
        return file.tell()


async def _write(
    archive: TenantArchive,
    source: Source,
    staging: Path,
    state: dict[str, Any],
    progress: Progress,
    deadline: float | None,
) -> bool:
    path = staging / f"{source.name}.jsonl"
    written: dict[str, Any] = state.get(source.name) or {}
    if not written or not await asyncio.to_thread(_resume_at, path, written["bytes"]):
        written = {"rows": 0, "bytes": 0, "last": None, "done": False}
        await asyncio.to_thread(path.write_bytes, b"")
    if written["done"]:
        return True
    pk = source.model._meta.pk_attr
    pk_field = source.model._meta.pk
    fields = list(source.fields)
    while True:
        rows = source.rows().order_by(pk)
        if written["last"] is not None:
            rows = rows.filter(**{f"{pk}__gt": pk_field.to_python_value(written["last"])})
        batch = await rows.limit(EXPORT_BATCH).values(*fields)
        if batch:
            data = b"".join(
                json_line({column: row[name] for name, column in source.fields.items()})
                for row in batch
            )
            written["bytes"] = await asyncio.to_thread(_append, path, data)
            written["rows"] += len(batch)
            last = batch[-1][pk]
            written["last"] = last if isinstance(last, int) else str(last)
        written["done"] = len(batch) < EXPORT_BATCH
        state[source.name] = written
        archive.tables = state
        archive.progress_done = sum(entry["rows"] for entry in state.values())
        archive.progress_total = max(archive.progress_total or 0, archive.progress_done)
        await archive.save(update_fields=["tables", "progress_done", "progress_total"])
        await progress(archive.progress_done, archive.progress_total)
        if written["done"]:
            return True
        if deadline is not None and time.monotonic() > deadline:
            return False


async def _migration() -> str | None:
    """The newest migration of ours the database applied: the schema the rows are in."""
    applied = await MigrationRecorder(TenantArchive._meta.db).applied_migrations()
    ours = sorted(key.name for key in applied if key.app_label == TenantArchive._meta.app)
    return ours[-1] if ours else None


async def _pack(
    archive: TenantArchive, tenant: Tenant, files: list[Source], directory: Path, staging: Path
) -> None:
    finished = datetime.now(UTC)
    state = archive.tables
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "archive_id": str(archive.id),
        "requested_at": archive.created_at.isoformat(),
        "created_at": finished.isoformat(),
        "masked": False,
        "tenant": {
            "id": str(tenant.id),
            "slug": tenant.slug,
            "name": tenant.name,
            "status": tenant.status.value,
            "created_at": tenant.created_at.isoformat(),
        },
        "schema": {"app": TenantArchive._meta.app, "migration": await _migration()},
        "order": "tables parents first: load them in this order",
        "tables": [_described(source, state) for source in files if source.folder == "tables"],
        "related": [_described(source, state) for source in files if source.folder != "tables"],
    }
    name = f"{tenant.slug}-{finished:%Y%m%dT%H%M%SZ}-{archive.id.hex[:8]}.tar.gz"
    members = [(source.member, staging / f"{source.name}.jsonl") for source in files]
    body = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
    size, digest = await asyncio.to_thread(
        _write_archive, directory / name, body, members, finished
    )
    async with in_transaction():
        archive.status, archive.finished_at = ArchiveStatus.DONE, finished
        archive.file_name, archive.size_bytes, archive.sha256 = name, size, digest
        await archive.save(
            update_fields=["status", "finished_at", "file_name", "size_bytes", "sha256"]
        )
        await platform_audit.record(
            "tenant.exported",
            tenant_id=tenant.id,
            tenant_slug=tenant.slug,
            details={
                "tenant_archive_id": archive.id,
                "file_name": name,
                "size_bytes": size,
                "sha256": digest,
                "rows": archive.progress_done,
            },
        )
    await asyncio.to_thread(shutil.rmtree, staging, True)


def _described(source: Source, state: dict[str, Any]) -> dict[str, Any]:
    return {
        "table": source.name,
        "model": source.model.__name__,
        "file": source.member,
        "rows": state[source.name]["rows"],
        "primary_key": source.fields[source.model._meta.pk_attr],
        "columns": list(source.fields.values()),
    }


def _write_archive(
    target: Path, manifest: bytes, members: list[tuple[str, Path]], moment: datetime
) -> tuple[int, str]:
    """Pack into a hidden file, then rename it into place: a reader never sees half a file."""
    partial = target.with_name(f".{target.name}.partial")
    with tarfile.open(partial, "w:gz") as tar:
        info = tarfile.TarInfo("manifest.json")
        info.size, info.mtime, info.mode = len(manifest), int(moment.timestamp()), 0o600
        tar.addfile(info, io.BytesIO(manifest))
        for member, path in members:
            tar.add(path, arcname=member, recursive=False)
    digest = hashlib.sha256()
    with partial.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
        os.fsync(file.fileno())
    partial.chmod(0o600)
    os.replace(partial, target)
    return target.stat().st_size, digest.hexdigest()


async def fail(archive_id: UUID, error: str) -> None:
    """Mark an archive failed (its job's last try failed): ask for a new one."""
    archive = await TenantArchive.get_or_none(id=archive_id)
    if archive is None or archive.status is ArchiveStatus.DONE:
        return
    async with in_transaction():
        archive.status, archive.error = ArchiveStatus.FAILED, error[:2000]
        archive.finished_at = datetime.now(UTC)
        await archive.save(update_fields=["status", "error", "finished_at"])
        await platform_audit.record(
            "tenant.export_failed",
            tenant_id=archive.subject_tenant_id,
            tenant_slug=archive.tenant_slug,
            details={"tenant_archive_id": archive.id, "error": error[:500]},
        )


__all__ = [
    "EXPORT_BATCH",
    "EXPORT_JOB",
    "FORMAT",
    "Source",
    "build",
    "export_key",
    "fail",
    "hand_over",
    "request_export",
    "sources",
]
