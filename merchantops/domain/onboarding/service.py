"""Creating a tenant with everything it starts from: organisation, owner, rule sets, a default
business calendar."""

from __future__ import annotations

from datetime import timedelta

from tortoise.transactions import in_transaction

from merchantops.domain.calendars import service as calendars
from merchantops.rules import templates
from merchantops.tenants import admin
from merchantops.tenants.context import tenant_scope


async def create_tenant(
    slug: str, name: str, owner_email: str, *, invitation_ttl: timedelta
) -> admin.NewTenant:
    async with in_transaction():
        created = await admin.create_tenant(slug, name, owner_email, invitation_ttl=invitation_ttl)
        with tenant_scope(created.tenant.id):
            await templates.install()
            # Tenants have no time zone of their own yet: office hours in UTC until edited.
            await calendars.install_default()
    return created


__all__ = ["create_tenant"]
