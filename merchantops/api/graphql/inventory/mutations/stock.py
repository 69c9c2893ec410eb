from __future__ import annotations

from datetime import date, datetime

import strawberry

from merchantops.api.graphql.core.errors import UserError
from merchantops.api.graphql.core.ids import decode_id
from merchantops.api.graphql.core.inputs import limit
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.api.graphql.inventory.types import AllocationNode, LotNode, StockLevelNode
from merchantops.domain.inventory import stock

WRITE = TenantPermission("inventory", "write")


@strawberry.input
class ReceiveStockInput:
    sku_id: strawberry.ID
    zone_id: strawberry.ID
    quantity: int
    trace_code: str
    reference: str = strawberry.field(default="", metadata=limit(max_length=100))
    received_at: datetime | None = None
    expires_on: date | None = None


@strawberry.input
class AllocateStockInput:
    sku_id: strawberry.ID
    warehouse_id: strawberry.ID
    quantity: int
    reference: str = strawberry.field(metadata=limit(max_length=100))


@strawberry.input
class AllocationInput:
    id: strawberry.ID


@strawberry.input
class AdjustStockInput:
    lot_id: strawberry.ID
    zone_id: strawberry.ID
    delta: int = strawberry.field(description="Units to add (positive) or remove (negative).")
    reason: str = strawberry.field(metadata=limit(max_length=100))


@strawberry.input
class TransferStockInput:
    lot_id: strawberry.ID
    from_zone_id: strawberry.ID
    to_zone_id: strawberry.ID = strawberry.field(description="In this or another warehouse.")
    quantity: int
    reference: str = strawberry.field(default="", metadata=limit(max_length=100))


@strawberry.type
class LotPayload:
    lot: LotNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class AllocationPayload:
    allocation: AllocationNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class StockLevelPayload:
    stock_level: StockLevelNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class TransferPayload:
    source: StockLevelNode | None = None
    target: StockLevelNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class StockMutation:
    @strawberry.mutation(
        extensions=[requires(WRITE)],
        description="A manual receipt (opening balance, found stock) as a new lot.",
    )
    async def receive_stock(self, input: ReceiveStockInput) -> LotPayload:
        lot = await stock.receive_stock(
            sku_id=decode_id(input.sku_id, "Sku", "skuId"),
            zone_id=decode_id(input.zone_id, "Zone", "zoneId"),
            quantity=input.quantity,
            trace_code=input.trace_code,
            reference=input.reference,
            received_at=input.received_at,
            expires_on=input.expires_on,
        )
        return LotPayload(lot=LotNode.from_model(lot))

    @strawberry.mutation(
        extensions=[requires(WRITE)],
        description="Reserve stock FIFO (expiring lots first); OUT_OF_STOCK when too little.",
    )
    async def allocate_stock(self, input: AllocateStockInput) -> AllocationPayload:
        allocation = await stock.allocate(
            decode_id(input.sku_id, "Sku", "skuId"),
            decode_id(input.warehouse_id, "Warehouse", "warehouseId"),
            input.quantity,
            input.reference,
        )
        return AllocationPayload(allocation=AllocationNode.from_model(allocation))

    @strawberry.mutation(extensions=[requires(WRITE)], description="Give the units back.")
    async def release_allocation(self, input: AllocationInput) -> AllocationPayload:
        allocation = await stock.release(decode_id(input.id, "Allocation"))
        return AllocationPayload(allocation=AllocationNode.from_model(allocation))

    @strawberry.mutation(extensions=[requires(WRITE)], description="The units leave the stock.")
    async def ship_allocation(self, input: AllocationInput) -> AllocationPayload:
        allocation = await stock.ship(decode_id(input.id, "Allocation"))
        return AllocationPayload(allocation=AllocationNode.from_model(allocation))

    @strawberry.mutation(
        extensions=[requires(WRITE)],
        description="Correct on hand of a lot in a zone; BELOW_ALLOCATED if it would go under.",
    )
    async def adjust_stock(self, input: AdjustStockInput) -> StockLevelPayload:
        level = await stock.adjust(
            decode_id(input.lot_id, "Lot", "lotId"),
            decode_id(input.zone_id, "Zone", "zoneId"),
            input.delta,
            input.reason,
        )
        return StockLevelPayload(stock_level=StockLevelNode.from_model(level))

    @strawberry.mutation(extensions=[requires(WRITE)])
    async def transfer_stock(self, input: TransferStockInput) -> TransferPayload:
        source, target = await stock.transfer(
            decode_id(input.lot_id, "Lot", "lotId"),
            decode_id(input.from_zone_id, "Zone", "fromZoneId"),
            decode_id(input.to_zone_id, "Zone", "toZoneId"),
            input.quantity,
            input.reference,
        )
        return TransferPayload(
            source=StockLevelNode.from_model(source), target=StockLevelNode.from_model(target)
        )


__all__ = ["StockMutation"]
