"""Customers: their records and addresses, and their data-subject requests."""

from __future__ import annotations

from merchantops.api.graphql.customers.mutations import CustomerMutation as Mutation
from merchantops.api.graphql.customers.queries import CustomerQuery as Query

__all__ = ["Mutation", "Query"]
