"""Creating a tenant with everything it starts from: organisation, owner, rule sets, and
each area's defaults (its `setup.new_tenant`: order settings, a default business calendar)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta

from tortoise.transactions import in_transaction

from merchantops.rules import templates
from merchantops.tenants import admin
from merchantops.tenants.context import tenant_scope

_setup_steps: list[Callable[[], Awaitable[None]]] = []


def install_setup_steps(steps: Sequence[Callable[[], Awaitable[None]]]) -> None:
    """What each area gives a new tenant (its `setup.new_tenant`), handed over by
    `merchantops.bootstrap.wire`."""
    _setup_steps[:] = steps


async def set_up_areas() -> None:
    """Each area's defaults for the tenant in context (idempotent steps)."""
    for step in _setup_steps:
        await step()


async def create_tenant(
    slug: str, name: str, owner_email: str, *, invitation_ttl: timedelta
) -> admin.NewTenant:
    async with in_transaction():
        created = await admin.create_tenant(slug, name, owner_email, invitation_ttl=invitation_ttl)
        with tenant_scope(created.tenant.id):
            await templates.install()
            await set_up_areas()
    return created


__all__ = ["create_tenant", "install_setup_steps", "set_up_areas"]
