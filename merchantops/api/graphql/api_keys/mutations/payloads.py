from __future__ import annotations

import strawberry

from merchantops.api.graphql.api_keys.types import ApiKeyNode
from merchantops.api.graphql.core.errors import UserError


@strawberry.type
class ApiKeyPayload:
    api_key: ApiKeyNode | None = None
    key: str | None = strawberry.field(
        default=None, description="The whole key, shown only in this answer: store it now."
    )
    errors: list[UserError] = strawberry.field(default_factory=list)


__all__ = ["ApiKeyPayload"]
