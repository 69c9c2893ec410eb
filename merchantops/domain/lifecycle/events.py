"""The lifecycle emits no events: a deleted tenant's webhook subscriptions go with it."""

from __future__ import annotations

EVENTS: tuple[str, ...] = ()
# What its stored records call its objects -> the GraphQL type (audit targets show global ids).
ID_KINDS: dict[str, str] = {
    "tenant_archive": "TenantArchive",
    "tenant_deletion": "TenantDeletion",
}

__all__ = ["EVENTS", "ID_KINDS"]
