"""Platform admins follow archives and deletions and read the platform audit trail."""

from __future__ import annotations

import strawberry

from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.ids import decode_id
from merchantops.api.graphql.core.pagination import EVERY_ROW, Connection, Page, paged, paginate
from merchantops.api.graphql.core.permissions import PLATFORM_ADMIN, requires
from merchantops.api.graphql.lifecycle.types import (
    PlatformAuditEntryNode,
    PlatformAuditFilter,
    TenantArchiveNode,
    TenantDeletionNode,
)
from merchantops.domain.lifecycle.models import PlatformAuditEntry, TenantArchive, TenantDeletion


def _slug(slug: str | None) -> dict[str, str]:
    return {} if slug is None else {"tenant_slug": slug.strip().lower()}


@strawberry.type
class LifecycleQuery:
    @strawberry.field(
        extensions=[requires(PLATFORM_ADMIN)],
        description="A tenant archive: its progress, then its file (platform admins only).",
    )
    async def tenant_archive(self, id: strawberry.ID) -> TenantArchiveNode | None:
        archive = await TenantArchive.get_or_none(id=decode_id(id, "TenantArchive"))
        return None if archive is None else TenantArchiveNode.from_record(archive)

    @strawberry.field(
        extensions=[requires(PLATFORM_ADMIN)],
        description="Tenant archives, newest first; `slug` narrows them to one tenant.",
    )
    @paged
    async def tenant_archives(
        self,
        info: Info,
        slug: str | None = None,
        page: Page = EVERY_ROW,
    ) -> Connection[TenantArchiveNode]:
        return await paginate(
            info,
            TenantArchive.filter(**_slug(slug)).order_by("-created_at", "id"),
            page,
            to_node=TenantArchiveNode.from_record,
        )

    @strawberry.field(
        extensions=[requires(PLATFORM_ADMIN)],
        description="A tenant deletion and how far its purge is (platform admins only).",
    )
    async def tenant_deletion(self, id: strawberry.ID) -> TenantDeletionNode | None:
        deletion = await TenantDeletion.get_or_none(id=decode_id(id, "TenantDeletion"))
        return None if deletion is None else TenantDeletionNode.from_record(deletion)

    @strawberry.field(
        extensions=[requires(PLATFORM_ADMIN)],
        description="Tenant deletions, newest first; `slug` narrows them to one tenant.",
    )
    @paged
    async def tenant_deletions(
        self,
        info: Info,
        slug: str | None = None,
        page: Page = EVERY_ROW,
    ) -> Connection[TenantDeletionNode]:
        return await paginate(
            info,
            TenantDeletion.filter(**_slug(slug)).order_by("-created_at", "id"),
            page,
            to_node=TenantDeletionNode.from_record,
        )

    @strawberry.field(
        extensions=[requires(PLATFORM_ADMIN)],
        description="What platform admins did to tenants (exports, deletions), newest first. "
        "Kept after a tenant and its own audit trail are deleted.",
    )
    @paged
    async def platform_audit_log(
        self,
        info: Info,
        filter: PlatformAuditFilter | None = None,
        page: Page = EVERY_ROW,
    ) -> Connection[PlatformAuditEntryNode]:
        entries = PlatformAuditEntry.all()
        if filter is not None:
            criteria = {
                "action": filter.action,
                "tenant_slug": None if filter.tenant_slug is None else filter.tenant_slug.lower(),
                "created_at__gte": filter.since,
                "created_at__lt": filter.until,
            }
            entries = entries.filter(**{k: v for k, v in criteria.items() if v is not None})
        return await paginate(
            info,
            entries.order_by("-id"),
            page,
            to_node=PlatformAuditEntryNode.from_record,
        )


__all__ = ["LifecycleQuery"]
