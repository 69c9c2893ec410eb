from __future__ import annotations

from datetime import datetime, timedelta

import strawberry

from merchantops.api.graphql.api_keys.types import ApiKeyNode
from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.errors import UserError, user_errors
from merchantops.api.graphql.core.ids import decode_id
from merchantops.api.graphql.core.inputs import limit
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.errors import DomainError
from merchantops.tenants import api_keys

WRITE = TenantPermission("api_key", "write")


@strawberry.input
class CreateApiKeyInput:
    name: str
    role: str = strawberry.field(
        description="Slug of the role the key acts as.", metadata=limit(max_length=63)
    )
    scopes: list[str] = strawberry.field(description="object:action entries, e.g. order:read.")
    expires_at: datetime | None = None


@strawberry.input
class RotateApiKeyInput:
    id: strawberry.ID
    grace_seconds: int = strawberry.field(
        default=86_400, description="How long the replaced key keeps working (at most 7 days)."
    )


@strawberry.input
class RevokeApiKeyInput:
    id: strawberry.ID


@strawberry.type
class ApiKeyPayload:
    api_key: ApiKeyNode | None = None
    key: str | None = strawberry.field(
        default=None, description="The whole key, shown only in this answer: store it now."
    )
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ApiKeyMutation:
    @strawberry.mutation(
        extensions=[requires(WRITE)],
        description="Create a key; its rights are its scopes intersected with its role's.",
    )
    async def create_api_key(self, info: Info, input: CreateApiKeyInput) -> ApiKeyPayload:
        try:
            issued = await api_keys.create_api_key(
                info.context.principal,
                input.name,
                input.role,
                input.scopes,
                expires_at=input.expires_at,
            )
        except DomainError as error:
            return ApiKeyPayload(errors=user_errors(error))
        return ApiKeyPayload(api_key=ApiKeyNode.from_model(issued.api_key), key=issued.key)

    @strawberry.mutation(
        extensions=[requires(WRITE)],
        description="Issue a new secret; the old one works for the grace period.",
    )
    async def rotate_api_key(self, info: Info, input: RotateApiKeyInput) -> ApiKeyPayload:
        try:
            issued = await api_keys.rotate_api_key(
                decode_id(input.id, "ApiKey"), timedelta(seconds=input.grace_seconds)
            )
        except DomainError as error:
            return ApiKeyPayload(errors=user_errors(error))
        return ApiKeyPayload(api_key=ApiKeyNode.from_model(issued.api_key), key=issued.key)

    @strawberry.mutation(extensions=[requires(WRITE)], description="Stop a key working at once.")
    async def revoke_api_key(self, info: Info, input: RevokeApiKeyInput) -> ApiKeyPayload:
        try:
            api_key = await api_keys.revoke_api_key(decode_id(input.id, "ApiKey"))
        except DomainError as error:
            return ApiKeyPayload(errors=user_errors(error))
        return ApiKeyPayload(api_key=ApiKeyNode.from_model(api_key))


__all__ = ["ApiKeyMutation"]
