"""Typed failures of governance (compliance, approvals), each with a stable code the API passes
on."""

from __future__ import annotations

from merchantops.errors import DomainError


class ComplianceDenied(DomainError):
    """A compliance rule's `deny` refused the change; the caller writes nothing."""

    code = "COMPLIANCE_DENIED"

    def __init__(self, rule: str, reason: str) -> None:
        super().__init__(f"Refused by compliance rule '{rule}': {reason or 'no reason given'}.")
        self.rule = rule


class SelfApproval(DomainError):
    code = "SELF_APPROVAL"


class NotPending(DomainError):
    code = "NOT_PENDING"


__all__ = ["ComplianceDenied", "NotPending", "SelfApproval"]
