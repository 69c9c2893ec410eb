"""Builders for customer-service tests: a shop with its areas' defaults, an agent, a team
lead and a team, a customer, a SKU with a lot, and ticket specs, via the services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from merchantops.domain.catalog.models import Sku
from merchantops.domain.customers import service as customers
from merchantops.domain.customers.models import Customer
from merchantops.domain.inventory.models import Lot
from merchantops.domain.onboarding import service as onboarding
from merchantops.domain.support import teams
from merchantops.domain.support.models import SupportTeam
from merchantops.domain.support.policies import Channel, TicketType
from merchantops.domain.support.tickets import TicketSpec
from merchantops.tenants.context import tenant_scope
from merchantops.tenants.models import User
from tests.factories import Shop, add_member, make_shop
from tests.inventory import make_site, make_sku, receive

# a Monday, 09:00 UTC: the default calendar's office hours start
MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@dataclass
class Desk:
    shop: Shop
    agent: User
    lead: User
    team: SupportTeam
    customer: Customer
    sku: Sku
    lot: Lot


async def make_desk(slug: str = "acme") -> Desk:
    shop = await make_shop(slug)
    agent = await add_member(shop, f"agent@{slug}.example.com", ["customer-service-staff"])
    lead = await add_member(shop, f"lead@{slug}.example.com", ["customer-service-manager"])
    with tenant_scope(shop.tenant.id):
        await onboarding.set_up_areas()
        team = await teams.create_team("Front line", lead.id)
        customer = await customers.create_customer(
            customers.CustomerSpec("Li Wei", f"li.wei@{slug}.example.com", tags=("vip",))
        )
        site = await make_site()
        sku = await make_sku("MUG-1")
        lot = await receive(sku, site.main, 10, trace_code=f"LOT-{slug}-1")
    return Desk(shop, agent, lead, team, customer, sku, lot)


def ticket_spec(desk: Desk, **changes: Any) -> TicketSpec:
    values: dict[str, Any] = {
        "subject": "Where is my parcel?",
        "type": TicketType.INQUIRY,
        "channel": Channel.EMAIL,
        "body": "I ordered last week and nothing came.",
        "requester_name": "Li Wei",
        "requester_email": "li.wei@example.com",
        "customer_id": desk.customer.id,
        "team_id": desk.team.id,
        "assignee_id": desk.agent.id,
    }
    values.update(changes)
    return TicketSpec(**values)
