"""Returns (RMA): request, approve or decline, in transit, receive (partially, again),
inspect with a disposition per line, close (carrying out the outcome). Each needs
`order:write`; receiving never refunds (refund with `refundOrder(returnId: ...)`)."""

from __future__ import annotations

import strawberry

from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.errors import UserError
from merchantops.api.graphql.core.ids import decode_id, decode_optional_id
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.api.graphql.orders.types import Disposition, ReturnNode, ReturnOutcome
from merchantops.domain.orders import returns

WRITE = TenantPermission("order", "write")


@strawberry.type
class ReturnPayload:
    rma: ReturnNode | None = strawberry.field(default=None, name="return")
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class ReturnLineInput:
    order_line_id: strawberry.ID
    quantity: int
    reason_code: str = strawberry.field(description="One of the tenant's return reasons.")
    evidence: str = strawberry.field(default="", description="What the customer reports.")


@strawberry.input
class RequestReturnInput:
    order_id: strawberry.ID
    lines: list[ReturnLineInput]
    outcome: ReturnOutcome = ReturnOutcome.REFUND
    note: str = ""


@strawberry.input
class ReturnIdInput:
    id: strawberry.ID


@strawberry.input
class DeclineReturnInput:
    id: strawberry.ID
    reason: str


@strawberry.input
class ReturnInTransitInput:
    id: strawberry.ID
    carrier: str = ""
    tracking_number: str = ""


@strawberry.input
class ReceivedLineInput:
    return_line_id: strawberry.ID
    quantity: int


@strawberry.input
class ReceiveReturnInput:
    id: strawberry.ID
    lines: list[ReceivedLineInput]


@strawberry.input
class InspectedLineInput:
    return_line_id: strawberry.ID
    disposition: Disposition
    zone_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Where restocked goods go (the warehouse's MAIN zone if left out).",
    )
    note: str = ""


@strawberry.input
class InspectReturnInput:
    id: strawberry.ID
    lines: list[InspectedLineInput]


@strawberry.type
class ReturnMutation:
    @strawberry.mutation(extensions=[requires(WRITE)])
    async def request_return(self, input: RequestReturnInput) -> ReturnPayload:
        rma = await returns.request_return(
            decode_id(input.order_id, "Order", "orderId"),
            tuple(
                returns.ReturnLineSpec(
                    decode_id(line.order_line_id, "OrderLine", f"lines.{i}.orderLineId"),
                    line.quantity,
                    line.reason_code,
                    line.evidence,
                )
                for i, line in enumerate(input.lines)
            ),
            input.outcome,
            input.note,
        )
        return ReturnPayload(rma=ReturnNode.from_model(rma))

    @strawberry.mutation(extensions=[requires(WRITE)], description="REQUESTED -> APPROVED.")
    async def approve_return(self, input: ReturnIdInput) -> ReturnPayload:
        rma = await returns.approve_return(decode_id(input.id, "Return"))
        return ReturnPayload(rma=ReturnNode.from_model(rma))

    @strawberry.mutation(extensions=[requires(WRITE)], description="REQUESTED -> DECLINED.")
    async def decline_return(self, input: DeclineReturnInput) -> ReturnPayload:
        rma = await returns.decline_return(decode_id(input.id, "Return"), input.reason)
        return ReturnPayload(rma=ReturnNode.from_model(rma))

    @strawberry.mutation(extensions=[requires(WRITE)], description="APPROVED -> IN_TRANSIT.")
    async def mark_return_in_transit(self, input: ReturnInTransitInput) -> ReturnPayload:
        rma = await returns.mark_in_transit(
            decode_id(input.id, "Return"), input.carrier, input.tracking_number
        )
        return ReturnPayload(rma=ReturnNode.from_model(rma))

    @strawberry.mutation(
        extensions=[requires(WRITE)],
        description="Goods arrived (some or all; again until inspected). Refunds nothing.",
    )
    async def receive_return(self, input: ReceiveReturnInput) -> ReturnPayload:
        rma = await returns.receive_return(
            decode_id(input.id, "Return"),
            tuple(
                returns.ReceivedSpec(
                    decode_id(line.return_line_id, "ReturnLine", f"lines.{i}.returnLineId"),
                    line.quantity,
                )
                for i, line in enumerate(input.lines)
            ),
        )
        return ReturnPayload(rma=ReturnNode.from_model(rma))

    @strawberry.mutation(
        extensions=[requires(WRITE)],
        description="A disposition per received line; RESTOCK puts goods back into their lots.",
    )
    async def inspect_return(self, input: InspectReturnInput) -> ReturnPayload:
        rma = await returns.inspect_return(
            decode_id(input.id, "Return"),
            tuple(
                returns.InspectionSpec(
                    decode_id(line.return_line_id, "ReturnLine", f"lines.{i}.returnLineId"),
                    line.disposition,
                    decode_optional_id(line.zone_id, "Zone", f"lines.{i}.zoneId"),
                    line.note,
                )
                for i, line in enumerate(input.lines)
            ),
        )
        return ReturnPayload(rma=ReturnNode.from_model(rma))

    @strawberry.mutation(
        extensions=[requires(WRITE)],
        description="INSPECTED -> CLOSED: store credit granted, or the exchange order placed.",
    )
    async def close_return(self, info: Info, input: ReturnIdInput) -> ReturnPayload:
        rma = await returns.close_return(
            info.context.require_evaluator(), info.context.actor(), decode_id(input.id, "Return")
        )
        return ReturnPayload(rma=ReturnNode.from_model(rma))


__all__ = ["ReturnMutation"]
