"""The demo tenant that the one-command start creates, so a new user can log in at once.

Besides its owner the tenant has three staff members (a buyer, a warehouse clerk, a finance
manager: log in as each to see permissions and masking differ) and, seeded once while it has no
products, each area's demo data (`domain/<area>/demo.py`, `merchantops.domain.seeding`): six
suppliers graded A to D, two warehouses, ten products in four lifecycle stages, purchase orders
in every status plus one waiting for finance, lots with expiry dates, customer allocations,
reorder policies with SKUs under their safety stock, and the ABC classification.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from tortoise.transactions import in_transaction

from merchantops import bootstrap
from merchantops.domain.catalog.models import Product
from merchantops.domain.onboarding import service as onboarding
from merchantops.domain.seeding import DEMO_STAFF, Seed
from merchantops.rules.evaluation import RuleEvaluator
from merchantops.tenants import admin
from merchantops.tenants.context import tenant_scope
from merchantops.tenants.models import Tenant, User
from merchantops.tenants.templates import OWNER
from merchantops.workers.registry import shared_engine

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
    """Create the demo platform admin, tenant, owner, staff and supply chain unless they exist.

    Idempotent: a second run finds everything and adds nothing.
    """
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
    for member in DEMO_STAFF:
        user = await User.get_or_none(email=member.email)
        if user is None:
            user = await admin.create_user(
                member.email, member.password, full_name=member.full_name
            )
        await admin.add_member(tenant, user, list(member.roles))
    with tenant_scope(tenant.id):
        seeded = await Product.exists()
    if not seeded:
        await seed_areas(tenant)
    return [
        DemoLogin(DEMO_OWNER_EMAIL, DEMO_OWNER_PASSWORD, DEMO_SLUG),
        *(DemoLogin(m.email, m.password, f"{DEMO_SLUG} ({m.title})") for m in DEMO_STAFF),
        DemoLogin(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, "(platform admin)"),
    ]


async def seed_areas(tenant: Tenant) -> None:
    """Every area's demo data, as the demo staff (members already), in one transaction: either
    all of it is there or none."""
    staff = {
        user.email: f"user:{user.id}"
        for user in await User.filter(email__in=[member.email for member in DEMO_STAFF])
    }
    seed = Seed(tenant, staff, RuleEvaluator(shared_engine()))
    master, activity = bootstrap.demo_steps()
    with tenant_scope(tenant.id):
        async with in_transaction():
            for step in (*master, *activity):
                await step(seed)


__all__ = ["DEMO_OWNER_EMAIL", "DEMO_OWNER_PASSWORD", "DEMO_SLUG", "DemoLogin", "ensure_demo"]
