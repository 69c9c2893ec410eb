"""The demo tenant's staff and what every area's demo data is seeded with.

The demo data goes through the domain services, as the staff who would do it (the buyer
orders, finance approves, the warehouse clerk receives and ships, the customer-service agent
takes customers' orders and returns), so it is audited, emits its
events and keeps the stock ledger consistent. Each area seeds its own part from its `demo.py`:
`master_data(seed)` first for every area (suppliers, warehouses, products), then `activity(seed)`
for every area (purchase orders, customer orders, analytics), each in `bootstrap.AREAS` order,
all in one transaction (`merchantops.demo`). An area finds what another seeded by its codes.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date

from merchantops.domain.governance.approvals import Actor
from merchantops.rules.evaluation import RuleEvaluator
from merchantops.tenants.context import actor_scope
from merchantops.tenants.models import Tenant
from merchantops.tenants.templates import manager_role, staff_role


@dataclass(frozen=True, slots=True)
class StaffMember:
    email: str
    password: str
    full_name: str
    roles: tuple[str, ...]
    title: str


BUYER = StaffMember(
    "buyer@demo.merchantops.test",
    "demo-buyer-password",  # printed on purpose, development only
    "Bea Buyer",
    (staff_role("supply-chain"),),
    "buyer",
)
CLERK = StaffMember(
    "clerk@demo.merchantops.test",
    "demo-clerk-password",
    "Wes Warehouse",
    (staff_role("warehouse"),),
    "warehouse clerk",
)
FINANCE = StaffMember(
    "finance@demo.merchantops.test",
    "demo-finance-password",
    "Fay Finance",
    (manager_role("finance"),),
    "finance manager",
)
AGENT = StaffMember(
    "agent@demo.merchantops.test",
    "demo-agent-password",
    "Cai Service",
    (staff_role("customer-service"),),
    "customer service agent",
)
SUPPORT_LEAD = StaffMember(
    "lead@demo.merchantops.test",
    "demo-lead-password",
    "Lin Lead",
    (manager_role("customer-service"),),
    "customer service lead",
)
DEMO_STAFF = (BUYER, CLERK, FINANCE, AGENT, SUPPORT_LEAD)


@dataclass
class Seed:
    """One run of the demo seeding: the tenant, its staff as actors, the rule evaluator."""

    tenant: Tenant
    actors: dict[str, str]
    """Staff email -> the actor string (`user:<id>`) audit entries name."""
    evaluator: RuleEvaluator
    today: date = field(default_factory=date.today)

    def as_(self, member: StaffMember) -> AbstractContextManager[None]:
        return actor_scope(self.actors[member.email])

    @staticmethod
    def governance_actor(member: StaffMember) -> Actor:
        """Who `member` is to compliance: their roles (a manager also holds their staff role)."""
        roles = set(member.roles)
        roles.update(role.replace("-manager", "-staff") for role in member.roles)
        return Actor(frozenset(roles))


__all__ = [
    "AGENT",
    "BUYER",
    "CLERK",
    "DEMO_STAFF",
    "FINANCE",
    "SUPPORT_LEAD",
    "Seed",
    "StaffMember",
]
