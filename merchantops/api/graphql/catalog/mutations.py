from __future__ import annotations

from decimal import Decimal

import strawberry

from merchantops.api.graphql.approvals.types import ApprovalRequestNode
from merchantops.api.graphql.catalog.types import LifecycleStage, ProductNode, SkuNode
from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.errors import UserError, user_errors
from merchantops.api.graphql.core.ids import decode_id
from merchantops.api.graphql.core.inputs import limit
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.domain.catalog import service
from merchantops.errors import DomainError

WRITE = TenantPermission("product", "write")


@strawberry.input
class SkuInput:
    code: str
    name: str
    price: Decimal
    cost: Decimal = Decimal(0)

    def spec(self) -> service.SkuSpec:
        return service.SkuSpec(self.code, self.name, self.price, self.cost)


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


@strawberry.input
class AddSkuInput:
    product_id: strawberry.ID
    sku: SkuInput


@strawberry.input
class ChangeSkuPriceInput:
    sku_id: strawberry.ID
    price: Decimal


@strawberry.type
class ProductPayload:
    product: ProductNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class SkuPayload:
    sku: SkuNode | None = None
    approval_request: ApprovalRequestNode | None = strawberry.field(
        default=None, description="Set when the change waits for an approval instead."
    )
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class CatalogMutation:
    @strawberry.mutation(extensions=[requires(WRITE)])
    async def create_product(self, input: CreateProductInput) -> ProductPayload:
        try:
            product = await service.create_product(
                input.name,
                category=input.category,
                description=input.description,
                contact_name=input.contact_name,
                contact_email=input.contact_email,
                skus=[sku.spec() for sku in input.skus],
            )
        except DomainError as error:
            return ProductPayload(errors=user_errors(error))
        return ProductPayload(product=ProductNode.from_model(product))

    @strawberry.mutation(extensions=[requires(WRITE)])
    async def update_product(self, input: UpdateProductInput) -> ProductPayload:
        try:
            product = await service.update_product(
                decode_id(input.id, "Product"),
                name=input.name,
                category=input.category,
                description=input.description,
                contact_name=input.contact_name,
                contact_email=input.contact_email,
            )
        except DomainError as error:
            return ProductPayload(errors=user_errors(error))
        return ProductPayload(product=ProductNode.from_model(product))

    @strawberry.mutation(
        extensions=[requires(WRITE)],
        description="Introduction -> growth -> maturity -> decline -> retired (see nextStages).",
    )
    async def change_product_stage(self, input: ChangeProductStageInput) -> ProductPayload:
        try:
            product = await service.change_stage(decode_id(input.id, "Product"), input.stage)
        except DomainError as error:
            return ProductPayload(errors=user_errors(error))
        return ProductPayload(product=ProductNode.from_model(product))

    @strawberry.mutation(extensions=[requires(WRITE)])
    async def add_sku(self, input: AddSkuInput) -> SkuPayload:
        try:
            product_id = decode_id(input.product_id, "Product", "productId")
            sku = await service.add_sku(product_id, input.sku.spec())
        except DomainError as error:
            return SkuPayload(errors=user_errors(error))
        return SkuPayload(sku=SkuNode.from_model(sku))

    @strawberry.mutation(
        extensions=[requires(WRITE)],
        description="Governed by compliance: a large change may wait for an approval.",
    )
    async def change_sku_price(self, info: Info, input: ChangeSkuPriceInput) -> SkuPayload:
        try:
            sku, pending = await service.change_price(
                info.context.require_evaluator(),
                info.context.actor(),
                decode_id(input.sku_id, "Sku", "skuId"),
                input.price,
            )
        except DomainError as error:
            return SkuPayload(errors=user_errors(error))
        return SkuPayload(
            sku=SkuNode.from_model(sku),
            approval_request=ApprovalRequestNode.from_model(pending) if pending else None,
        )


__all__ = ["CatalogMutation"]
