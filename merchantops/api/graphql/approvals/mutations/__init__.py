from __future__ import annotations

import strawberry

from merchantops.api.graphql.approvals.mutations.decide import DecideApprovalMutation


@strawberry.type
class ApprovalMutation(DecideApprovalMutation):
    pass


__all__ = ["ApprovalMutation"]
