"""Customer service in the GraphQL API (issue 18): tickets, SLA clocks, teams, policies,
surveys and metrics.

Temporary (branch support-satisfaction): only the satisfaction part; the tickets part is built
on another branch and combines its Query and Mutation with these."""

from merchantops.api.graphql.support.satisfaction import SatisfactionMutation, SatisfactionQuery

Query = SatisfactionQuery
Mutation = SatisfactionMutation

__all__ = ["Mutation", "Query"]
