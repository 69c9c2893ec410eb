"""The tenant lifecycle, for platform admins: export a tenant, delete it, read what was done."""

from __future__ import annotations

from merchantops.api.graphql.lifecycle.mutations import LifecycleMutation as Mutation
from merchantops.api.graphql.lifecycle.queries import LifecycleQuery as Query

__all__ = ["Mutation", "Query"]
