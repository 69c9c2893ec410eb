"""After-sales: returns (RMA) from request to close, dispositions through the stock ledger,
outcomes (store credit, exchange), the quality loop, the standard's compliance and risk
templates on orders and refunds, and an erased customer's orders."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from merchantops.domain.customers import privacy
from merchantops.domain.governance import approvals
from merchantops.domain.governance.approvals import Actor
from merchantops.domain.governance.models import ApprovalRequest, ApprovalStatus, RiskAlert
from merchantops.domain.governance.risk import raise_alerts
from merchantops.domain.inventory.models import StockLevel, StockMovement
from merchantops.domain.orders import (
    fulfilment,
    placement,
    policies,
    quality,
    refunds,
    returns,
    transactions,
)
from merchantops.domain.orders.errors import (
    ReturnNotAllowed,
    ReturnStatusConflict,
    UnknownReturnReason,
)
from merchantops.domain.orders.jobs import on_event
from merchantops.domain.orders.models import (
    Disposition,
    FulfillmentOrder,
    Order,
    OrderEvent,
    OrderLine,
    Refund,
    Return,
    ReturnLine,
    ReturnOutcome,
    ReturnStatus,
    StoreCredit,
)
from merchantops.domain.orders.payments import Kind
from merchantops.errors import InvalidInput
from merchantops.rules import templates
from merchantops.rules.evaluation import RuleEvaluator
from merchantops.tenants.context import actor_scope, tenant_scope
from merchantops.tenants.models import OutboxEvent
from merchantops.workers.registry import shared_engine
from tests.inventory import totals
from tests.orders import STAFF, Store, make_store, order_spec

pytestmark = pytest.mark.usefixtures("db")


def evaluator() -> RuleEvaluator:
    """A rule evaluator of this test's own (its lock belongs to the test's event loop)."""
    return RuleEvaluator(shared_engine())


async def _shipped(store: Store, *quantities: int) -> tuple[Order, list[OrderLine]]:
    order = (await placement.place_order(evaluator(), STAFF, order_spec(store, *quantities))).order
    for f in await FulfillmentOrder.filter(order_id=order.id):
        await fulfilment.ship(f.id)
    lines = list(await OrderLine.filter(order_id=order.id).order_by("position"))
    return order, lines


async def _received(store: Store, quantity: int = 2, reason: str = "damaged") -> Return:
    order, [line, *_] = await _shipped(store, quantity)
    rma = await returns.request_return(
        order.id, (returns.ReturnLineSpec(line.id, quantity, reason, "Box crushed"),)
    )
    await returns.approve_return(rma.id)
    [rline] = await ReturnLine.filter(rma_id=rma.id)
    return await returns.receive_return(rma.id, (returns.ReceivedSpec(rline.id, quantity),))


async def test_a_return_restocks_into_the_lots_it_came_from_through_the_ledger() -> None:
    store = await make_store()
    with tenant_scope(store.shop.tenant.id):
        order, [line] = await _shipped(store, 3)
        assert await totals(store.skus[0], store.site.warehouse) == (7, 0)
        rma = await returns.request_return(
            order.id, (returns.ReturnLineSpec(line.id, 3, "defective", "Does not switch on"),)
        )
        await returns.approve_return(rma.id)
        await returns.mark_in_transit(rma.id, "SF", "SF9")
        [rline] = await ReturnLine.filter(rma_id=rma.id)
        assert rline.lot_id == store.lots[0].id

        # received in two parts; nothing is refunded by receiving
        await returns.receive_return(rma.id, (returns.ReceivedSpec(rline.id, 2),))
        await returns.receive_return(rma.id, (returns.ReceivedSpec(rline.id, 1),))
        assert await Refund.all().count() == 0
        await returns.inspect_return(
            rma.id, (returns.InspectionSpec(rline.id, Disposition.RESTOCK),)
        )

        assert await totals(store.skus[0], store.site.warehouse) == (10, 0)
        level = await StockLevel.get(lot_id=store.lots[0].id)
        assert level.on_hand == 10
        moved = await StockMovement.filter(kind="return").values_list("lot_id", "on_hand_delta")
        assert moved == [(store.lots[0].id, 3)]
        closed = await returns.close_return(evaluator(), STAFF, rma.id)
        assert closed.status is ReturnStatus.CLOSED
        kinds = [e.type for e in await OutboxEvent.filter(type__startswith="return.")]
        assert sorted(kinds) == sorted(
            [
                "return.requested",
                "return.approved",
                "return.in_transit",
                "return.received",
                "return.received",
                "return.inspected",
                "return.closed",
            ]
        )


async def test_a_refund_for_the_return_is_separate_and_linked() -> None:
    store = await make_store()
    with tenant_scope(store.shop.tenant.id):
        rma = await _received(store, 2)
        order = await Order.get(id=rma.order_id)
        await transactions.record(order.id, Kind.CHARGE, Decimal(order.total), "pay")
        line = await OrderLine.get(order_id=order.id)
        refund, _ = await refunds.refund_order(
            evaluator(),
            STAFF,
            order.id,
            refunds.RefundSpec("r", lines=(refunds.RefundLineSpec(line.id, 2),), return_id=rma.id),
        )
        assert refund is not None
        assert (refund.amount, refund.return_id) == (Decimal("200.00"), rma.id)


@pytest.mark.parametrize(
    ("disposition", "in_stock"), [(Disposition.SCRAP, 8), (Disposition.QUARANTINE, 8)]
)
async def test_scrapped_or_quarantined_goods_stay_out_of_stock(
    disposition: Disposition, in_stock: int
) -> None:
    store = await make_store()
    with tenant_scope(store.shop.tenant.id):
        rma = await _received(store, 2)
        [rline] = await ReturnLine.filter(rma_id=rma.id)
        await returns.inspect_return(rma.id, (returns.InspectionSpec(rline.id, disposition),))
        assert await totals(store.skus[0], store.site.warehouse) == (in_stock, 0)
        assert (await ReturnLine.get(id=rline.id)).disposition is disposition


async def test_a_return_to_supplier_names_the_lot_and_its_supplier() -> None:
    store = await make_store()
    with tenant_scope(store.shop.tenant.id):
        rma = await _received(store, 1)
        [rline] = await ReturnLine.filter(rma_id=rma.id)
        await returns.inspect_return(
            rma.id, (returns.InspectionSpec(rline.id, Disposition.RETURN_TO_SUPPLIER, note="RTV"),)
        )
        rline = await ReturnLine.get(id=rline.id)
        assert (rline.disposition, rline.lot_id) == (
            Disposition.RETURN_TO_SUPPLIER,
            store.lots[0].id,
        )


async def test_what_cannot_be_returned_is_refused_and_writes_nothing() -> None:
    store = await make_store()
    with tenant_scope(store.shop.tenant.id):
        unshipped = (await placement.place_order(evaluator(), STAFF, order_spec(store, 1))).order
        [unshipped_line] = await OrderLine.filter(order_id=unshipped.id)
        with pytest.raises(ReturnNotAllowed):
            await returns.request_return(
                unshipped.id, (returns.ReturnLineSpec(unshipped_line.id, 1, "damaged"),)
            )
        order, [line, other] = await _shipped(store, 2, 1)
        with pytest.raises(ReturnNotAllowed) as refused:  # more than shipped
            await returns.request_return(order.id, (returns.ReturnLineSpec(line.id, 3, "damaged"),))
        assert refused.value.field == "lines.0.quantity"
        with pytest.raises(UnknownReturnReason):
            await returns.request_return(order.id, (returns.ReturnLineSpec(line.id, 1, "bored"),))
        await policies.set_sku_policy(store.skus[1].id, returnable=False)
        with pytest.raises(ReturnNotAllowed) as refused:
            await returns.request_return(
                order.id, (returns.ReturnLineSpec(other.id, 1, "changed_mind"),)
            )
        assert refused.value.field == "lines.0.orderLineId"
        await FulfillmentOrder.filter(order_id=order.id).update(
            shipped_at=datetime.now(UTC) - timedelta(days=8)
        )
        with pytest.raises(ReturnNotAllowed):  # the 7-day window has lapsed
            await returns.request_return(order.id, (returns.ReturnLineSpec(line.id, 1, "damaged"),))
        assert await Return.all().count() == 0


async def test_a_declined_return_frees_its_units_and_cannot_be_received() -> None:
    store = await make_store()
    with tenant_scope(store.shop.tenant.id):
        order, [line] = await _shipped(store, 2)
        rma = await returns.request_return(
            order.id, (returns.ReturnLineSpec(line.id, 2, "damaged"),)
        )
        await returns.decline_return(rma.id, "Used and worn")
        [rline] = await ReturnLine.filter(rma_id=rma.id)
        with pytest.raises(ReturnStatusConflict):
            await returns.receive_return(rma.id, (returns.ReceivedSpec(rline.id, 1),))
        assert (await OrderLine.get(id=line.id)).quantity_returned == 0
        again = await returns.request_return(
            order.id, (returns.ReturnLineSpec(line.id, 2, "damaged"),)
        )
        assert again.status is ReturnStatus.REQUESTED


async def test_every_received_line_needs_a_disposition() -> None:
    store = await make_store()
    with tenant_scope(store.shop.tenant.id):
        rma = await _received(store, 2)
        with pytest.raises(InvalidInput):
            await returns.inspect_return(rma.id, ())


async def test_store_credit_and_exchange_outcomes_on_close() -> None:
    store = await make_store()
    with tenant_scope(store.shop.tenant.id):
        order, [line] = await _shipped(store, 2)
        credit = await returns.request_return(
            order.id,
            (returns.ReturnLineSpec(line.id, 1, "changed_mind"),),
            ReturnOutcome.STORE_CREDIT,
        )
        swap = await returns.request_return(
            order.id, (returns.ReturnLineSpec(line.id, 1, "wrong_item"),), ReturnOutcome.EXCHANGE
        )
        for rma in (credit, swap):
            await returns.approve_return(rma.id)
            [rline] = await ReturnLine.filter(rma_id=rma.id)
            await returns.receive_return(rma.id, (returns.ReceivedSpec(rline.id, 1),))
            await returns.inspect_return(
                rma.id, (returns.InspectionSpec(rline.id, Disposition.RESTOCK),)
            )
            await returns.close_return(evaluator(), STAFF, rma.id)

        assert await returns.store_credit_balance(store.customer.id) == Decimal("100.00")
        assert (await StoreCredit.get()).return_id == credit.id
        swap = await Return.get(id=swap.id)
        replacement = await Order.get(id=swap.replacement_order_id)
        assert (replacement.exchange_for_return_id, replacement.total) == (swap.id, Decimal(0))
        assert replacement.ship_line1 == "88 Nanjing Road"
        assert replacement.status.value == "UNFULFILLED"


async def test_returns_of_one_sku_for_one_reason_past_the_threshold_raise_a_quality_alert() -> None:
    store = await make_store(units=50)
    with tenant_scope(store.shop.tenant.id):
        await policies.update_settings(policies.SettingsChanges(quality_return_threshold=4))
        await _received(store, 2)
        assert await quality.check(store.skus[0].id, "damaged") is None
        await _received(store, 2)
        event = await OutboxEvent.filter(type="return.received").order_by("-created_at").first()
        assert event is not None

        await on_event(None)(None, {"event_id": str(event.id)})  # type: ignore[arg-type]

        alert = await RiskAlert.get(rule_id=quality.RULE)
        assert alert.severity == "high"
        fact: dict[str, Any] = alert.last_fact
        assert fact["returned_units"] == 4
        assert fact["lots"] == [{"id": str(store.lots[0].id), "trace_code": "LOT-acme-1"}]
        assert fact["sku"]["code"] == "SKU-1"
        assert await quality.check(store.skus[1].id, "damaged") is None


async def test_the_standards_refund_rules_hold_large_refunds_and_refuse_ones_own() -> None:
    store = await make_store(units=30)
    with tenant_scope(store.shop.tenant.id):
        await templates.install()
        with actor_scope("user:clerk"):
            order = (
                await placement.place_order(evaluator(), STAFF, order_spec(store, 25, 25))
            ).order
            await transactions.record(order.id, Kind.CHARGE, Decimal(order.total), "pay")
            from merchantops.domain.governance.errors import ComplianceDenied

            with pytest.raises(ComplianceDenied):  # the clerk placed it
                await refunds.refund_order(
                    evaluator(),
                    STAFF,
                    order.id,
                    refunds.RefundSpec("own", adhoc=Decimal(5), reason="x"),
                )
        with actor_scope("user:agent"):
            agent = Actor(frozenset({"customer-service-staff"}))
            refund, held = await refunds.refund_order(
                evaluator(),
                agent,
                order.id,
                refunds.RefundSpec("big", adhoc=Decimal("2500.00"), reason="damaged batch"),
            )
            assert refund is None
            assert held is not None
            assert held.role == "finance-manager"
            assert await Refund.all().count() == 0
            small, none = await refunds.refund_order(
                evaluator(),
                agent,
                order.id,
                refunds.RefundSpec("small", adhoc=Decimal(50), reason="x"),
            )
            assert small is not None
            assert none is None
        with actor_scope("user:finance"):
            await approvals.decide(
                evaluator(), Actor(frozenset({"finance-manager"})), held.id, approve=True
            )
        assert (await ApprovalRequest.get(id=held.id)).status is ApprovalStatus.APPROVED
        big = await Refund.get(idempotency_key="big")
        assert (big.amount, big.status.value) == (Decimal("2500.00"), "SUCCESS")


async def test_the_risk_template_flags_many_orders_to_one_address_within_an_hour() -> None:
    store = await make_store(units=20, skus=1)
    with tenant_scope(store.shop.tenant.id):
        await templates.install()
        for _ in range(6):
            await placement.place_order(evaluator(), STAFF, order_spec(store, 1))
        events = await OutboxEvent.filter(type="order.placed").order_by("created_at")
        for event in events:
            await raise_alerts(evaluator(), event)

        [alert] = await RiskAlert.filter(rule_id="many-orders-one-address")
        assert alert.last_fact["orders_from_address_last_hour"] == 6


async def test_an_erased_customers_orders_are_exported_then_kept_without_personal_data() -> None:
    store = await make_store()
    with tenant_scope(store.shop.tenant.id):
        order = (
            await placement.place_order(
                evaluator(), STAFF, order_spec(store, 1, email="li.wei@example.com", note="Call Li")
            )
        ).order
        await placement.add_note(order.id, "Li prefers mornings")
        document = await privacy.export_customer(store.customer.id)
        [exported] = document["orders"]
        assert exported["email"] == "li.wei@example.com"
        assert exported["address"].startswith("Li Wei, 88 Nanjing Road")
        assert exported["note"] == "Call Li\nLi prefers mornings"

        await privacy.erase_customer(evaluator(), STAFF, store.customer.id)

        kept = await Order.get(id=order.id)
        assert (kept.email, kept.ship_line1, kept.ship_recipient, kept.note) == (
            "",
            "",
            "erased",
            "",
        )
        assert (kept.total, kept.ship_city) == (Decimal("110.00"), "Shanghai")
        assert [e.message for e in await OrderEvent.filter(order_id=order.id)] == ["", ""]
