"""Rule sets: versions of each tenant's compliance and risk rules, edited at run time."""

from __future__ import annotations

from merchantops.api.graphql.rules.schema import RuleSetMutation as Mutation
from merchantops.api.graphql.rules.schema import RuleSetQuery as Query

__all__ = ["Mutation", "Query"]
