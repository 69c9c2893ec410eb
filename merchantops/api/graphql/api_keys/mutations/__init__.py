from __future__ import annotations

import strawberry

from merchantops.api.graphql.api_keys.mutations.create import CreateApiKeyMutation
from merchantops.api.graphql.api_keys.mutations.revoke import RevokeApiKeyMutation
from merchantops.api.graphql.api_keys.mutations.rotate import RotateApiKeyMutation


@strawberry.type
class ApiKeyMutation(CreateApiKeyMutation, RotateApiKeyMutation, RevokeApiKeyMutation):
    pass


__all__ = ["ApiKeyMutation"]
