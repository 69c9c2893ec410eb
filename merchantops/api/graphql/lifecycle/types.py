"""GraphQL types of the tenant lifecycle: archives, deletions, the platform audit trail.

They are the platform's records, not a tenant's objects: `node(id:)` serves a tenant's objects
only, so these build with `from_record` rather than `from_model` (which `core/nodes.py` reads
as "a tenant object its query lists"); `tenantArchive(id:)` and `tenantDeletion(id:)` fetch
them for platform admins.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Self

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from merchantops.api.graphql.core.context import Info
from merchantops.domain.lifecycle import models
from merchantops.tenants.global_ids import global_id, public_actor, with_public_ids

# The domain's own enums, exposed as they are: one list of values to keep.
ArchiveStatus = models.ArchiveStatus
DeletionStatus = models.DeletionStatus
strawberry.enum(ArchiveStatus, name="TenantArchiveStatus")
strawberry.enum(DeletionStatus, name="TenantDeletionStatus")


@strawberry.type(description="Rows of one table in an archive or a deletion.")
class TableRows:
    table: str
    rows: int


@strawberry.type(name="TenantArchive", description="One file holding every table of a tenant.")
class TenantArchiveNode(relay.Node):
    id: relay.NodeID[str]
    tenant_id: strawberry.ID = strawberry.field(description="The tenant's id (kept after it).")
    tenant_slug: str
    status: ArchiveStatus
    requested_by: str = strawberry.field(description="user:<global id of the User>, or system")
    progress_done: int = strawberry.field(description="Rows written so far.")
    progress_total: int | None = strawberry.field(description="Rows to write, as last counted.")
    tables: list[TableRows] = strawberry.field(
        description="Rows written per file, parents first: the row counts of the manifest."
    )
    file_name: str | None = strawberry.field(description="The .tar.gz, once written.")
    size_bytes: float | None = strawberry.field(description="Its size in bytes.")
    sha256: str | None = strawberry.field(description="Its sha256 digest, hex.")
    error: str | None
    created_at: datetime
    finished_at: datetime | None

    @strawberry.field(
        description="Where the file is on the server: TENANT_ARCHIVE_DIR and the file name."
    )
    def path(self, info: Info) -> str | None:
        if self.file_name is None:
            return None
        return str(info.context.settings.tenant_archive_dir.resolve() / self.file_name)

    @classmethod
    def from_record(cls, archive: models.TenantArchive) -> Self:
        return cls(
            id=str(archive.id),
            tenant_id=strawberry.ID(global_id("Tenant", archive.subject_tenant_id)),
            tenant_slug=archive.tenant_slug,
            status=archive.status,
            requested_by=public_actor(archive.requested_by),
            progress_done=archive.progress_done,
            progress_total=archive.progress_total,
            tables=[TableRows(table=name, rows=s["rows"]) for name, s in archive.tables.items()],
            file_name=archive.file_name,
            size_bytes=archive.size_bytes,
            sha256=archive.sha256,
            error=archive.error,
            created_at=archive.created_at,
            finished_at=archive.finished_at,
        )


@strawberry.type(name="TenantDeletion", description="A tenant being deleted, or deleted.")
class TenantDeletionNode(relay.Node):
    id: relay.NodeID[str]
    tenant_id: strawberry.ID = strawberry.field(description="The tenant's id (kept after it).")
    tenant_slug: str
    status: DeletionStatus
    requested_by: str = strawberry.field(description="user:<global id of the User>, or system")
    rows_deleted: int
    rows_total: int | None = strawberry.field(description="Rows to delete, as last counted.")
    tables: list[TableRows] = strawberry.field(description="Rows deleted per table so far.")
    error: str | None
    created_at: datetime
    finished_at: datetime | None

    @classmethod
    def from_record(cls, deletion: models.TenantDeletion) -> Self:
        return cls(
            id=str(deletion.id),
            tenant_id=strawberry.ID(global_id("Tenant", deletion.subject_tenant_id)),
            tenant_slug=deletion.tenant_slug,
            status=deletion.status,
            requested_by=public_actor(deletion.requested_by),
            rows_deleted=deletion.rows_deleted,
            rows_total=deletion.rows_total,
            tables=[TableRows(table=name, rows=rows) for name, rows in deletion.tables.items()],
            error=deletion.error,
            created_at=deletion.created_at,
            finished_at=deletion.finished_at,
        )


@strawberry.type(name="PlatformAuditEntry", description="What was done to a tenant, kept.")
class PlatformAuditEntryNode(relay.Node):
    id: relay.NodeID[str]
    actor: str = strawberry.field(description="user:<global id of the User>, or system:...")
    action: str
    tenant_id: strawberry.ID | None
    tenant_slug: str | None
    details: JSON
    request_id: str | None
    created_at: datetime

    @classmethod
    def from_record(cls, entry: models.PlatformAuditEntry) -> Self:
        details: Any = with_public_ids(entry.details)
        return cls(
            id=str(entry.id),
            actor=public_actor(entry.actor),
            action=entry.action,
            tenant_id=None
            if entry.subject_tenant_id is None
            else strawberry.ID(global_id("Tenant", entry.subject_tenant_id)),
            tenant_slug=entry.tenant_slug,
            details=details,
            request_id=entry.request_id,
            created_at=entry.created_at,
        )


@strawberry.input
class PlatformAuditFilter:
    action: str | None = None
    tenant_slug: str | None = None
    since: datetime | None = None
    until: datetime | None = None


__all__ = [
    "ArchiveStatus",
    "DeletionStatus",
    "PlatformAuditEntryNode",
    "PlatformAuditFilter",
    "TableRows",
    "TenantArchiveNode",
    "TenantDeletionNode",
]
