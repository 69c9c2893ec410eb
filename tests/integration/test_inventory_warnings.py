"""Stock under safety level raises a risk alert: from stock events and from the periodic job."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from merchantops.domain.catalog.models import Sku
from merchantops.domain.governance.models import RiskAlert
from merchantops.domain.inventory import positions, stock
from merchantops.domain.inventory.jobs import CHECK_STOCK, LEDGER_CHECK
from merchantops.domain.inventory.models import StockLevel
from merchantops.tenants.context import tenant_scope
from merchantops.tenants.models import JobRecord, JobStatus, OutboxEvent
from merchantops.workers.inprocess import InProcessQueue
from merchantops.workers.relay import relay_outbox
from merchantops.workers.schedule import enqueue_due
from tests.factories import Shop, make_onboarded_shop
from tests.inventory import Site, make_site, make_sku, receive

pytestmark = pytest.mark.usefixtures("db")


@pytest.fixture
async def shop(db: str) -> AsyncIterator[Shop]:
    created = await make_onboarded_shop("acme")
    with tenant_scope(created.tenant.id):
        yield created


async def _alerts(rule: str | None = None) -> list[tuple[str, int]]:
    alerts = RiskAlert.all() if rule is None else RiskAlert.filter(rule_id=rule)
    return [(a.dedup_key, a.occurrences) for a in await alerts.order_by("created_at")]


async def _stocked(quantity: int = 10) -> tuple[Sku, Site]:
    sku, site = await make_sku(), await make_site()
    await receive(sku, site.main, quantity)
    await positions.set_reorder_policy(sku.id, site.warehouse.id, safety_stock=5, reorder_point=8)
    return sku, site


@pytest.mark.usefixtures("shop")
async def test_an_allocation_taking_stock_under_safety_raises_one_alert(
    jobs: InProcessQueue,
) -> None:
    sku, site = await _stocked()

    await stock.allocate(sku.id, site.warehouse.id, 6, "order-1")
    await relay_outbox(jobs, jobs.policy)
    await jobs.drain()

    assert await _alerts() == [("stock-below-safety:SKU-1", 1)]
    [alert] = await RiskAlert.all()
    fact: Any = alert.last_fact
    assert (fact["stock"]["below_safety_by"], fact["stock"]["warehouse"]) == (1, "WH1")


@pytest.mark.usefixtures("shop")
async def test_the_periodic_check_alerts_on_stock_under_safety(jobs: InProcessQueue) -> None:
    sku, _ = await _stocked()
    await relay_outbox(jobs, jobs.policy)
    await jobs.drain()
    # stock lost without an event (for instance before the policy existed)
    await StockLevel.filter(sku_id=sku.id).update(on_hand=3)
    assert await _alerts() == []

    await enqueue_due(jobs, jobs.policy)
    await jobs.drain()
    await relay_outbox(jobs, jobs.policy)
    await jobs.drain()

    assert await _alerts("stock-below-safety") == [("stock-below-safety:SKU-1", 1)]
    assert await OutboxEvent.filter(type="inventory.stock_low").count() == 1
    done = await JobRecord.filter(name=CHECK_STOCK, status=JobStatus.SUCCEEDED).count()
    assert done == 1
    # the ledger check job ran in the same schedule and found the write around the ledger
    assert await JobRecord.filter(name=LEDGER_CHECK, status=JobStatus.SUCCEEDED).count() == 1
    assert await RiskAlert.filter(rule_id="inventory-ledger-mismatch").count() == 1


@pytest.mark.usefixtures("shop")
async def test_stock_at_or_below_reorder_point_is_suggested_for_reordering() -> None:
    sku, site = await _stocked(quantity=12)
    other = await make_sku("SKU-2")
    await receive(other, site.main, 30)
    await positions.set_reorder_policy(
        other.id, site.warehouse.id, safety_stock=5, reorder_point=8, reorder_quantity=20
    )

    await stock.allocate(sku.id, site.warehouse.id, 4, "order-1")
    suggestions = await positions.to_reorder()

    assert [(p.sku, p.available, p.suggested_quantity) for p in suggestions] == [("SKU-1", 8, 1)]


@pytest.mark.usefixtures("shop")
async def test_a_policy_with_safety_stock_above_reorder_point_is_refused() -> None:
    sku, site = await make_sku(), await make_site()

    with pytest.raises(Exception, match="at least the safety stock") as refused:
        await positions.set_reorder_policy(
            sku.id, site.warehouse.id, safety_stock=9, reorder_point=3
        )

    assert getattr(refused.value, "code", None) == "INVALID_INPUT"
