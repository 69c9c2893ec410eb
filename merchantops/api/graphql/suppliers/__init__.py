"""Suppliers: contacts, evaluations and grades."""

from __future__ import annotations

from merchantops.api.graphql.suppliers.schema import SupplierMutation as Mutation
from merchantops.api.graphql.suppliers.schema import SupplierQuery as Query

__all__ = ["Mutation", "Query"]
