"""The services and events hand rules exactly the facts the catalogue declares for them."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import pytest

from merchantops.demo import DEMO_SLUG, ensure_demo
from merchantops.domain.catalog import service as catalog_service
from merchantops.domain.customers import privacy
from merchantops.domain.customers import service as customers
from merchantops.domain.exports import service as exports
from merchantops.domain.governance.approvals import Actor
from merchantops.domain.governance.risk import fact_of
from merchantops.domain.inventory.models import Zone
from merchantops.domain.orders import placement, refunds, transactions
from merchantops.domain.orders.payments import Kind
from merchantops.domain.purchasing import service as purchasing
from merchantops.rules import facts
from merchantops.rules.document import RuleSetKind
from merchantops.rules.evaluation import Decision, RuleEvaluator
from merchantops.tenants.context import actor_scope, tenant_scope
from merchantops.tenants.models import OutboxEvent, Tenant
from merchantops.workers.registry import shared_engine
from tests.factories import make_catalog, make_onboarded_shop
from tests.inventory import receive

pytestmark = pytest.mark.usefixtures("db")

OWNER = Actor(frozenset({"owner"}))


class RecordingEvaluator(RuleEvaluator):
    """Answers that no rule matches, and keeps every fact it was asked about."""

    def __init__(self) -> None:
        super().__init__(shared_engine())
        self.asked: list[tuple[RuleSetKind, dict[str, Any]]] = []

    async def evaluate(self, kind: RuleSetKind, fact: Mapping[str, Any]) -> list[Decision]:
        self.asked.append((kind, dict(fact)))
        return []


async def test_compliance_callers_pass_exactly_the_declared_facts() -> None:
    # given
    shop = await make_onboarded_shop("acme")
    catalog = await make_catalog(shop)
    evaluator = RecordingEvaluator()

    # when: every governed action runs once
    with tenant_scope(shop.tenant.id), actor_scope("user:owner"):
        order = await purchasing.create(
            catalog.supplier.id,
            catalog.warehouse.id,
            [purchasing.LineSpec(catalog.skus[0].id, 3, Decimal("9.50"))],
        )
        await purchasing.submit(evaluator, OWNER, order.id)
        await purchasing.approve(evaluator, OWNER, order.id)
        await catalog_service.change_price(evaluator, OWNER, catalog.skus[0].id, Decimal(50))
        await exports.request(evaluator, OWNER, frozenset(), "supplier_contacts")
        customer = await customers.create_customer(customers.CustomerSpec("Ann", tags=("vip",)))
        await privacy.erase_customer(evaluator, OWNER, customer.id)
        zone = await Zone.get(warehouse_id=catalog.warehouse.id, code="MAIN")
        await receive(catalog.skus[0], zone, 5)
        line = placement.LineSpec(catalog.skus[0].id, 1, Decimal("10.00"))
        placed = await placement.place_order(evaluator, OWNER, placement.OrderSpec(lines=(line,)))
        await transactions.record(placed.order.id, Kind.CHARGE, placed.order.total, "c-1")
        refund = refunds.RefundSpec("r-1", adhoc=Decimal("1.00"), reason="goodwill")
        await refunds.refund_order(evaluator, OWNER, placed.order.id, refund)
        await placement.cancel_order(evaluator, OWNER, placed.order.id, "duplicate")

    # then
    asked = {fact["action"]: facts.paths(fact) for _, fact in evaluator.asked}
    assert set(asked) == set(facts.compliance_actions())
    for action, paths in asked.items():
        assert paths == facts.provided(RuleSetKind.COMPLIANCE, action), action


async def test_every_event_of_the_demo_tenant_carries_only_declared_facts() -> None:
    await ensure_demo()
    tenant = await Tenant.get(slug=DEMO_SLUG)
    with tenant_scope(tenant.id):
        events = await OutboxEvent.all()

    undeclared = {
        event.type: sorted(extra)
        for event in events
        if (extra := facts.paths(fact_of(event)) - facts.provided(RuleSetKind.RISK, event.type))
    }
    assert len({event.type for event in events}) >= 10
    assert undeclared == {}
