"""The demo tenant that the one-command start creates, so a new user can log in at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from merchantops.domain import onboarding
from merchantops.tenants import admin
from merchantops.tenants.models import Tenant, User
from merchantops.tenants.templates import OWNER

DEMO_SLUG = "demo"
DEMO_OWNER_EMAIL = "owner@demo.merchantops.test"
DEMO_OWNER_PASSWORD = "demo-owner-password"  # noqa: S105 - printed on purpose, development only
DEMO_ADMIN_EMAIL = "admin@merchantops.test"
DEMO_ADMIN_PASSWORD = "demo-admin-password"  # noqa: S105


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    tenant: str


async def ensure_demo() -> list[DemoLogin]:
    """Create the demo platform admin, tenant and owner unless they exist; idempotent."""
    if not await User.exists(email=DEMO_ADMIN_EMAIL):
        await admin.create_user(
            DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, full_name="Demo Admin", platform_admin=True
        )
    owner = await User.get_or_none(email=DEMO_OWNER_EMAIL)
    if owner is None:
        owner = await admin.create_user(
            DEMO_OWNER_EMAIL, DEMO_OWNER_PASSWORD, full_name="Demo Owner"
        )
    tenant = await Tenant.get_or_none(slug=DEMO_SLUG)
    if tenant is None:
        created = await onboarding.create_tenant(
            DEMO_SLUG, "Demo Shop", DEMO_OWNER_EMAIL, invitation_ttl=timedelta(days=1)
        )
        tenant = created.tenant
    await admin.add_member(tenant, owner, [OWNER])
    return [
        DemoLogin(DEMO_OWNER_EMAIL, DEMO_OWNER_PASSWORD, DEMO_SLUG),
        DemoLogin(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, "(platform admin)"),
    ]


__all__ = ["DEMO_OWNER_EMAIL", "DEMO_OWNER_PASSWORD", "DEMO_SLUG", "DemoLogin", "ensure_demo"]
