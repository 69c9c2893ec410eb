from __future__ import annotations

import strawberry

from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.pagination import Connection, paginate
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.api.graphql.exports.types import DataExportNode
from merchantops.domain.exports.models import DataExport


@strawberry.type
class DataExportQuery:
    @strawberry.field(
        extensions=[requires(TenantPermission("data_export", "read"))],
        description="Exports, newest first.",
    )
    async def data_exports(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[DataExportNode]:
        return await paginate(
            info,
            DataExport.all().order_by("-created_at", "-id"),
            first=first,
            after=after,
            last=last,
            before=before,
            to_node=DataExportNode.from_model,
        )


__all__ = ["DataExportQuery"]
