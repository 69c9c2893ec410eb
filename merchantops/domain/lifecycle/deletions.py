"""Deleting a tenant: `deleteTenant` marks it, then a purge job removes every row of it.

    deletion = await deletions.request_deletion("acme", "acme", queue, policy)
    # the job `lifecycle.purge_tenant` runs `purge(deletion.id, ...)`

Only a suspended tenant can be deleted (suspend it, export it if wanted, then delete), and
the slug is typed twice. The request records a `TenantDeletion` and owes its purge job in one
transaction; while the deletion is not done the tenant stays suspended (each purge run
suspends it again, should anyone have reactivated it meanwhile) and cannot be exported.

The purge walks every tenant table (`tables.purge_order`: children before parents, found from
tortoise's models, so a new area's tables are purged too) and deletes the tenant's rows
`batch_size` (500) at a time, each batch in its own short transaction that also adds the rows
to the deletion's counts. It runs in the tenant's scope, through the tenant-scoped managers:
every statement names the tenant and, on PostgreSQL, row-level security admits no other
tenant's row to it either. It crosses tenants once (`across_tenants`), only to read which of
its members belong to other tenants.

A purge stopped anywhere (a crash, a cancelled task, its time slice over) is simply run
again: deleted rows stay deleted, the next batch is whatever is left, and the counts were
committed with the rows they count. After a pass that finds nothing left, one
transaction deletes the tenant's remaining job records (the purge's own, kept until then so
the job ledger owes the work until it is done) and the tenant row, marks the deletion done and
writes the platform audit entry, which survives the tenant's own audit trail.

Users stay: they may belong to other tenants. Pending invitations of users who belong to no
other tenant are withdrawn (they only invited them into this one). Login sessions and refresh
tokens belong to users, not tenants (a request names its tenant in `X-Tenant`), so they stay,
and a request naming the deleted tenant is refused like one naming an unknown tenant.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from merchantops.domain.lifecycle import platform_audit
from merchantops.domain.lifecycle.archives import hand_over
from merchantops.domain.lifecycle.errors import (
    ConfirmationMismatch,
    ExportUnderway,
    TenantNotFound,
    TenantNotSuspended,
)
from merchantops.domain.lifecycle.models import (
    ArchiveStatus,
    DeletionStatus,
    TenantArchive,
    TenantDeletion,
)
from merchantops.domain.lifecycle.tables import purge_order, table_name
from merchantops.tenants import jobs
from merchantops.tenants.base import TenantModel
from merchantops.tenants.context import Crossing, across_tenants, current_actor, tenant_scope
from merchantops.tenants.jobs import JobQueue, RetryPolicy
from merchantops.tenants.models import Invitation, JobRecord, Membership, Tenant, TenantStatus

PURGE_JOB = "lifecycle.purge_tenant"
PURGE_BATCH = 500
UNDERWAY = (DeletionStatus.QUEUED, DeletionStatus.PURGING)
Progress = Callable[[int, int | None], Awaitable[None]]


def purge_key(deletion_id: UUID, run: int, part: int = 0) -> str:
    return f"{PURGE_JOB}:{deletion_id}:{run}:{part}"


async def request_deletion(
    slug: str, confirm: str, queue: JobQueue, policy: RetryPolicy
) -> TenantDeletion:
    """Mark a suspended tenant as being deleted and owe its purge. Asked again while a purge
    is under way, answers that deletion; after a purge that failed, starts it again."""
    wanted = slug.strip().lower()
    tenant = await Tenant.get_or_none(slug=wanted)
    if tenant is None:
        raise TenantNotFound(f"No tenant with slug '{slug}'.")
    if confirm.strip().lower() != wanted:
        raise ConfirmationMismatch("Type the tenant's slug again in 'confirm' to delete it.")
    async with in_transaction():
        locked = await Tenant.select_for_update().get_or_none(id=tenant.id)
        if locked is None:
            raise TenantNotFound(f"No tenant with slug '{slug}'.")
        deletion = (
            await TenantDeletion.select_for_update()
            .filter(subject_tenant_id=locked.id, status__not=DeletionStatus.DONE)
            .first()
        )
        if deletion is not None and deletion.status in UNDERWAY:
            return deletion
        if locked.status is not TenantStatus.SUSPENDED:
            raise TenantNotSuspended(
                f"Suspend tenant '{locked.slug}' first (setTenantStatus), then delete it."
            )
        exporting = await TenantArchive.exists(
            subject_tenant_id=locked.id,
            status__in=(ArchiveStatus.QUEUED, ArchiveStatus.RUNNING),
        )
        if exporting:
            raise ExportUnderway(
                f"An archive of tenant '{locked.slug}' is being written: delete it once done."
            )
        action = "tenant.delete_requested"
        if deletion is None:
            deletion = await TenantDeletion.create(
                subject_tenant_id=locked.id,
                tenant_slug=locked.slug,
                requested_by=current_actor()[:100],
            )
        else:
            action = "tenant.delete_resumed"
            deletion.status, deletion.error = DeletionStatus.QUEUED, None  # type: ignore[assignment]
            deletion.runs += 1
            await deletion.save(update_fields=["status", "error", "runs"])
        record = await jobs.prepare(
            PURGE_JOB,
            purge_key(deletion.id, deletion.runs),
            locked.id,
            {"deletion_id": str(deletion.id), "run": deletion.runs},
        )
        await platform_audit.record(
            action,
            tenant_id=locked.id,
            tenant_slug=locked.slug,
            details={"tenant_deletion_id": deletion.id, "name": locked.name},
        )
    await hand_over(queue, policy, record)
    return deletion


async def purge(
    deletion_id: UUID,
    *,
    own_job_key: str | None,
    progress: Progress,
    batch_size: int = PURGE_BATCH,
    budget_seconds: float | None = None,
) -> bool:
    """Delete the tenant's rows, or go on deleting them; False when `budget_seconds` ran out
    first (the caller runs it again to go on). `own_job_key` names the job record to keep
    until the end. Idempotent: a finished deletion is left as it is."""
    deletion = await TenantDeletion.get_or_none(id=deletion_id)
    if deletion is None or deletion.status is DeletionStatus.DONE:
        return True
    with tenant_scope(deletion.subject_tenant_id):
        return await _purge(deletion, own_job_key, progress, batch_size, budget_seconds)


async def _purge(
    deletion: TenantDeletion,
    own_job_key: str | None,
    progress: Progress,
    batch_size: int,
    budget_seconds: float | None,
) -> bool:
    deadline = None if budget_seconds is None else time.monotonic() + budget_seconds
    deletion.status, deletion.error = DeletionStatus.PURGING, None  # type: ignore[assignment]
    await deletion.save(update_fields=["status", "error"])
    await Tenant.filter(id=deletion.subject_tenant_id).update(status=TenantStatus.SUSPENDED)
    await _withdraw_invitations(deletion.subject_tenant_id)
    tables = purge_order()
    left = 0
    for model in tables:
        left += await _rows(model, own_job_key).count()
    deletion.rows_total = deletion.rows_deleted + left
    await deletion.save(update_fields=["rows_total"])
    while True:
        deleted = 0
        for model in tables:
            while True:
                count = await _delete_batch(deletion, model, own_job_key, batch_size)
                deleted += count
                if count:
                    await progress(deletion.rows_deleted, deletion.rows_total)
                if count < batch_size:
                    break
                if deadline is not None and time.monotonic() > deadline:
                    return False
        if not deleted:  # a whole pass found nothing: no job wrote a row meanwhile
            break
    await _delete_tenant(deletion)
    return True


def _rows(model: type[TenantModel], own_job_key: str | None) -> QuerySet[Any]:
    """The rows of the tenant in scope, but for the purge's own job record."""
    rows: QuerySet[Any] = model.all()
    if model is JobRecord and own_job_key is not None:
        rows = rows.exclude(key=own_job_key)
    return rows


