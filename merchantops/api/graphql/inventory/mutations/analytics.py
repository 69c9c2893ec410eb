from __future__ import annotations

from uuid import uuid4

import strawberry

from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.errors import UserError
from merchantops.api.graphql.core.ids import decode_id
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.api.graphql.inventory.analytics_types import ReorderPolicyNode
from merchantops.api.graphql.jobs.types import JobNode
from merchantops.domain.inventory import positions
from merchantops.domain.inventory.analytics import DEFAULT_PERIOD_DAYS
from merchantops.domain.inventory.jobs import ANALYTICS
from merchantops.errors import InvalidInput
from merchantops.tenants import jobs
from merchantops.workers.registry import retry_policy

WRITE = TenantPermission("inventory", "write")


@strawberry.input
class SetReorderPolicyInput:
    sku_id: strawberry.ID
    warehouse_id: strawberry.ID
    safety_stock: int
    reorder_point: int = strawberry.field(description="At least the safety stock.")
    reorder_quantity: int = 0


@strawberry.input
class RunInventoryAnalyticsInput:
    period_days: int = DEFAULT_PERIOD_DAYS


@strawberry.type
class ReorderPolicyPayload:
    policy: ReorderPolicyNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class JobStartedPayload:
    job: JobNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class AnalyticsMutation:
    @strawberry.mutation(
        extensions=[requires(WRITE)],
        description="Safety stock and reorder point of a SKU in a warehouse (created or changed).",
    )
    async def set_reorder_policy(self, input: SetReorderPolicyInput) -> ReorderPolicyPayload:
        policy = await positions.set_reorder_policy(
            decode_id(input.sku_id, "Sku", "skuId"),
            decode_id(input.warehouse_id, "Warehouse", "warehouseId"),
            safety_stock=input.safety_stock,
            reorder_point=input.reorder_point,
            reorder_quantity=input.reorder_quantity,
        )
        return ReorderPolicyPayload(policy=ReorderPolicyNode.from_model(policy))

    @strawberry.mutation(
        extensions=[requires(WRITE)],
        description="Start the ABC classification and turnover job; follow it in `jobs`.",
    )
    async def run_inventory_analytics(
        self, info: Info, input: RunInventoryAnalyticsInput | None = None
    ) -> JobStartedPayload:
        days = (input or RunInventoryAnalyticsInput()).period_days
        if not 1 <= days <= 3660:
            raise InvalidInput("The period is 1 to 3660 days.", field="periodDays")
        tenant_id = info.context.principal.tenant_id
        assert tenant_id is not None
        key, payload = f"{ANALYTICS}:{tenant_id}:{uuid4()}", {"period_days": days}
        queue, policy = info.context.require_queue(), retry_policy(info.context.settings)
        await jobs.submit(queue, policy, ANALYTICS, key=key, tenant_id=tenant_id, payload=payload)
        record = await jobs.prepare(ANALYTICS, key, tenant_id, payload)
        return JobStartedPayload(job=JobNode.from_model(record))


__all__ = ["AnalyticsMutation"]
