"""Typed failures of the tenant lifecycle, each with a stable code the API passes on."""

from __future__ import annotations

from merchantops.errors import DomainError, NotFound


class TenantNotFound(NotFound):
    field = "slug"


class ConfirmationMismatch(DomainError):
    code = "CONFIRMATION_MISMATCH"
    field = "confirm"


class TenantNotSuspended(DomainError):
    code = "TENANT_NOT_SUSPENDED"
    field = "slug"


class TenantBeingDeleted(DomainError):
    code = "TENANT_BEING_DELETED"
    field = "slug"


class ExportUnderway(DomainError):
    code = "EXPORT_UNDERWAY"
    field = "slug"


__all__ = [
    "ConfirmationMismatch",
    "ExportUnderway",
    "TenantBeingDeleted",
    "TenantNotFound",
    "TenantNotSuspended",
]
