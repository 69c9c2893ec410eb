"""The catalogue's mutations, merged in the order the schema lists them."""

from __future__ import annotations

import strawberry

from merchantops.api.graphql.catalog.mutations.products import ProductMutation
from merchantops.api.graphql.catalog.mutations.skus import SkuMutation


@strawberry.type
class CatalogMutation(ProductMutation, SkuMutation):
    pass


__all__ = ["CatalogMutation"]
