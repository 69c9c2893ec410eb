"""An order's steps through its workflow: submit and approve (as compliance allows), close and
cancel. Receiving is its own mutation (`receive.py`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from uuid import UUID

import strawberry

from merchantops.api.graphql.approvals.types import ApprovalRequestNode
from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.ids import decode_id
from merchantops.api.graphql.core.permissions import requires
from merchantops.api.graphql.purchasing.mutations.payloads import (
    APPROVE,
    WRITE,
    PurchaseOrderInput,
    PurchaseOrderPayload,
)
from merchantops.api.graphql.purchasing.types import PurchaseOrderNode
from merchantops.domain.governance.approvals import Actor
from merchantops.domain.purchasing import models, service
from merchantops.rules.evaluation import RuleEvaluator

Step = Callable[[RuleEvaluator, Actor, UUID], Awaitable[service.Transition]]


async def _governed(info: Info, input: PurchaseOrderInput, step: Step) -> PurchaseOrderPayload:
    moved = await step(
        info.context.require_evaluator(),
        info.context.actor(),
        decode_id(input.id, "PurchaseOrder"),
    )
    return PurchaseOrderPayload(
        purchase_order=PurchaseOrderNode.from_model(moved.order),
        approval_request=ApprovalRequestNode.from_model(moved.approval) if moved.approval else None,
    )


async def _plain(
    input: PurchaseOrderInput, step: Callable[[UUID], Awaitable[models.PurchaseOrder]]
) -> PurchaseOrderPayload:
    order = await step(decode_id(input.id, "PurchaseOrder"))
    return PurchaseOrderPayload(purchase_order=PurchaseOrderNode.from_model(order))


@strawberry.type
class GovernedMutation:
    @strawberry.mutation(
        extensions=[requires(WRITE)],
        description="Draft -> submitted, as compliance allows: refused (COMPLIANCE_DENIED), "
        "held for an approval (approvalRequest set), or done.",
    )
    async def submit_purchase_order(
        self, info: Info, input: PurchaseOrderInput
    ) -> PurchaseOrderPayload:
        return await _governed(info, input, service.submit)

    @strawberry.mutation(
        extensions=[requires(APPROVE)],
        description="Submitted -> approved, as compliance allows (like submit).",
    )
    async def approve_purchase_order(
        self, info: Info, input: PurchaseOrderInput
    ) -> PurchaseOrderPayload:
        return await _governed(info, input, service.approve)


@strawberry.type
class FinishMutation:
    @strawberry.mutation(extensions=[requires(WRITE)])
    async def close_purchase_order(self, input: PurchaseOrderInput) -> PurchaseOrderPayload:
        return await _plain(input, service.close)

    @strawberry.mutation(extensions=[requires(WRITE)])
    async def cancel_purchase_order(self, input: PurchaseOrderInput) -> PurchaseOrderPayload:
        return await _plain(input, service.cancel)


__all__ = ["FinishMutation", "GovernedMutation"]
