"""Governance's events: risk alerts raised, approvals requested and decided."""

from __future__ import annotations

EVENTS: tuple[str, ...] = (
    "risk_alert.raised",
    "approval.requested",
    "approval.decided",
)
# What its stored records call its objects (event prefixes, audit targets, `<kind>_id` keys) ->
# the GraphQL type: webhook bodies and audit entries show their ids as global ids.
ID_KINDS: dict[str, str] = {
    "approval": "ApprovalRequest",
    "approval_request": "ApprovalRequest",
    "risk_alert": "RiskAlert",
}

__all__ = ["EVENTS", "ID_KINDS"]