async def _delete_batch(
    deletion: TenantDeletion, model: type[TenantModel], own_job_key: str | None, size: int
) -> int:
    """Up to `size` of the tenant's rows of one table, in one short transaction with the
    counts of the deletion."""
    pk = model._meta.pk_attr
    async with in_transaction():
        keys = await _rows(model, own_job_key).order_by(pk).limit(size).values_list(pk, flat=True)
        if not keys:
            return 0
        count: int = await model.filter(**{f"{pk}__in": keys}).delete()
        table = table_name(model)
        deletion.tables = {**deletion.tables, table: deletion.tables.get(table, 0) + count}
        deletion.rows_deleted += count
        deletion.rows_total = max(deletion.rows_total or 0, deletion.rows_deleted)
        await deletion.save(update_fields=["tables", "rows_deleted", "rows_total"])
    return count


async def _withdraw_invitations(tenant_id: UUID) -> None:
    """Pending invitations of the tenant's members who belong to no other tenant. Runs before
    memberships are purged, in every run: once they are gone it finds nobody."""
    members = await Membership.all().values_list("user_id", flat=True)
    for start in range(0, len(members), PURGE_BATCH):
        chunk = list(members[start : start + PURGE_BATCH])
        with across_tenants(Crossing.TENANT_LIFECYCLE):
            elsewhere = set(
                await Membership.unscoped()
                .filter(user_id__in=chunk)
                .exclude(tenant_id=tenant_id)
                .values_list("user_id", flat=True)
            )
        only_here = [user_id for user_id in chunk if user_id not in elsewhere]
        if only_here:
            await Invitation.filter(user_id__in=only_here, accepted_at__isnull=True).delete()


async def _delete_tenant(deletion: TenantDeletion) -> None:
    async with in_transaction():
        current = await TenantDeletion.select_for_update().get(id=deletion.id)
        if current.status is DeletionStatus.DONE:
            return
        jobs_left = await JobRecord.all().delete()
        await Tenant.filter(id=current.subject_tenant_id).delete()
        table = table_name(JobRecord)
        current.tables = {**current.tables, table: current.tables.get(table, 0) + jobs_left}
        current.rows_deleted += jobs_left
        current.rows_total = current.rows_deleted
        current.status, current.finished_at = DeletionStatus.DONE, datetime.now(UTC)
        await current.save(
            update_fields=["tables", "rows_deleted", "rows_total", "status", "finished_at"]
        )
        await platform_audit.record(
            "tenant.deleted",
            tenant_id=current.subject_tenant_id,
            tenant_slug=current.tenant_slug,
            details={
                "tenant_deletion_id": current.id,
                "requested_by": current.requested_by,
                "rows": current.rows_deleted,
                "tables": current.tables,
            },
        )


async def fail(deletion_id: UUID, error: str) -> None:
    """Mark a deletion failed (its job's last try failed): `deleteTenant` again goes on."""
    async with in_transaction():
        deletion = await TenantDeletion.select_for_update().get_or_none(id=deletion_id)
        if deletion is None or deletion.status is DeletionStatus.DONE:
            return
        deletion.status, deletion.error = DeletionStatus.FAILED, error[:2000]
        await deletion.save(update_fields=["status", "error"])
        await platform_audit.record(
            "tenant.delete_failed",
            tenant_id=deletion.subject_tenant_id,
            tenant_slug=deletion.tenant_slug,
            details={"tenant_deletion_id": deletion.id, "error": error[:500]},
        )


__all__ = ["PURGE_BATCH", "PURGE_JOB", "fail", "purge", "purge_key", "request_deletion"]
