"""GraphQL types of inventory planning and checks: reorder policies and suggestions, the ABC
classification and turnover of SKUs, and the ledger check."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Self
from uuid import UUID

import strawberry
from strawberry import relay

from merchantops.api.graphql.catalog.types import SkuNode
from merchantops.api.graphql.inventory.types import WarehouseNode, global_id, sku_of, warehouse_of
from merchantops.domain.inventory import models
from merchantops.domain.inventory.positions import Position
from merchantops.domain.inventory.reconcile import Mismatch

# The domain's own enum, exposed as it is: one list of values to keep.
AbcClass = models.AbcClass
strawberry.enum(AbcClass, name="AbcClass")


@strawberry.type(name="ReorderPolicy")
class ReorderPolicyNode(relay.Node):
    id: relay.NodeID[str]
    sku_id: strawberry.ID
    sku_pk: strawberry.Private[UUID]
    sku: SkuNode = strawberry.field(resolver=sku_of)
    safety_stock: int
    reorder_point: int
    reorder_quantity: int
    updated_at: datetime
    warehouse_pk: strawberry.Private[UUID]

    warehouse: WarehouseNode = strawberry.field(resolver=warehouse_of)

    @classmethod
    def from_model(cls, policy: models.ReorderPolicy) -> Self:
        return cls(
            id=str(policy.id),
            sku_id=global_id("Sku", policy.sku_id),
            sku_pk=policy.sku_id,
            safety_stock=policy.safety_stock,
            reorder_point=policy.reorder_point,
            reorder_quantity=policy.reorder_quantity,
            updated_at=policy.updated_at,
            warehouse_pk=policy.warehouse_id,
        )


@strawberry.type(name="SkuAnalytics")
class SkuAnalyticsNode(relay.Node):
    id: relay.NodeID[str]
    sku_id: strawberry.ID
    sku_pk: strawberry.Private[UUID]
    sku: SkuNode = strawberry.field(resolver=sku_of)
    abc_class: AbcClass
    usage_value: Decimal = strawberry.field(description="Units shipped x unit cost.")
    turnover: Decimal | None = strawberry.field(
        description="Cost of goods shipped / average inventory value over the period."
    )
    period_days: int
    computed_at: datetime

    @classmethod
    def from_model(cls, row: models.SkuAnalytics) -> Self:
        return cls(
            id=str(row.id),
            sku_id=global_id("Sku", row.sku_id),
            sku_pk=row.sku_id,
            abc_class=row.abc_class,
            usage_value=row.usage_value,
            turnover=row.turnover,
            period_days=row.period_days,
            computed_at=row.computed_at,
        )


@strawberry.type(description="A SKU at or below its reorder point in a warehouse.")
class ReorderSuggestion(relay.Node):
    id: relay.NodeID[str]
    sku_id: strawberry.ID
    sku_pk: strawberry.Private[UUID]
    sku: SkuNode = strawberry.field(resolver=sku_of)
    sku_code: str
    on_hand: int
    allocated: int
    available: int
    safety_stock: int
    reorder_point: int
    suggested_quantity: int = strawberry.field(
        description="Enough to get above the reorder point, at least the policy's quantity."
    )
    warehouse_pk: strawberry.Private[UUID]

    warehouse: WarehouseNode = strawberry.field(resolver=warehouse_of)

    @classmethod
    def from_position(cls, position: Position) -> Self:
        return cls(
            id=f"{position.sku_id}:{position.warehouse_id}",
            sku_id=global_id("Sku", position.sku_id),
            sku_pk=position.sku_id,
            sku_code=position.sku,
            on_hand=position.on_hand,
            allocated=position.allocated,
            available=position.available,
            safety_stock=position.safety_stock,
            reorder_point=position.reorder_point,
            suggested_quantity=position.suggested_quantity,
            warehouse_pk=position.warehouse_id,
        )


@strawberry.type(description="A stock level whose quantities differ from its movements.")
class LedgerMismatch:
    level_id: strawberry.ID
    on_hand: int
    allocated: int
    ledger_on_hand: int
    ledger_allocated: int

    @classmethod
    def from_mismatch(cls, mismatch: Mismatch) -> Self:
        return cls(
            level_id=global_id("StockLevel", mismatch.level_id),
            on_hand=mismatch.on_hand,
            allocated=mismatch.allocated,
            ledger_on_hand=mismatch.ledger_on_hand,
            ledger_allocated=mismatch.ledger_allocated,
        )


@strawberry.type(description="Every stock level rebuilt from the movement ledger and compared.")
class LedgerCheck:
    ok: bool
    levels_checked: int
    mismatches: list[LedgerMismatch]


__all__ = [
    "AbcClass",
    "LedgerCheck",
    "LedgerMismatch",
    "ReorderPolicyNode",
    "ReorderSuggestion",
    "SkuAnalyticsNode",
]
