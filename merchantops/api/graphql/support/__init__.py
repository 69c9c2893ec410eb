"""Customer service: tickets from every channel with their SLA clocks, messages, escalations,
closed loop and linked articles; support teams, SLA policies and settings; satisfaction
surveys (answered without a login) and the support metrics."""

from __future__ import annotations

import strawberry

from merchantops.api.graphql.support.mutations import SupportMutation
from merchantops.api.graphql.support.queries import SupportQuery
from merchantops.api.graphql.support.satisfaction import SatisfactionMutation, SatisfactionQuery


@strawberry.type
class Query(SupportQuery, SatisfactionQuery):
    pass


@strawberry.type
class Mutation(SupportMutation, SatisfactionMutation):
    pass


__all__ = ["Mutation", "Query"]
