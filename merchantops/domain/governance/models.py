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


__all__ = ["AlertStatus", "RiskAlert", "RiskSignal"]
