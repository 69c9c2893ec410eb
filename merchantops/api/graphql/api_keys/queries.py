from __future__ import annotations

import strawberry

from merchantops.api.graphql.api_keys.types import ApiKeyNode
from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.pagination import EVERY_ROW, Connection, Page, paged, paginate
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.tenants.models import ApiKey


@strawberry.type
class ApiKeyQuery:
    @strawberry.field(
        extensions=[requires(TenantPermission("api_key", "read"))],
        description="The tenant's API keys, newest first. Secrets are never shown again.",
    )
    @paged
    async def api_keys(
        self,
        info: Info,
        page: Page = EVERY_ROW,
    ) -> Connection[ApiKeyNode]:
        return await paginate(
            info,
            ApiKey.all().order_by("-created_at", "id"),
            page,
            to_node=ApiKeyNode.from_model,
        )


__all__ = ["ApiKeyQuery"]
