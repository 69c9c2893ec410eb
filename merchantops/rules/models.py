"""Rule-set versions of each tenant: drafts, the active one per kind, retired ones."""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from tortoise import fields

from merchantops.tenants.base import TenantModel


class VersionStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    RETIRED = "retired"


class ActivationVia(StrEnum):
    ACTIVATE = "activate"
    ROLLBACK = "rollback"


class RuleSetVersion(TenantModel):
    id = fields.UUIDField(primary_key=True)
    kind = fields.CharField(max_length=20)
    version = fields.IntField()
    status = fields.CharEnumField(VersionStatus, max_length=16, default=VersionStatus.DRAFT)
    document: dict[str, object] = fields.JSONField()
    created_by = fields.CharField(max_length=100)
    created_at = fields.DatetimeField(auto_now_add=True)
    # The first activation; every one is a `RuleSetActivation`.
    activated_at = fields.DatetimeField(null=True)

    activations: fields.ReverseRelation[RuleSetActivation]

    class Meta:
        table = "rule_set_version"
        unique_together = (("tenant", "kind", "version"),)


class RuleSetActivation(TenantModel):
    """One period a rule-set version was in force, from its activation or rollback."""

    id = fields.BigIntField(primary_key=True)
    version: fields.ForeignKeyRelation[RuleSetVersion] = fields.ForeignKeyField(
        "merchantops.RuleSetVersion", related_name="activations", on_delete=fields.CASCADE
    )
    version_id: UUID
    activated_at = fields.DatetimeField()
    deactivated_at = fields.DatetimeField(null=True)
    activated_by = fields.CharField(max_length=100)
    via = fields.CharEnumField(ActivationVia, max_length=16)

    class Meta:
        table = "rule_set_activation"
        indexes = (("tenant_id", "version_id"),)


__all__ = ["ActivationVia", "RuleSetActivation", "RuleSetVersion", "VersionStatus"]
