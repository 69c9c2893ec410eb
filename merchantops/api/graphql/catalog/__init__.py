"""The product catalogue: products through their lifecycle, their SKUs and prices."""

from __future__ import annotations

from merchantops.api.graphql.catalog.mutations import CatalogMutation as Mutation
from merchantops.api.graphql.catalog.queries import CatalogQuery as Query

__all__ = ["Mutation", "Query"]
