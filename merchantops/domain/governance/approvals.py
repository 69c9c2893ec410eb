"""Changes held back by compliance until a role decides on them.

A service asks `governed(...)` inside the change's transaction. A deny raises
`ComplianceDenied` (the service writes nothing); `require_approval` stores an `ApprovalRequest`
naming the role and returns it (the service records that its subject waits, nothing else);
otherwise it returns None and the service goes on. A caller who holds the role (or the owner)
is the approval: their own change goes through.

    pending = await approvals.governed(
        evaluator, actor, "purchase_order.submit", fact,
        subject=("purchase_order", po.id), payload={"po": str(po.id)},
    )

When the role approves, the handler the action's area declares (its `handlers.py`) applies
the change, with the approver as actor, after asking compliance again: a deny that holds by
then still refuses (a supplier downgraded to D meanwhile), another approval rule does not hold
it twice.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from tortoise.transactions import in_transaction

from merchantops.domain.governance import compliance
from merchantops.domain.governance.errors import NotPending, SelfApproval
from merchantops.domain.governance.models import ApprovalRequest, ApprovalStatus
from merchantops.errors import InvalidInput, NotFound, PermissionDenied
from merchantops.rules.evaluation import RuleEvaluator
from merchantops.tenants import audit, outbox
from merchantops.tenants.context import current_actor
from merchantops.tenants.templates import OWNER


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts, as far as governance cares: every role they hold, inherited ones included."""

    roles: frozenset[str]

    def holds(self, role: str) -> bool:
        return role in self.roles or OWNER in self.roles


Handler = Callable[[ApprovalRequest, RuleEvaluator, "Actor"], Awaitable[None]]
_handlers: dict[str, Handler] = {}
_rejections: dict[str, Handler] = {}


def install(approved: Mapping[str, Handler], rejected: Mapping[str, Handler]) -> None:
    """The functions that apply an approved change, and undo a rejected one (unlock a subject),
    by action: each area's `handlers.py`, handed over by `merchantops.bootstrap.wire`."""
    _handlers.clear()
    _handlers.update(approved)
    _rejections.clear()
    _rejections.update(rejected)


async def governed(
    evaluator: RuleEvaluator,
    actor: Actor,
    action: str,
    fact: Mapping[str, Any],
    *,
    subject: tuple[str, UUID],
    payload: Mapping[str, Any] | None = None,
    approved: bool = False,
) -> ApprovalRequest | None:
    """Ask compliance; None means go on, a request means the change waits for it."""
    decision = await compliance.check(evaluator, action, fact)
    if not decision.needs_approval or approved:
        return None
    assert decision.approver_role is not None
    if actor.holds(decision.approver_role):
        return None
    subject_type, subject_id = subject
    async with in_transaction():
        request = await ApprovalRequest.create(
            action=action,
            subject_type=subject_type,
            subject_id=str(subject_id),
            role=decision.approver_role,
            rules=decision.rules,
            reason=decision.reason[:500],
            payload=dict(payload or {}),
            requested_by=current_actor()[:100],
        )
        await audit.record(
            "approval.requested",
            "approval_request",
            request.id,
            after={"action": action, "subject": str(subject_id), "role": request.role},
        )
        await outbox.emit("approval.requested", _event(request))
    return request


async def decide(
    evaluator: RuleEvaluator, actor: Actor, id: UUID, *, approve: bool, comment: str = ""
) -> ApprovalRequest:
    """Approve (and apply) or reject a pending request, as someone holding its role."""
    if len(comment) > 500:
        raise InvalidInput("A comment is at most 500 characters.", field="comment")
    async with in_transaction():
        request = await ApprovalRequest.select_for_update().get_or_none(id=id)
        if request is None:
            raise NotFound("No approval request with this id.", field="id")
        if request.status is not ApprovalStatus.PENDING:
            raise NotPending(f"This request was {request.status.value} already.", field="id")
        if not actor.holds(request.role):
            raise PermissionDenied(
                f"Only someone holding the role '{request.role}' may decide on this request.",
                field="id",
            )
        if request.requested_by == current_actor():
            raise SelfApproval("Nobody decides on their own request.", field="id")
        request.status = ApprovalStatus.APPROVED if approve else ApprovalStatus.REJECTED
        request.decided_by = current_actor()[:100]
        request.decided_at = datetime.now(UTC)
        request.comment = comment
        await request.save(update_fields=["status", "decided_by", "decided_at", "comment"])
        if approve:
            await _handlers[request.action](request, evaluator, actor)
        else:
            rejected = _rejections.get(request.action)
            if rejected is not None:
                await rejected(request, evaluator, actor)
        await audit.record(
            f"approval.{request.status.value}",
            "approval_request",
            request.id,
            before={"status": ApprovalStatus.PENDING.value},
            after={"status": request.status.value, "comment": comment},
        )
        await outbox.emit("approval.decided", _event(request))
    return request


async def cancel_pending(subject_id: UUID) -> None:
    """The subject's pending requests lapse (it was cancelled or changed). In a transaction."""
    await ApprovalRequest.filter(subject_id=str(subject_id), status=ApprovalStatus.PENDING).update(
        status=ApprovalStatus.CANCELLED, decided_at=datetime.now(UTC)
    )


def _event(request: ApprovalRequest) -> dict[str, Any]:
    return {
        "id": str(request.id),
        "action": request.action,
        "subject_type": request.subject_type,
        "subject_id": request.subject_id,
        "role": request.role,
        "status": request.status.value,
    }


__all__ = [
    "Actor",
    "cancel_pending",
    "decide",
    "governed",
    "install",
]
