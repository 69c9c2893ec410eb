from __future__ import annotations

from datetime import timedelta

import strawberry

from merchantops.api.graphql.api_keys.mutations.payloads import ApiKeyPayload
from merchantops.api.graphql.api_keys.types import ApiKeyNode
from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.ids import decode_id
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.tenants import api_keys


@strawberry.input
class RotateApiKeyInput:
    id: strawberry.ID
    grace_seconds: int = strawberry.field(
        default=86_400, description="How long the replaced key keeps working (at most 7 days)."
    )


@strawberry.type
class RotateApiKeyMutation:
    @strawberry.mutation(
        extensions=[requires(TenantPermission("api_key", "write"))],
        description="Issue a new secret; the old one works for the grace period.",
    )
    async def rotate_api_key(self, info: Info, input: RotateApiKeyInput) -> ApiKeyPayload:
        issued = await api_keys.rotate_api_key(
            decode_id(input.id, "ApiKey"), timedelta(seconds=input.grace_seconds)
        )
        return ApiKeyPayload(api_key=ApiKeyNode.from_model(issued.api_key), key=issued.key)


__all__ = ["RotateApiKeyInput", "RotateApiKeyMutation"]
