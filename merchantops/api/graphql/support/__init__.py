"""Customer service in the GraphQL API (issue 18): tickets, SLA clocks, teams, policies,
surveys and metrics."""
