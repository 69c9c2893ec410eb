"""A held purchase order goes on when its submission or approval is approved, and back to
where it was when rejected."""

from __future__ import annotations

from merchantops.domain.governance import approvals
from merchantops.domain.governance.approvals import Actor
from merchantops.domain.governance.models import ApprovalRequest
from merchantops.domain.purchasing.errors import InvalidTransition
from merchantops.domain.purchasing.models import PoStatus, PurchaseOrder
from merchantops.domain.purchasing.service import APPROVE, SUBMIT, advance, compliance_fact
from merchantops.rules.evaluation import RuleEvaluator
from merchantops.tenants import audit

# Where an order held for approval of each action came from, and goes back to on rejection.
_HELD_FROM = {SUBMIT: PoStatus.DRAFT, APPROVE: PoStatus.SUBMITTED}


async def _held_for(request: ApprovalRequest) -> PurchaseOrder:
    order = await PurchaseOrder.select_for_update().get(id=request.subject_id)
    if order.status is not PoStatus.AWAITING_APPROVAL or order.pending_approval_id != request.id:
        raise InvalidTransition(
            f"The purchase order is {order.status.value} now; the request no longer applies.",
            field="id",
        )
    order.pending_approval_id = None
    return order


def apply_approved(action: str) -> approvals.Handler:
    """The handler that applies an approved `action` to the order waiting for it."""

    async def apply(request: ApprovalRequest, evaluator: RuleEvaluator, actor: Actor) -> None:
        order = await _held_for(request)
        subject = ("purchase_order", order.id)
        fact = await compliance_fact(order)
        await approvals.governed(evaluator, actor, action, fact, subject=subject, approved=True)
        await advance(order, action)

    return apply


async def rejected(request: ApprovalRequest, evaluator: RuleEvaluator, actor: Actor) -> None:
    order = await _held_for(request)
    order.status = _HELD_FROM[request.action]
    await order.save(update_fields=["status", "pending_approval_id", "updated_at"])
    await audit.record(
        "purchase_order.released",
        "purchase_order",
        order.id,
        before={"status": PoStatus.AWAITING_APPROVAL.value},
        after={"status": order.status.value},
    )


ON_APPROVAL = {SUBMIT: apply_approved(SUBMIT), APPROVE: apply_approved(APPROVE)}
ON_REJECTION = {SUBMIT: rejected, APPROVE: rejected}

__all__ = ["ON_APPROVAL", "ON_REJECTION", "apply_approved", "rejected"]
