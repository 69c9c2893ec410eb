"""Suppliers: contacts, evaluations and grades."""

from __future__ import annotations

from merchantops.api.graphql.suppliers.mutations import SupplierMutation as Mutation
from merchantops.api.graphql.suppliers.queries import SupplierQuery as Query

__all__ = ["Mutation", "Query"]
