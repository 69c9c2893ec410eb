"""Rule-set versions of each tenant: drafts, the active one per kind, retired ones."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields

from merchantops.tenants.base import TenantModel


class VersionStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    RETIRED = "retired"


class RuleSetVersion(TenantModel):
    id = fields.UUIDField(primary_key=True)
    kind = fields.CharField(max_length=20)
    version = fields.IntField()
    status = fields.CharEnumField(VersionStatus, max_length=16, default=VersionStatus.DRAFT)
    document: dict[str, object] = fields.JSONField()
    created_by = fields.CharField(max_length=100)
    created_at = fields.DatetimeField(auto_now_add=True)
    activated_at = fields.DatetimeField(null=True)

    class Meta:
        table = "rule_set_version"
        unique_together = (("tenant", "kind", "version"),)


__all__ = ["RuleSetVersion", "VersionStatus"]
