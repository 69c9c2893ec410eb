from __future__ import annotations

import strawberry

from merchantops.api.graphql.audit.filters import AuditLogFilter
from merchantops.api.graphql.audit.types import AuditChainReport, AuditEntryNode
from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.pagination import EVERY_ROW, Connection, Page, paged, paginate
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.tenants import audit
from merchantops.tenants.global_ids import stored_actor, stored_id
from merchantops.tenants.models import AuditEntry

READ = TenantPermission("audit_log", "read")


@strawberry.type
class AuditQuery:
    @strawberry.field(extensions=[requires(READ)], description="The audit trail, newest first.")
    @paged
    async def audit_log(
        self,
        info: Info,
        filter: AuditLogFilter | None = None,
        page: Page = EVERY_ROW,
    ) -> Connection[AuditEntryNode]:
        entries = AuditEntry.filter(seq__isnull=False)  # chained (see `audit.seal`)
        if filter is not None:
            criteria = {
                "action": filter.action,
                "actor": None if filter.actor is None else stored_actor(filter.actor),
                "target_type": filter.target_type,
                "target_id": None if filter.target_id is None else stored_id(filter.target_id),
                "created_at__gte": filter.since,
                "created_at__lt": filter.until,
            }
            entries = entries.filter(**{k: v for k, v in criteria.items() if v is not None})
        return await paginate(
            info,
            entries.order_by("-seq"),
            page,
            to_node=AuditEntryNode.from_model,
        )

    @strawberry.field(
        extensions=[requires(READ)],
        description="Verify the hash chain: the first altered, missing or reordered entry.",
    )
    async def audit_chain(self, info: Info) -> AuditChainReport:
        tenant_id = info.context.principal.tenant_id
        assert tenant_id is not None
        return AuditChainReport.from_report(await audit.verify(tenant_id))


__all__ = ["AuditQuery"]
