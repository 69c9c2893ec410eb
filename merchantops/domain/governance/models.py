"""Risk alerts and the signals that raised them."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields

from merchantops.tenants.base import TenantModel


class AlertStatus(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


class RiskAlert(TenantModel):
    """One open problem. Repeated signals with the same key add occurrences, not alerts."""

    id = fields.UUIDField(primary_key=True)
    rule_id = fields.CharField(max_length=63)
    title = fields.CharField(max_length=200)
    severity = fields.CharField(max_length=16)
    status = fields.CharEnumField(AlertStatus, max_length=16, default=AlertStatus.OPEN)
    dedup_key = fields.CharField(max_length=400)
    occurrences = fields.IntField(default=1)
    last_event_id = fields.UUIDField()
    last_fact: dict[str, object] = fields.JSONField(default=dict)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "risk_alert"
        indexes = (("tenant_id", "status"), ("tenant_id", "dedup_key"))


class RiskSignal(TenantModel):
    """That rule R fired on event E: recorded once, so a re-run job raises nothing twice."""

    id = fields.BigIntField(primary_key=True)
    event_id = fields.UUIDField()
    rule_id = fields.CharField(max_length=63)
    alert_id = fields.UUIDField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "risk_signal"
        unique_together = (("tenant", "event_id", "rule_id"),)


class ApprovalStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


class ApprovalRequest(TenantModel):
    """A change a compliance rule held back until someone holding `role` decides on it."""

    id = fields.UUIDField(primary_key=True)
    action = fields.CharField(max_length=100)
    subject_type = fields.CharField(max_length=50)
    subject_id = fields.CharField(max_length=100)
    role = fields.CharField(max_length=63)
    rules: list[str] = fields.JSONField(default=list)
    reason = fields.CharField(max_length=500, default="")
    # What the change needs to be applied later, as the action's handler reads it.
    payload: dict[str, object] = fields.JSONField(default=dict)
    status = fields.CharEnumField(ApprovalStatus, max_length=16, default=ApprovalStatus.PENDING)
    requested_by = fields.CharField(max_length=100)
    decided_by = fields.CharField(max_length=100, null=True)
    decided_at = fields.DatetimeField(null=True)
    comment = fields.CharField(max_length=500, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "approval_request"
        indexes = (("tenant_id", "status", "role"), ("tenant_id", "subject_id"))


__all__ = [
    "AlertStatus",
    "ApprovalRequest",
    "ApprovalStatus",
    "RiskAlert",
    "RiskSignal",
]
