"""Approval requests: changes compliance holds until a role decides."""

from __future__ import annotations

from merchantops.api.graphql.approvals.mutations import ApprovalMutation as Mutation
from merchantops.api.graphql.approvals.queries import ApprovalQuery as Query

__all__ = ["Mutation", "Query"]
