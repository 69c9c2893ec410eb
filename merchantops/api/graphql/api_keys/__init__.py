"""Partner API keys: created with scopes, shown once, rotated with a grace period, revoked."""

from __future__ import annotations

from merchantops.api.graphql.api_keys.mutations import ApiKeyMutation as Mutation
from merchantops.api.graphql.api_keys.queries import ApiKeyQuery as Query

__all__ = ["Mutation", "Query"]
