from __future__ import annotations

import strawberry

from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.pagination import EVERY_ROW, Connection, Page, paged, paginate
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.api.graphql.exports.types import DataExportNode
from merchantops.domain.exports.models import DataExport


@strawberry.type
class DataExportQuery:
    @strawberry.field(
        extensions=[requires(TenantPermission("data_export", "read"))],
        description="Exports, newest first.",
    )
    @paged
    async def data_exports(
        self,
        info: Info,
        page: Page = EVERY_ROW,
    ) -> Connection[DataExportNode]:
        return await paginate(
            info,
            DataExport.all().order_by("-created_at", "-id"),
            page,
            to_node=DataExportNode.from_model,
        )


__all__ = ["DataExportQuery"]
