"""Builders of the data tests stand on, through the same services production uses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from merchantops.tenants import admin
from merchantops.tenants.models import Tenant, User

PASSWORD = "correct-horse-battery"


@dataclass(frozen=True)
class Shop:
    tenant: Tenant
    owner: User
    email: str
    password: str = PASSWORD


async def make_user(email: str, *, platform_admin: bool = False) -> User:
    return await admin.create_user(email, PASSWORD, platform_admin=platform_admin)


async def make_shop(slug: str) -> Shop:
    email = f"owner@{slug}.example.com"
    await make_user(email)
    created = await admin.create_tenant(
        slug, f"{slug.title()} Shop", email, invitation_ttl=timedelta(days=1)
    )
    return Shop(created.tenant, created.owner, email)


async def add_member(shop: Shop, email: str, roles: list[str] | None = None) -> User:
    user = await make_user(email)
    await admin.add_member(shop.tenant, user, roles or [])
    return user
