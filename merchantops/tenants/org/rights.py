"""What every change of the organisation checks: a tenant is named, and nobody grants what they
do not hold themselves."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from merchantops.errors import PermissionDenied
from merchantops.tenants.permissions import Permission
from merchantops.tenants.principal import Principal


def require_tenant(principal: Principal) -> UUID:
    if principal.tenant_id is None:
        raise PermissionDenied("Name the tenant with the X-Tenant header.")
    return principal.tenant_id


def require_held(principal: Principal, permissions: Iterable[Permission], field: str) -> None:
    missing = sorted(str(p) for p in set(permissions) if not principal.allows(p.obj, p.action))
    if missing:
        raise PermissionDenied(
            f"You cannot grant permissions you do not hold: {', '.join(missing)}.", field=field
        )


__all__ = ["require_held", "require_tenant"]
