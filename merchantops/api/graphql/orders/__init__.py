"""Orders: placement, fulfilment per warehouse, the payment ledger, refunds and returns; and,
on customers, their store credit (`EXTENDS`, `core/extensions.py`)."""

from __future__ import annotations

from merchantops.api.graphql.core.extensions import Extension
from merchantops.api.graphql.customers.types import CustomerNode
from merchantops.api.graphql.orders.mutations import OrderMutation as Mutation
from merchantops.api.graphql.orders.queries import OrderQuery as Query
from merchantops.api.graphql.orders.types import CustomerCredit

EXTENDS = (Extension(CustomerNode, CustomerCredit),)

__all__ = ["EXTENDS", "Mutation", "Query"]
