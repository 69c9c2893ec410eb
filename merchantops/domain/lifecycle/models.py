"""The platform's records of a tenant's life: its archives, its deletion, the platform audit.

None of them is a tenant table: they outlive the tenant they are about (an archive is fetched,
and a deletion is read, after the tenant is gone), so they name it by id and slug, without a
foreign key, and the purge never touches them. The id's column is `subject_tenant_id`, not
`tenant_id`: a `tenant_id` column makes a table a tenant table to row-level security and Citus
(`dbengine/rls.py`), and these are global tables, read by platform admins only.

Model docstrings become table comments: keep semicolons out of them.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model


class ArchiveStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class TenantArchive(Model):
    """One export of every tenant table of a tenant into one file, built by a job."""

    id = fields.UUIDField(primary_key=True)
    subject_tenant_id = fields.UUIDField(description="The tenant it is about")
    tenant_slug = fields.CharField(max_length=63)
    status = fields.CharEnumField(ArchiveStatus, max_length=16, default=ArchiveStatus.QUEUED)
    requested_by = fields.CharField(max_length=100)
    progress_done = fields.BigIntField(default=0)
    progress_total = fields.BigIntField(null=True)
    # {table: {"rows", "bytes", "last", "done"}}: how far each table's file is written, so a
    # job that stopped resumes after its last written batch
    tables: dict[str, Any] = fields.JSONField(default=dict)
    file_name = fields.CharField(max_length=255, null=True)
    size_bytes = fields.BigIntField(null=True)
    sha256 = fields.CharField(max_length=64, null=True)
    error = fields.TextField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    finished_at = fields.DatetimeField(null=True)

    class Meta:
        table = "tenant_archive"
        indexes = (("subject_tenant_id", "created_at"),)


class DeletionStatus(StrEnum):
    QUEUED = "queued"
    PURGING = "purging"
    DONE = "done"
    FAILED = "failed"


class TenantDeletion(Model):
    """A tenant being deleted: while it is not done, the tenant stays suspended and its purge
    job owes the rest. Rows deleted are counted in the transaction of each batch."""

    id = fields.UUIDField(primary_key=True)
    subject_tenant_id = fields.UUIDField(description="The tenant it is about")
    tenant_slug = fields.CharField(max_length=63)
    status = fields.CharEnumField(DeletionStatus, max_length=16, default=DeletionStatus.QUEUED)
    requested_by = fields.CharField(max_length=100)
    runs = fields.IntField(default=0, description="Bumped each time the purge is started again")
    rows_deleted = fields.BigIntField(default=0)
    rows_total = fields.BigIntField(null=True)
    tables: dict[str, int] = fields.JSONField(default=dict)
    error = fields.TextField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    finished_at = fields.DatetimeField(null=True)

    class Meta:
        table = "tenant_deletion"
        indexes = (("subject_tenant_id", "status"),)


class PlatformAuditEntry(Model):
    """What a platform admin did to a tenant, kept after the tenant and its own audit trail
    are gone."""

    id = fields.BigIntField(primary_key=True)
    actor = fields.CharField(max_length=100)
    action = fields.CharField(max_length=100)
    subject_tenant_id = fields.UUIDField(null=True, description="The tenant it is about")
    tenant_slug = fields.CharField(max_length=63, null=True)
    details: dict[str, Any] = fields.JSONField(default=dict)
    request_id = fields.CharField(max_length=64, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "platform_audit"
        indexes = (("subject_tenant_id", "created_at"), ("action", "created_at"))


__all__ = [
    "ArchiveStatus",
    "DeletionStatus",
    "PlatformAuditEntry",
    "TenantArchive",
    "TenantDeletion",
]
