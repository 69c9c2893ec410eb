from __future__ import annotations

from datetime import datetime
from typing import Self

import strawberry
from strawberry import relay

from merchantops.domain.governance import models
from merchantops.tenants.global_ids import public_id

# The domain's own enum, exposed as it is: one list of values to keep.
ApprovalStatus = models.ApprovalStatus
strawberry.enum(ApprovalStatus, name="ApprovalStatus")


@strawberry.type(
    name="ApprovalRequest",
    description="A change a compliance rule holds until someone with `role` decides.",
)
class ApprovalRequestNode(relay.Node):
    id: relay.NodeID[str]
    action: str
    subject_type: str
    subject_id: str = strawberry.field(
        description="The global id of the subject (e.g. the purchase order)."
    )
    role: str
    rules: list[str]
    reason: str
    status: ApprovalStatus
    requested_by: str
    decided_by: str | None
    decided_at: datetime | None
    comment: str
    created_at: datetime

    @classmethod
    def from_model(cls, request: models.ApprovalRequest) -> Self:
        return cls(
            id=str(request.id),
            action=request.action,
            subject_type=request.subject_type,
            subject_id=str(public_id(request.subject_type, request.subject_id)),
            role=request.role,
            rules=list(request.rules),
            reason=request.reason,
            status=request.status,
            requested_by=request.requested_by,
            decided_by=request.decided_by,
            decided_at=request.decided_at,
            comment=request.comment,
            created_at=request.created_at,
        )


__all__ = ["ApprovalRequestNode", "ApprovalStatus"]
