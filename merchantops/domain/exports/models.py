"""Bulk exports of a dataset, masked for the person who asked (standard chapter 1.4).

Model docstrings become table comments: keep semicolons out of them.
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields

from merchantops.tenants.base import TenantModel


class ExportStatus(StrEnum):
    AWAITING_APPROVAL = "awaiting_approval"
    QUEUED = "queued"
    DONE = "done"
    FAILED = "failed"
    REJECTED = "rejected"


class DataExport(TenantModel):
    """One export: what was asked, by whom with which roles, and the masked rows it produced."""

    id = fields.UUIDField(primary_key=True)
    dataset = fields.CharField(max_length=50)
    classification = fields.CharField(max_length=32)
    status = fields.CharEnumField(ExportStatus, max_length=20)
    requested_by = fields.CharField(max_length=100)
    # The requester's roles and scopes when asking: the rows are masked for them.
    roles: list[str] = fields.JSONField(default=list)
    scopes: list[str] = fields.JSONField(default=list)
    approval_id = fields.UUIDField(null=True)
    row_count = fields.IntField(null=True)
    rows: list[dict[str, object]] = fields.JSONField(default=list)
    error = fields.TextField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    finished_at = fields.DatetimeField(null=True)

    class Meta:
        table = "data_export"
        indexes = (("tenant_id", "created_at"),)


__all__ = ["DataExport", "ExportStatus"]
