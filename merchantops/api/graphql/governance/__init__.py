"""Risk alerts: listing, acknowledging, resolving."""

from __future__ import annotations

from merchantops.api.graphql.governance.mutations import GovernanceMutation as Mutation
from merchantops.api.graphql.governance.queries import GovernanceQuery as Query

__all__ = ["Mutation", "Query"]
