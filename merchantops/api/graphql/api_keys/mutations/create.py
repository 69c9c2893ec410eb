from __future__ import annotations

from datetime import datetime

import strawberry

from merchantops.api.graphql.api_keys.mutations.payloads import ApiKeyPayload
from merchantops.api.graphql.api_keys.types import ApiKeyNode
from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.inputs import limit
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.tenants import api_keys


@strawberry.input
class CreateApiKeyInput:
    name: str
    role: str = strawberry.field(
        description="Slug of the role the key acts as.", metadata=limit(max_length=63)
    )
    scopes: list[str] = strawberry.field(description="object:action entries, e.g. order:read.")
    expires_at: datetime | None = None


@strawberry.type
class CreateApiKeyMutation:
    @strawberry.mutation(
        extensions=[requires(TenantPermission("api_key", "write"))],
        description="Create a key; its rights are its scopes intersected with its role's.",
    )
    async def create_api_key(self, info: Info, input: CreateApiKeyInput) -> ApiKeyPayload:
        issued = await api_keys.create_api_key(
            info.context.principal,
            input.name,
            input.role,
            input.scopes,
            expires_at=input.expires_at,
        )
        return ApiKeyPayload(api_key=ApiKeyNode.from_model(issued.api_key), key=issued.key)


__all__ = ["CreateApiKeyInput", "CreateApiKeyMutation"]
