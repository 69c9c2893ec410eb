"""Rule sets: versions of each tenant's compliance and risk rules, edited at run time."""

from __future__ import annotations

from merchantops.api.graphql.rules.mutations import RuleSetMutation as Mutation
from merchantops.api.graphql.rules.queries import RuleSetQuery as Query

__all__ = ["Mutation", "Query"]
