"""SKUs: adding one to a product, changing its price (governed by compliance)."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from merchantops.api.graphql.approvals.types import ApprovalRequestNode
from merchantops.api.graphql.catalog.types import SkuNode
from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.errors import UserError
from merchantops.api.graphql.core.ids import decode_id
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.domain.catalog import service

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
class AddSkuInput:
    product_id: strawberry.ID
    sku: SkuInput


@strawberry.input
class ChangeSkuPriceInput:
    sku_id: strawberry.ID
    price: Decimal


@strawberry.type
class SkuPayload:
    sku: SkuNode | None = None
    approval_request: ApprovalRequestNode | None = strawberry.field(
        default=None, description="Set when the change waits for an approval instead."
    )
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class SkuMutation:
    @strawberry.mutation(extensions=[requires(WRITE)])
    async def add_sku(self, input: AddSkuInput) -> SkuPayload:
        product_id = decode_id(input.product_id, "Product", "productId")
        sku = await service.add_sku(product_id, input.sku.spec())
        return SkuPayload(sku=SkuNode.from_model(sku))

    @strawberry.mutation(
        extensions=[requires(WRITE)],
        description="Governed by compliance: a large change may wait for an approval.",
    )
    async def change_sku_price(self, info: Info, input: ChangeSkuPriceInput) -> SkuPayload:
        sku, pending = await service.change_price(
            info.context.require_evaluator(),
            info.context.actor(),
            decode_id(input.sku_id, "Sku", "skuId"),
            input.price,
        )
        return SkuPayload(
            sku=SkuNode.from_model(sku),
            approval_request=ApprovalRequestNode.from_model(pending) if pending else None,
        )


__all__ = ["SkuInput", "SkuMutation"]
