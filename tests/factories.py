"""Builders of the data tests stand on, through the same services production uses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from merchantops.domain.catalog.models import Product, Sku
from merchantops.domain.inventory.models import Warehouse, Zone
from merchantops.domain.suppliers.models import Grade, Supplier, SupplierContact
from merchantops.rules import templates
from merchantops.tenants import admin
from merchantops.tenants.context import tenant_scope
from merchantops.tenants.models import Membership, Tenant, User
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
    """A shop with the rule sets every new tenant starts from (masking included)."""
    shop = await make_shop(slug)
    with tenant_scope(shop.tenant.id):
        await templates.install()
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
