"""What the orders area does when an approval of one of its changes is decided."""

from __future__ import annotations

from uuid import UUID

from merchantops.domain.governance.approvals import Actor
from merchantops.domain.governance.models import ApprovalRequest
from merchantops.domain.orders import placement
from merchantops.domain.orders.models import Order, OrderStatus
from merchantops.domain.orders.refunds import CREATE as REFUND
from merchantops.domain.orders.refunds import apply_approved_refund
from merchantops.rules.evaluation import RuleEvaluator


async def confirm_approved_order(
    request: ApprovalRequest, evaluator: RuleEvaluator, actor: Actor
) -> None:
    """A placement held for approval: approved, the order is confirmed (if still waiting)."""
    order = await Order.get_or_none(id=UUID(request.subject_id))
    if order is not None and order.status is OrderStatus.UNCONFIRMED:
        await placement.confirm_order(order.id)


async def cancel_approved(request: ApprovalRequest, evaluator: RuleEvaluator, actor: Actor) -> None:
    order = await placement.locked_order(UUID(request.subject_id))
    if order.status in placement.CANCELABLE:
        await placement.cancel_now(order, str(request.payload.get("reason", "")))


async def cancel_rejected_order(
    request: ApprovalRequest, evaluator: RuleEvaluator, actor: Actor
) -> None:
    """A placement held for approval and rejected: the order is canceled, its stock released."""
    order = await placement.locked_order(UUID(request.subject_id))
    if order.status is OrderStatus.UNCONFIRMED:
        await placement.cancel_now(order, "Placement not approved")


ON_APPROVAL = {
    placement.PLACE: confirm_approved_order,
    placement.CANCEL: cancel_approved,
    REFUND: apply_approved_refund,
}

ON_REJECTION = {placement.PLACE: cancel_rejected_order}

__all__ = ["ON_APPROVAL", "ON_REJECTION"]
