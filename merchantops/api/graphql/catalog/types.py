"""The catalogue's node types: products through their lifecycle and their SKUs."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Self
from uuid import UUID

import strawberry
from strawberry import relay

from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.masking import masked
from merchantops.domain.catalog import models
from merchantops.domain.catalog.models import Product, Sku

# The domain's own enum, exposed as it is: one list of values to keep.
LifecycleStage = models.LifecycleStage
strawberry.enum(LifecycleStage, name="LifecycleStage")


@strawberry.type(name="Product")
class ProductNode(relay.Node):
    id: relay.NodeID[str]
    name: str
    category: str
    description: str
    stage: LifecycleStage
    created_at: datetime
    updated_at: datetime
    contact_name: str | None = masked(
        models.Product, description="Who answers for the product (masked by the masking rules)."
    )
    contact_email: str | None = masked(models.Product)

    @strawberry.field(description="Stages this product may move to next.")
    def next_stages(self) -> list[LifecycleStage]:
        return sorted(models.TRANSITIONS[self.stage], key=list(LifecycleStage).index)

    @strawberry.field
    async def skus(self, info: Info) -> list[SkuNode]:
        rows = await info.context.loaders.grouped(Sku, "product_id", "code").load(self.id)
        return [SkuNode.from_model(row) for row in rows]

    @classmethod
    def from_model(cls, product: models.Product) -> Self:
        return cls(
            id=str(product.id),
            name=product.name,
            category=product.category,
            description=product.description,
            stage=product.stage,
            created_at=product.created_at,
            updated_at=product.updated_at,
            contact_name=product.contact_name,
            contact_email=product.contact_email,
        )


@strawberry.type(name="Sku")
class SkuNode(relay.Node):
    id: relay.NodeID[str]
    code: str
    name: str
    price: Decimal
    cost: Decimal
    product_pk: strawberry.Private[UUID]

    @strawberry.field
    async def product(self, info: Info) -> ProductNode:
        product = await info.context.loaders.by_id(Product).load(self.product_pk)
        assert product is not None
        return ProductNode.from_model(product)

    @classmethod
    def from_model(cls, sku: models.Sku) -> Self:
        return cls(
            id=str(sku.id),
            code=sku.code,
            name=sku.name,
            price=sku.price,
            cost=sku.cost,
            product_pk=sku.product_id,
        )


async def load_sku(info: Info, pk: UUID) -> SkuNode:
    sku = await info.context.loaders.by_id(Sku).load(pk)
    assert sku is not None
    return SkuNode.from_model(sku)


__all__ = ["LifecycleStage", "ProductNode", "SkuNode", "load_sku"]
