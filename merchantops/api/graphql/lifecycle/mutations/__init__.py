from __future__ import annotations

import strawberry

from merchantops.api.graphql.lifecycle.mutations.delete import DeleteMutation
from merchantops.api.graphql.lifecycle.mutations.export import ExportMutation


@strawberry.type
class LifecycleMutation(ExportMutation, DeleteMutation):
    pass


__all__ = ["LifecycleMutation"]
