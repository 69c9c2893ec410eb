"""Builders for orders tests: a shop with order defaults, SKUs in stock, a customer, and
order specs, via the services."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from merchantops.domain.catalog.models import Sku
from merchantops.domain.customers import service as customers
from merchantops.domain.customers.models import Customer
from merchantops.domain.governance.approvals import Actor
from merchantops.domain.inventory.models import Lot
from merchantops.domain.onboarding import service as onboarding
from merchantops.domain.orders.placement import LineSpec, OrderSpec
from merchantops.tenants.context import tenant_scope
from merchantops.tenants.templates import OWNER
from tests.factories import Shop, make_shop
from tests.inventory import Site, make_site, make_sku, receive

STAFF = Actor(frozenset({OWNER}))
HOME = customers.AddressSpec("Li Wei", "88 Nanjing Road", "Shanghai", "CN", postal_code="200001")


@dataclass
class Store:
    shop: Shop
    skus: list[Sku]
    site: Site
    lots: list[Lot]
    customer: Customer


async def make_store(slug: str = "acme", *, units: int = 10, skus: int = 2) -> Store:
    """A shop with order defaults, `skus` SKUs priced 100.00 (13% VAT inclusive) with `units`
    each in one warehouse, and a customer."""
    shop = await make_shop(slug)
    with tenant_scope(shop.tenant.id):
        await onboarding.set_up_areas()
        site = await make_site()
        made, lots = [], []
        for n in range(skus):
            sku = await make_sku(f"SKU-{n + 1}")
            sku.price = Decimal("100.00")
            await sku.save(update_fields=["price"])
            made.append(sku)
            lots.append(await receive(sku, site.main, units, trace_code=f"LOT-{slug}-{n + 1}"))
        customer = await customers.create_customer(
            customers.CustomerSpec("Li Wei", f"li.wei@{slug}.example.com")
        )
    return Store(shop, made, site, lots, customer)


def order_spec(store: Store, *quantities: int, **changes: Any) -> OrderSpec:
    lines = tuple(LineSpec(store.skus[i].id, q) for i, q in enumerate(quantities) if q)
    values: dict[str, Any] = {
        "lines": lines,
        "customer_id": store.customer.id,
        "shipping_address": HOME,
        "shipping": Decimal("10.00"),
    }
    values.update(changes)
    return OrderSpec(**values)
