from __future__ import annotations

import strawberry

from merchantops.api.graphql.api_keys.mutations.payloads import ApiKeyPayload
from merchantops.api.graphql.api_keys.types import ApiKeyNode
from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.ids import decode_id
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.tenants import api_keys


@strawberry.input
class RevokeApiKeyInput:
    id: strawberry.ID


@strawberry.type
class RevokeApiKeyMutation:
    @strawberry.mutation(
        extensions=[requires(TenantPermission("api_key", "write"))],
        description="Stop a key working at once.",
    )
    async def revoke_api_key(self, info: Info, input: RevokeApiKeyInput) -> ApiKeyPayload:
        api_key = await api_keys.revoke_api_key(decode_id(input.id, "ApiKey"))
        return ApiKeyPayload(api_key=ApiKeyNode.from_model(api_key))


__all__ = ["RevokeApiKeyInput", "RevokeApiKeyMutation"]
