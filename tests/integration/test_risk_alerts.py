"""Risk rules evaluated on events raise de-duplicated alerts, once per event."""

from __future__ import annotations

from typing import Any

import pytest

from merchantops.domain.governance import risk
from merchantops.domain.governance.models import AlertStatus, RiskAlert
from merchantops.errors import InvalidInput
from merchantops.rules import templates
from merchantops.rules.evaluation import RuleEvaluator
from merchantops.tenants import outbox
from merchantops.tenants.context import Crossing, across_tenants, tenant_scope
from merchantops.tenants.models import OutboxEvent
from merchantops.workers.inprocess import InProcessQueue
from merchantops.workers.registry import shared_engine
from merchantops.workers.relay import relay_outbox
from tests.factories import Shop, make_shop
from tests.support.scrape import total

pytestmark = pytest.mark.usefixtures("db")


async def _shop_with_templates(slug: str = "acme") -> Shop:
    shop = await make_shop(slug)
    with tenant_scope(shop.tenant.id):
        await templates.install()
    return shop


async def _stock_event(shop: Shop, sku: str, below: int) -> None:
    # any registered event type carries facts; the inventory emits `inventory.stock_changed`
    with tenant_scope(shop.tenant.id):
        event = await outbox.emit(
            "department.created", {"stock": {"sku": sku, "below_safety_by": below}}
        )
    assert event.id


async def _alerts(shop: Shop) -> list[RiskAlert]:
    with tenant_scope(shop.tenant.id):
        return list(await RiskAlert.all().order_by("created_at"))


async def test_matching_events_raise_one_alert_per_key_and_count_occurrences(
    jobs: InProcessQueue,
) -> None:
    shop = await _shop_with_templates()
    before = total("merchantops_risk_alerts_raised_total")

    await _stock_event(shop, "SKU-1", 3)
    await _stock_event(shop, "SKU-1", 5)
    await _stock_event(shop, "SKU-2", 1)
    await _stock_event(shop, "SKU-3", 0)  # at safety level: no alert
    await relay_outbox(jobs, jobs.policy)
    await jobs.drain()

    alerts = await _alerts(shop)
    by_key = {a.dedup_key: a.occurrences for a in alerts}
    assert by_key == {"stock-below-safety:SKU-1": 2, "stock-below-safety:SKU-2": 1}
    with across_tenants(Crossing.OUTBOX_RELAY):
        raised = await OutboxEvent.unscoped().filter(type="risk_alert.raised").count()
    assert raised == 2
    assert total("merchantops_risk_alerts_raised_total") == before + 2


async def test_reprocessing_an_event_raises_nothing_twice() -> None:
    shop = await _shop_with_templates()
    await _stock_event(shop, "SKU-1", 3)
    with across_tenants(Crossing.OUTBOX_RELAY):
        [event] = await OutboxEvent.unscoped().filter(type="department.created")
    evaluator = RuleEvaluator(shared_engine())

    with tenant_scope(shop.tenant.id):
        await risk.raise_alerts(evaluator, event)
        await risk.raise_alerts(evaluator, event)

    [alert] = await _alerts(shop)
    assert alert.occurrences == 1


async def test_a_resolved_alert_is_reopened_as_a_new_one(jobs: InProcessQueue) -> None:
    shop = await _shop_with_templates()
    await _stock_event(shop, "SKU-1", 3)
    await relay_outbox(jobs, jobs.policy)
    await jobs.drain()
    [first] = await _alerts(shop)

    with tenant_scope(shop.tenant.id):
        await risk.set_status(first.id, AlertStatus.ACKNOWLEDGED)
        await risk.set_status(first.id, AlertStatus.RESOLVED)
        with pytest.raises(InvalidInput):
            await risk.set_status(first.id, AlertStatus.ACKNOWLEDGED)
    await _stock_event(shop, "SKU-1", 2)
    await relay_outbox(jobs, jobs.policy)
    await jobs.drain()

    statuses = [(a.status, a.occurrences) for a in await _alerts(shop)]
    assert statuses == [(AlertStatus.RESOLVED, 1), (AlertStatus.OPEN, 1)]


async def test_one_tenants_rules_raise_nothing_for_another(jobs: InProcessQueue) -> None:
    with_rules = await _shop_with_templates("acme")
    without: Any = await make_shop("globex")

    await _stock_event(without, "SKU-1", 9)
    await relay_outbox(jobs, jobs.policy)
    await jobs.drain()

    assert await _alerts(without) == []
    assert await _alerts(with_rules) == []
