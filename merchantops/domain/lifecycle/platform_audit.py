"""The platform's audit trail: what was done to a tenant, kept after the tenant is gone.

A tenant's own trail (`tenants/audit.py`) is one of its tables, so deleting the tenant purges
it. Exports and deletions are recorded here as well, in the transaction of the change, in a
table without a tenant key that only platform admins read (`platformAuditLog`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from uuid import UUID

from merchantops.domain.lifecycle.models import PlatformAuditEntry
from merchantops.domain.lifecycle.tables import plain
from merchantops.tenants.context import current_actor, current_request_id


async def record(
    action: str,
    *,
    tenant_id: UUID | None,
    tenant_slug: str | None,
    details: Mapping[str, Any] | None = None,
) -> PlatformAuditEntry:
    """Add an entry, in the caller's transaction, for the actor in context."""
    return await PlatformAuditEntry.create(
        actor=current_actor()[:100],
        action=action,
        subject_tenant_id=tenant_id,
        tenant_slug=tenant_slug,
        details=json.loads(json.dumps(dict(details or {}), default=plain)),
        request_id=current_request_id(),
    )


__all__ = ["record"]
