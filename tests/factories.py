"""Builders of the data tests stand on, through the same services production uses."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from merchantops.domain.catalog import service as catalog
from merchantops.domain.catalog.models import Product, Sku
from merchantops.domain.governance.models import RiskAlert
from merchantops.domain.inventory import warehouses
from merchantops.domain.inventory.models import Warehouse, Zone
from merchantops.domain.onboarding import service as onboarding
from merchantops.domain.suppliers import service as suppliers
from merchantops.domain.suppliers.models import Grade, Supplier, SupplierContact
from merchantops.domain.webhooks import service as webhooks
from merchantops.rules import templates, versions
from merchantops.tenants import admin, api_keys
from merchantops.tenants.context import tenant_scope
from merchantops.tenants.models import Membership, Tenant, User
from merchantops.tenants.org import departments, roles
from merchantops.tenants.principal import Principal
from merchantops.tenants.rbac import load_policy

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


async def principal(shop: Shop, user: User | None = None) -> Principal:
    """Who `user` (the owner by default) is inside the shop, as the auth layer would build it."""
    user = user or shop.owner
    with tenant_scope(shop.tenant.id):
        membership = await Membership.get(user_id=user.id)
    tenant = await Tenant.get(id=shop.tenant.id)
    policy = await load_policy(tenant.id, tenant.policy_version)
    return Principal(user=user, tenant=tenant, membership=membership, policy=policy)


async def make_onboarded_shop(slug: str) -> Shop:
    """A shop with the rule sets every new tenant starts from (masking included) and each
    area's defaults (order settings, tax categories, return reasons...)."""
    shop = await make_shop(slug)
    with tenant_scope(shop.tenant.id):
        await templates.install()
        await onboarding.set_up_areas()
    return shop


@dataclass
class Catalog:
    """A supplier, a warehouse with its MAIN zone and one product with two SKUs."""

    supplier: Supplier
    warehouse: Warehouse
    zone: Zone
    product: Product
    skus: list[Sku]


async def make_catalog(shop: Shop, *, grade: Grade | None = Grade.B) -> Catalog:
    with tenant_scope(shop.tenant.id):
        supplier = await Supplier.create(code="SUP-1", name="Lakeside Mills", grade=grade)
        await SupplierContact.create(
            supplier=supplier,
            full_name="Dana Reyes",
            email="dana.reyes@lakeside.example",
            phone="+1 555 0100 234",
        )
        warehouse = await Warehouse.create(code="WH-1", name="Central")
        zone = await Zone.create(warehouse=warehouse, code="MAIN", name="Main")
        product = await Product.create(name="Linen shirt", category="apparel")
        skus = [
            await Sku.create(
                product=product, code=f"SHIRT-{size}", name=size, price=40, cost=Decimal("15.50")
            )
            for size in ("M", "L")
        ]
    return Catalog(supplier, warehouse, zone, product, skus)


async def make_shop_with_secrets(slug: str) -> tuple[Shop, list[str]]:
    """A shop whose rows carry strings found nowhere else: its department names, member
    emails, API key name, webhook URL, rule-set description and alert title all contain
    `zq<slug>zq`. Returns the shop and the strings that must never reach another tenant."""
    marker = f"zq{slug}zq"
    shop = await make_shop(slug)
    await add_member(shop, f"clerk.{marker}@example.com", ["auditor"])
    actor = await principal(shop)
    with tenant_scope(shop.tenant.id):
        department = await departments.create_department(actor, f"{marker}-dept", f"Dept {marker}")
        await roles.create_role(
            actor,
            f"{marker}-role",
            f"Role {marker}",
            department_id=department.id,
            permissions=[("order", "read")],
            inherits=[],
        )
        await api_keys.create_api_key(
            await principal(shop), f"Key {marker}", "auditor", ["*:*"], expires_at=None
        )
        await webhooks.subscribe(f"http://127.0.0.1:9/{marker}-hook", ["*"], allow_private=True)
        await versions.create_draft(
            {
                "kind": "compliance",
                "description": f"Rules {marker}",
                "rules": [
                    {"id": "r", "when": {"fact": "po.total", "eq": 1}, "then": {"outcome": "flag"}}
                ],
            }
        )
        await suppliers.create_supplier(
            f"{marker}-sup",
            f"Supplier {marker}",
            contacts=[suppliers.ContactSpec(f"Contact {marker}", email=f"{marker}@x.example")],
        )
        await catalog.create_product(
            f"Product {marker}",
            skus=[catalog.SkuSpec(f"{marker}-sku", "M", Decimal(1), Decimal(1))],
        )
        await warehouses.create_warehouse(f"{marker}-wh", f"Warehouse {marker}")
        await RiskAlert.create(
            rule_id="r",
            title=f"Alert {marker}",
            severity="high",
            dedup_key=f"{marker}-key",
            last_event_id=uuid.uuid4(),
        )
    return shop, [marker, shop.email, shop.tenant.name, str(shop.tenant.id)]
