"""Customer service: tickets from every channel with their SLA clocks, messages, escalations,
closed loop and linked articles; support teams, SLA policies and settings."""

from __future__ import annotations

from merchantops.api.graphql.support.mutations import SupportMutation as Mutation
from merchantops.api.graphql.support.queries import SupportQuery as Query

__all__ = ["Mutation", "Query"]
