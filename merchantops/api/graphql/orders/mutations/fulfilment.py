"""A fulfilment order's way: hold and release, start, ship (stock leaves), deliver. Each
needs `order:write`."""

from __future__ import annotations

import strawberry

from merchantops.api.graphql.core.errors import UserError
from merchantops.api.graphql.core.ids import decode_id
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.api.graphql.orders.types import FulfillmentOrderNode
from merchantops.domain.orders import fulfilment

WRITE = TenantPermission("order", "write")


@strawberry.type
class FulfillmentPayload:
    fulfillment: FulfillmentOrderNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class FulfillmentIdInput:
    id: strawberry.ID


@strawberry.input
class HoldFulfillmentInput:
    id: strawberry.ID
    reason: str


@strawberry.input
class ShipFulfillmentInput:
    id: strawberry.ID
    carrier: str = ""
    tracking_number: str = ""


@strawberry.type
class FulfillmentMutation:
    @strawberry.mutation(extensions=[requires(WRITE)], description="OPEN | IN_PROGRESS -> ON_HOLD.")
    async def hold_fulfillment(self, input: HoldFulfillmentInput) -> FulfillmentPayload:
        found = await fulfilment.hold(decode_id(input.id, "FulfillmentOrder"), input.reason)
        return FulfillmentPayload(fulfillment=FulfillmentOrderNode.from_model(found))

    @strawberry.mutation(extensions=[requires(WRITE)], description="ON_HOLD -> OPEN.")
    async def release_fulfillment_hold(self, input: FulfillmentIdInput) -> FulfillmentPayload:
        found = await fulfilment.release_hold(decode_id(input.id, "FulfillmentOrder"))
        return FulfillmentPayload(fulfillment=FulfillmentOrderNode.from_model(found))

    @strawberry.mutation(extensions=[requires(WRITE)], description="OPEN -> IN_PROGRESS.")
    async def start_fulfillment(self, input: FulfillmentIdInput) -> FulfillmentPayload:
        found = await fulfilment.start(decode_id(input.id, "FulfillmentOrder"))
        return FulfillmentPayload(fulfillment=FulfillmentOrderNode.from_model(found))

    @strawberry.mutation(
        extensions=[requires(WRITE)],
        description="OPEN | IN_PROGRESS -> SHIPPED: the reserved units leave stock.",
    )
    async def ship_fulfillment(self, input: ShipFulfillmentInput) -> FulfillmentPayload:
        found = await fulfilment.ship(
            decode_id(input.id, "FulfillmentOrder"), input.carrier, input.tracking_number
        )
        return FulfillmentPayload(fulfillment=FulfillmentOrderNode.from_model(found))

    @strawberry.mutation(extensions=[requires(WRITE)], description="SHIPPED -> DELIVERED.")
    async def mark_fulfillment_delivered(self, input: FulfillmentIdInput) -> FulfillmentPayload:
        found = await fulfilment.deliver(decode_id(input.id, "FulfillmentOrder"))
        return FulfillmentPayload(fulfillment=FulfillmentOrderNode.from_model(found))


__all__ = ["FulfillmentMutation"]
