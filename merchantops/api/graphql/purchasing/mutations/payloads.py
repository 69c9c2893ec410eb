"""What every purchase-order mutation answers with, the input naming an order, and the
permissions they require."""

from __future__ import annotations

import strawberry

from merchantops.api.graphql.approvals.types import ApprovalRequestNode
from merchantops.api.graphql.core.errors import UserError
from merchantops.api.graphql.core.permissions import TenantPermission
from merchantops.api.graphql.purchasing.types import PurchaseOrderNode

WRITE = TenantPermission("purchase_order", "write")
APPROVE = TenantPermission("purchase_order", "approve")


@strawberry.input
class PurchaseOrderInput:
    id: strawberry.ID


@strawberry.type
class PurchaseOrderPayload:
    purchase_order: PurchaseOrderNode | None = None
    approval_request: ApprovalRequestNode | None = strawberry.field(
        default=None, description="Set when the step waits for an approval instead."
    )
    errors: list[UserError] = strawberry.field(default_factory=list)


__all__ = ["APPROVE", "WRITE", "PurchaseOrderInput", "PurchaseOrderPayload"]
