"""Purchase orders through their workflow, with compliance at submit and approve."""

from __future__ import annotations

from decimal import Decimal

import pytest

from merchantops.domain.governance import approvals
from merchantops.domain.governance.approvals import Actor
from merchantops.domain.governance.errors import ComplianceDenied, SelfApproval
from merchantops.domain.governance.models import ApprovalRequest, ApprovalStatus
from merchantops.domain.inventory import warehouses
from merchantops.domain.inventory.models import Lot, StockLevel, StockMovement
from merchantops.domain.purchasing import errors
from merchantops.domain.purchasing import service as po
from merchantops.domain.purchasing.models import (
    PoStatus,
    PurchaseOrder,
    PurchaseOrderLine,
    ReceivedLot,
)
from merchantops.domain.suppliers.models import Grade
from merchantops.errors import InvalidInput, PermissionDenied
from merchantops.rules.evaluation import RuleEvaluator
from merchantops.tenants.context import actor_scope, tenant_scope
from merchantops.tenants.models import AuditEntry, OutboxEvent
from merchantops.workers.registry import shared_engine
from tests.factories import Catalog, Shop, make_catalog, make_onboarded_shop

pytestmark = pytest.mark.usefixtures("db")

BUYER = Actor(frozenset({"supply-chain-staff"}))
FINANCE = Actor(frozenset({"finance-manager", "finance-staff"}))


@pytest.fixture
def evaluator() -> RuleEvaluator:
    return RuleEvaluator(shared_engine())


async def _order(catalog: Catalog, quantity: int, unit_cost: str = "10.00") -> PurchaseOrder:
    return await po.create(
        catalog.supplier.id,
        catalog.warehouse.id,
        [po.LineSpec(catalog.skus[0].id, quantity, Decimal(unit_cost))],
        terms=po.Terms(payment_terms="30 days net", penalty_terms="1% per day late"),
    )


async def _setup(grade: Grade = Grade.B) -> tuple[Shop, Catalog]:
    shop = await make_onboarded_shop("acme")
    return shop, await make_catalog(shop, grade=grade)


async def test_small_order_runs_from_draft_to_closed_and_receiving_makes_lots(
    evaluator: RuleEvaluator,
) -> None:
    shop, catalog = await _setup()
    with tenant_scope(shop.tenant.id), actor_scope("user:buyer"):
        order = await _order(catalog, 100)
        assert (order.number, order.total) == ("PO-000001", Decimal("1000.00"))
        assert (await po.submit(evaluator, BUYER, order.id)).order.status is PoStatus.SUBMITTED
        assert (await po.approve(evaluator, FINANCE, order.id)).order.status is PoStatus.APPROVED
        line = await PurchaseOrderLine.get(purchase_order_id=order.id)

        await po.receive(order.id, [po.ReceiptLine(line.id, 40, trace_code="QC-0001")])
        assert (await PurchaseOrder.get(id=order.id)).status is PoStatus.PARTIALLY_RECEIVED
        await po.receive(order.id, [po.ReceiptLine(line.id, 60)])
        assert (await PurchaseOrder.get(id=order.id)).status is PoStatus.RECEIVED
        closed = await po.close(order.id)

        lot = await Lot.get(trace_code="QC-0001")
        provenance = await ReceivedLot.get(lot_id=lot.id)
        levels = await StockLevel.filter(sku_id=catalog.skus[0].id)
        movements = await StockMovement.filter(sku_id=catalog.skus[0].id)

    assert closed.status is PoStatus.CLOSED
    assert (lot.supplier_id, provenance.purchase_order_id, lot.quantity) == (
        catalog.supplier.id,
        order.id,
        40,
    )
    assert provenance.receipt_id is not None
    assert sorted(level.on_hand for level in levels) == [40, 60]
    assert sorted(m.on_hand_delta for m in movements) == [40, 60]


