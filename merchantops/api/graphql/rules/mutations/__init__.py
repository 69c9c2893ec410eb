from __future__ import annotations

import strawberry

from merchantops.api.graphql.rules.mutations.activation import RuleSetActivationMutation
from merchantops.api.graphql.rules.mutations.draft import RuleSetDraftMutation


@strawberry.type
class RuleSetMutation(RuleSetDraftMutation, RuleSetActivationMutation):
    pass


__all__ = ["RuleSetMutation"]
