"""Products: creating one with its SKUs, editing it, moving it through its lifecycle."""

from __future__ import annotations

import strawberry

from merchantops.api.graphql.catalog.mutations.skus import SkuInput
from merchantops.api.graphql.catalog.types import LifecycleStage, ProductNode
from merchantops.api.graphql.core.errors import UserError
from merchantops.api.graphql.core.ids import decode_id
from merchantops.api.graphql.core.inputs import limit
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.domain.catalog import service

WRITE = TenantPermission("product", "write")


@strawberry.input
class CreateProductInput:
    name: str
    category: str = ""
    description: str = strawberry.field(default="", metadata=limit(max_length=5000))
    contact_name: str = ""
    contact_email: str = ""
    skus: list[SkuInput] = strawberry.field(default_factory=list)


@strawberry.input
class UpdateProductInput:
    id: strawberry.ID
    name: str | None = None
    category: str | None = None
    description: str | None = strawberry.field(default=None, metadata=limit(max_length=5000))
    contact_name: str | None = None
    contact_email: str | None = None


@strawberry.input
class ChangeProductStageInput:
    id: strawberry.ID
    stage: LifecycleStage


@strawberry.type
class ProductPayload:
    product: ProductNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ProductMutation:
    @strawberry.mutation(extensions=[requires(WRITE)])
    async def create_product(self, input: CreateProductInput) -> ProductPayload:
        product = await service.create_product(
            input.name,
            category=input.category,
            description=input.description,
            contact_name=input.contact_name,
            contact_email=input.contact_email,
            skus=[sku.spec() for sku in input.skus],
        )
        return ProductPayload(product=ProductNode.from_model(product))

    @strawberry.mutation(extensions=[requires(WRITE)])
    async def update_product(self, input: UpdateProductInput) -> ProductPayload:
        product = await service.update_product(
            decode_id(input.id, "Product"),
            name=input.name,
            category=input.category,
            description=input.description,
            contact_name=input.contact_name,
            contact_email=input.contact_email,
        )
        return ProductPayload(product=ProductNode.from_model(product))

    @strawberry.mutation(
        extensions=[requires(WRITE)],
        description="Introduction -> growth -> maturity -> decline -> retired (see nextStages).",
    )
    async def change_product_stage(self, input: ChangeProductStageInput) -> ProductPayload:
        product = await service.change_stage(decode_id(input.id, "Product"), input.stage)
        return ProductPayload(product=ProductNode.from_model(product))


__all__ = ["ProductMutation"]