async def test_po_to_grade_d_supplier_is_refused_and_writes_nothing(
    evaluator: RuleEvaluator,
) -> None:
    shop, catalog = await _setup(Grade.D)
    with tenant_scope(shop.tenant.id):
        order = await _order(catalog, 5)
        audit_before = await AuditEntry.all().count()
        events_before = await OutboxEvent.all().count()

        with pytest.raises(ComplianceDenied) as refused:
            await po.submit(evaluator, BUYER, order.id)

        after = await PurchaseOrder.get(id=order.id)
        assert await AuditEntry.all().count() == audit_before
        assert await OutboxEvent.all().count() == events_before
        assert await ApprovalRequest.all().count() == 0
    assert refused.value.rule == "no-po-to-grade-d"
    assert (after.status, after.submitted_at, after.pending_approval_id) == (
        PoStatus.DRAFT,
        None,
        None,
    )


async def test_large_po_waits_for_finance_then_applies_on_approval(
    evaluator: RuleEvaluator,
) -> None:
    shop, catalog = await _setup()
    with tenant_scope(shop.tenant.id):
        with actor_scope("user:buyer"):
            order = await _order(catalog, 6000)  # 60,000
            waiting = await po.submit(evaluator, BUYER, order.id)
            assert waiting.approval is not None
            assert (waiting.order.status, waiting.approval.role) == (
                PoStatus.AWAITING_APPROVAL,
                "finance-manager",
            )
            with pytest.raises(errors.AwaitingApproval):
                await po.submit(evaluator, BUYER, order.id)
            with pytest.raises(PermissionDenied):
                await approvals.decide(evaluator, BUYER, waiting.approval.id, approve=True)

        with actor_scope("user:finance"):
            decided = await approvals.decide(
                evaluator, FINANCE, waiting.approval.id, approve=True, comment="budgeted"
            )
            submitted = await PurchaseOrder.get(id=order.id)
            # The finance manager holds the role the approve step asks for: no second wait.
            approved = await po.approve(evaluator, FINANCE, order.id)

    assert decided.status is ApprovalStatus.APPROVED
    assert (submitted.status, submitted.pending_approval_id) == (PoStatus.SUBMITTED, None)
    assert approved.approval is None
    assert approved.order.status is PoStatus.APPROVED


async def test_rejected_approval_unlocks_the_draft(evaluator: RuleEvaluator) -> None:
    shop, catalog = await _setup()
    with tenant_scope(shop.tenant.id):
        with actor_scope("user:buyer"):
            order = await _order(catalog, 6000)
            waiting = await po.submit(evaluator, BUYER, order.id)
        assert waiting.approval is not None
        with actor_scope("user:finance"):
            await approvals.decide(evaluator, FINANCE, waiting.approval.id, approve=False)
        after = await PurchaseOrder.get(id=order.id)
    assert (after.status, after.pending_approval_id) == (PoStatus.DRAFT, None)


async def test_nobody_approves_their_own_request(evaluator: RuleEvaluator) -> None:
    shop, catalog = await _setup()
    with tenant_scope(shop.tenant.id), actor_scope("user:same"):
        order = await _order(catalog, 6000)
        waiting = await po.submit(evaluator, BUYER, order.id)
        assert waiting.approval is not None
        with pytest.raises(SelfApproval):
            await approvals.decide(evaluator, FINANCE, waiting.approval.id, approve=True)


async def test_approval_is_refused_when_the_supplier_fell_to_grade_d_meanwhile(
    evaluator: RuleEvaluator,
) -> None:
    shop, catalog = await _setup()
    with tenant_scope(shop.tenant.id):
        with actor_scope("user:buyer"):
            order = await _order(catalog, 6000)
            waiting = await po.submit(evaluator, BUYER, order.id)
        assert waiting.approval is not None
        catalog.supplier.grade = Grade.D
        await catalog.supplier.save()
        with actor_scope("user:finance"), pytest.raises(ComplianceDenied):
            await approvals.decide(evaluator, FINANCE, waiting.approval.id, approve=True)
        request = await ApprovalRequest.get(id=waiting.approval.id)
        after = await PurchaseOrder.get(id=order.id)
    assert request.status is ApprovalStatus.PENDING
    assert after.status is PoStatus.AWAITING_APPROVAL


