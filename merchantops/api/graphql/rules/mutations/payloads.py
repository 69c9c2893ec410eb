from __future__ import annotations

import strawberry

from merchantops.api.graphql.core.errors import UserError
from merchantops.api.graphql.rules.types import RuleSetVersionNode


@strawberry.type
class RuleSetPayload:
    version: RuleSetVersionNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


__all__ = ["RuleSetPayload"]