async def test_receiving_more_than_ordered_is_refused_and_writes_nothing(
    evaluator: RuleEvaluator,
) -> None:
    shop, catalog = await _setup()
    with tenant_scope(shop.tenant.id):
        order = await _order(catalog, 10)
        await po.submit(evaluator, BUYER, order.id)
        await po.approve(evaluator, FINANCE, order.id)
        line = await PurchaseOrderLine.get(purchase_order_id=order.id)
        with pytest.raises(InvalidInput) as refused:
            await po.receive(order.id, [po.ReceiptLine(line.id, 11)])
        assert await Lot.all().count() == 0
        assert await StockMovement.all().count() == 0
    assert refused.value.field == "lines.0.quantity"


async def test_cancelled_order_lets_its_pending_approval_lapse(evaluator: RuleEvaluator) -> None:
    shop, catalog = await _setup()
    with tenant_scope(shop.tenant.id), actor_scope("user:buyer"):
        order = await _order(catalog, 6000)
        waiting = await po.submit(evaluator, BUYER, order.id)
        cancelled = await po.cancel(order.id)
        assert waiting.approval is not None
        request = await ApprovalRequest.get(id=waiting.approval.id)
        with pytest.raises(errors.InvalidTransition):
            await po.cancel(order.id)
    assert cancelled.status is PoStatus.CANCELLED
    assert request.status is ApprovalStatus.CANCELLED


async def test_bad_lines_are_refused_with_the_field_named() -> None:
    shop, catalog = await _setup()
    with tenant_scope(shop.tenant.id):
        with pytest.raises(InvalidInput) as empty:
            await po.create(catalog.supplier.id, catalog.warehouse.id, [])
        with pytest.raises(InvalidInput) as negative:
            await po.create(
                catalog.supplier.id,
                catalog.warehouse.id,
                [po.LineSpec(catalog.skus[0].id, 0, Decimal("1"))],
            )
        assert await PurchaseOrder.all().count() == 0
    assert (empty.value.field, negative.value.field) == ("lines", "lines.0.quantity")


async def test_rejected_approve_step_puts_the_order_back_to_submitted(
    evaluator: RuleEvaluator,
) -> None:
    shop, catalog = await _setup()
    with tenant_scope(shop.tenant.id):
        with actor_scope("user:finance"):
            order = await _order(catalog, 6000)
            await po.submit(evaluator, FINANCE, order.id)  # finance holds the role: no wait
        with actor_scope("user:buyer"):
            waiting = await po.approve(evaluator, BUYER, order.id)
        assert waiting.approval is not None
        held = waiting.order.status
        with actor_scope("user:finance"):
            await approvals.decide(evaluator, FINANCE, waiting.approval.id, approve=False)
        after = await PurchaseOrder.get(id=order.id)
    assert held is PoStatus.AWAITING_APPROVAL
    assert (after.status, after.pending_approval_id) == (PoStatus.SUBMITTED, None)


async def test_receiving_without_a_zone_puts_goods_in_the_main_zone(
    evaluator: RuleEvaluator,
) -> None:
    shop, catalog = await _setup()
    with tenant_scope(shop.tenant.id), actor_scope("user:buyer"):
        # "COLD" sorts before "MAIN": the default must not be the first zone by code.
        cold = await warehouses.create_zone(catalog.warehouse.id, "COLD", "Cold room")
        order = await _order(catalog, 5)
        await po.submit(evaluator, BUYER, order.id)
        await po.approve(evaluator, FINANCE, order.id)
        line = await PurchaseOrderLine.get(purchase_order_id=order.id)
        await po.receive(order.id, [po.ReceiptLine(line.id, 5)])
        [level] = await StockLevel.filter(sku_id=catalog.skus[0].id).prefetch_related("zone")
    assert level.zone.code == "MAIN"
    assert level.zone_id != cold.id
