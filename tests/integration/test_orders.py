"""Orders' services: placement (pricing, stock reserved FIFO with its lots, idempotency, typed
refusals that write nothing), the status axes, fulfilment, payments and refunds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from merchantops.domain.catalog.models import Sku
from merchantops.domain.governance import approvals
from merchantops.domain.governance.approvals import Actor
from merchantops.domain.governance.models import ApprovalRequest
from merchantops.domain.inventory.errors import InsufficientStock
from merchantops.domain.inventory.models import StockLevel
from merchantops.domain.orders import fulfilment, placement, refunds, transactions
from merchantops.domain.orders.errors import (
    FulfillmentStatusConflict,
    IdempotencyConflict,
    InvalidPrice,
    InvalidQuantity,
    OrderNotCancelable,
    PaymentNotAllowed,
    RefundExceedsCharged,
)
from merchantops.domain.orders.models import (
    FulfillmentOrder,
    FulfillmentStatus,
    Order,
    OrderChannel,
    OrderEvent,
    OrderLine,
    OrderLineLot,
    OrderStatus,
    PaymentTransaction,
    Refund,
    RefundStatus,
)
from merchantops.domain.orders.payments import Kind
from merchantops.domain.orders.placement import LineSpec
from merchantops.domain.orders.policies import SettingsChanges, update_settings
from merchantops.errors import DomainError, NotFound
from merchantops.rules import versions
from merchantops.rules.evaluation import RuleEvaluator
from merchantops.tenants.context import actor_scope, tenant_scope
from merchantops.tenants.models import AuditEntry, OutboxEvent
from merchantops.workers.registry import shared_engine
from tests.factories import make_shop
from tests.inventory import make_sku, totals
from tests.orders import STAFF, make_store, order_spec

pytestmark = pytest.mark.usefixtures("db")


@pytest.fixture
def evaluator() -> RuleEvaluator:
    return RuleEvaluator(shared_engine())


async def _written() -> tuple[int, ...]:
    return (
        await Order.all().count(),
        await OrderLine.all().count(),
        await FulfillmentOrder.all().count(),
        await AuditEntry.all().count(),
        await OutboxEvent.all().count(),
        sum(level.allocated for level in await StockLevel.all()),
    )


async def test_a_placed_order_is_priced_reserved_and_remembers_its_lots(
    evaluator: RuleEvaluator,
) -> None:
    store = await make_store()
    with tenant_scope(store.shop.tenant.id), actor_scope("user:clerk"):
        placed = await placement.place_order(evaluator, STAFF, order_spec(store, 2, 1))
        order = placed.order

        # priced: 3 x 100.00 VAT 13% inclusive, plus 10.00 untaxed shipping
        assert (order.status, order.payment_status, order.currency) == (
            OrderStatus.UNFULFILLED,
            "NONE",
            "CNY",
        )
        assert (order.subtotal, order.tax, order.total) == (
            Decimal("300.00"),
            Decimal("34.51"),  # 200 x .13 / 1.13 = 23.01, 100 x .13 / 1.13 = 11.50
            Decimal("310.00"),
        )
        # reserved in the one warehouse, from the lots received
        assert await totals(store.skus[0], store.site.warehouse) == (10, 2)
        [fulfillment] = await FulfillmentOrder.filter(order_id=order.id)
        assert fulfillment.status is FulfillmentStatus.OPEN
        taken = {(t.lot_id, t.quantity) for t in await OrderLineLot.all()}
        assert taken == {(store.lots[0].id, 2), (store.lots[1].id, 1)}
        # history, audit, event
        assert [e.type for e in await OrderEvent.filter(order_id=order.id)] == ["order.placed"]
        event = await OutboxEvent.get(type="order.placed")
        assert event.payload["number"] == str(order.number)
        assert event.payload["orders_from_address_last_hour"] == 1
        assert "Li Wei" not in str(event.payload)
        assert await AuditEntry.filter(action="order.placed").count() == 1


async def test_a_retried_placement_with_its_key_returns_the_first_order(
    evaluator: RuleEvaluator,
) -> None:
    store = await make_store()
    with tenant_scope(store.shop.tenant.id):
        first = await placement.place_order(
            evaluator, STAFF, order_spec(store, 1, idempotency_key="checkout-1")
        )
        again = await placement.place_order(
            evaluator, STAFF, order_spec(store, 1, idempotency_key="checkout-1")
        )

        assert (first.replayed, again.replayed) == (False, True)
        assert again.order.id == first.order.id
        assert await Order.all().count() == 1
        assert await totals(store.skus[0], store.site.warehouse) == (10, 1)
        with pytest.raises(IdempotencyConflict):
            await placement.place_order(
                evaluator, STAFF, order_spec(store, 2, idempotency_key="checkout-1")
            )


def _nan_price(store: Any) -> Any:
    return order_spec(store, lines=(LineSpec(store.skus[0].id, 1, Decimal("NaN")),))


@pytest.mark.parametrize(
    ("make", "field", "error"),
    [
        (
            lambda s: order_spec(s, lines=(LineSpec(s.skus[0].id, -1),)),
            "lines.0.quantity",
            InvalidQuantity,
        ),
        (
            lambda s: order_spec(s, lines=(LineSpec(s.skus[0].id, Decimal("NaN")),)),
            "lines.0.quantity",
            InvalidQuantity,
        ),
        (
            lambda s: order_spec(s, lines=(LineSpec(s.skus[0].id, Decimal("1.5")),)),
            "lines.0.quantity",
            InvalidQuantity,
        ),
        (_nan_price, "lines.0.unitPrice", InvalidPrice),
        (
            lambda s: order_spec(s, lines=(LineSpec(s.skus[0].id, 1, Decimal("-1")),)),
            "lines.0.unitPrice",
            InvalidPrice,
        ),
        (
            lambda s: order_spec(s, lines=(LineSpec(s.skus[0].id, 1, Decimal("1.001")),)),
            "lines.0.unitPrice",
            InvalidPrice,
        ),
        (lambda s: order_spec(s, 1, shipping=Decimal("Infinity")), "shipping", InvalidPrice),
        (lambda s: order_spec(s, lines=()), "lines", DomainError),
        (lambda s: order_spec(s, 11), "lines.0.quantity", InsufficientStock),
        (lambda s: order_spec(s, 1, email="nope"), "email", DomainError),
    ],
)
async def test_bad_input_is_a_typed_error_and_writes_nothing(
    evaluator: RuleEvaluator, make: Any, field: str, error: type[DomainError]
) -> None:
    store = await make_store()
    with tenant_scope(store.shop.tenant.id):
        before = await _written()
        with pytest.raises(error) as refused:
            await placement.place_order(evaluator, STAFF, make(store))
        assert refused.value.field == field
        assert await _written() == before


async def test_skus_and_customers_of_another_tenant_are_not_found(
    evaluator: RuleEvaluator,
) -> None:
    store = await make_store("acme")
    other = await make_shop("globex")
    with tenant_scope(other.tenant.id):
        foreign = await make_sku("FOREIGN")
    with tenant_scope(store.shop.tenant.id):
        before = await _written()
        with pytest.raises(NotFound) as refused:
            await placement.place_order(
                evaluator, STAFF, order_spec(store, 1, lines=(LineSpec(foreign.id, 1),))
            )
        assert refused.value.field == "lines.0.skuId"
        with pytest.raises(NotFound):
            await placement.place_order(
                evaluator,
                STAFF,
                order_spec(store, 1, customer_id=(await make_store_customer(other))),
            )
        assert await _written() == before


async def make_store_customer(shop: Any) -> Any:
    from merchantops.domain.customers import service as customers

    with tenant_scope(shop.tenant.id):
        return (await customers.create_customer(customers.CustomerSpec("Other"))).id


async def test_a_draft_reserves_nothing_until_completed(evaluator: RuleEvaluator) -> None:
    store = await make_store()
    with tenant_scope(store.shop.tenant.id):
        draft = (
            await placement.place_order(evaluator, STAFF, order_spec(store, 3, draft=True))
        ).order
        assert draft.status is OrderStatus.DRAFT
        assert await totals(store.skus[0], store.site.warehouse) == (10, 0)

        placed, held = await placement.complete_draft(evaluator, STAFF, draft.id)
        assert held is None

        assert placed.status is OrderStatus.UNFULFILLED
        assert await totals(store.skus[0], store.site.warehouse) == (10, 3)


async def test_partner_orders_wait_for_confirmation_and_expire_releasing_stock(
    evaluator: RuleEvaluator,
) -> None:
    store = await make_store()
    with tenant_scope(store.shop.tenant.id):
        order = (
            await placement.place_order(
                evaluator, STAFF, order_spec(store, 4), channel=OrderChannel.PARTNER
            )
        ).order
        assert order.status is OrderStatus.UNCONFIRMED
        assert await totals(store.skus[0], store.site.warehouse) == (10, 4)

        assert await placement.expire_due() == 0  # not yet: 48 hours by default
        assert await placement.expire_due(datetime.now(UTC) + timedelta(hours=49)) == 1

        assert (await Order.get(id=order.id)).status is OrderStatus.EXPIRED
        assert await totals(store.skus[0], store.site.warehouse) == (10, 0)
        assert await OutboxEvent.filter(type="order.expired").count() == 1


async def test_cancel_releases_stock_until_the_first_shipment(evaluator: RuleEvaluator) -> None:
    store = await make_store()
    with tenant_scope(store.shop.tenant.id):
        order = (await placement.place_order(evaluator, STAFF, order_spec(store, 2))).order
        await placement.cancel_order(evaluator, STAFF, order.id, "Customer changed their mind")
        await order.refresh_from_db()
        assert order.status is OrderStatus.CANCELED
        assert await totals(store.skus[0], store.site.warehouse) == (10, 0)

        shipped = (await placement.place_order(evaluator, STAFF, order_spec(store, 1))).order
        [f] = await FulfillmentOrder.filter(order_id=shipped.id)
        await fulfilment.ship(f.id, "SF Express", "SF123")
        with pytest.raises(OrderNotCancelable):
            await placement.cancel_order(evaluator, STAFF, shipped.id, "Too late")


async def test_shipping_takes_stock_out_and_fulfils_the_order_then_it_closes(
    evaluator: RuleEvaluator,
) -> None:
    store = await make_store()
    with tenant_scope(store.shop.tenant.id):
        order = (await placement.place_order(evaluator, STAFF, order_spec(store, 2, 1))).order
        [f] = await FulfillmentOrder.filter(order_id=order.id)
        await fulfilment.hold(f.id, "Address check")
        with pytest.raises(FulfillmentStatusConflict):
            await fulfilment.ship(f.id)
        await fulfilment.release_hold(f.id)
        await fulfilment.start(f.id)
        await fulfilment.ship(f.id, "SF Express", "SF123")

        await order.refresh_from_db()
        assert order.status is OrderStatus.FULFILLED
        assert await totals(store.skus[0], store.site.warehouse) == (8, 0)
        assert await OutboxEvent.filter(type="fulfillment.shipped").count() == 1
        await fulfilment.deliver(f.id)

        assert await placement.close_due() == 0
        assert await placement.close_due(datetime.now(UTC) + timedelta(days=8)) == 1
        assert (await Order.get(id=order.id)).status is OrderStatus.CLOSED


async def test_an_unconfirmed_order_does_not_ship(evaluator: RuleEvaluator) -> None:
    store = await make_store()
    with tenant_scope(store.shop.tenant.id):
        order = (
            await placement.place_order(
                evaluator, STAFF, order_spec(store, 1), channel=OrderChannel.PARTNER
            )
        ).order
        [f] = await FulfillmentOrder.filter(order_id=order.id)
        with pytest.raises(FulfillmentStatusConflict):
            await fulfilment.ship(f.id)
        await placement.confirm_order(order.id)
        await fulfilment.ship(f.id)


async def test_payments_derive_the_status_and_refunds_never_pass_the_charge(
    evaluator: RuleEvaluator,
) -> None:
    store = await make_store()
    with tenant_scope(store.shop.tenant.id):
        order = (await placement.place_order(evaluator, STAFF, order_spec(store, 1))).order
        assert order.total == Decimal("110.00")
        await transactions.record(order.id, Kind.AUTHORIZE, Decimal("110.00"), "auth-1")
        await order.refresh_from_db()
        assert order.payment_status == "AUTHORIZED"
        await transactions.record(order.id, Kind.CHARGE, Decimal("60.00"), "cap-1", "auth-1")
        await order.refresh_from_db()
        assert order.payment_status == "PARTIALLY_PAID"
        await transactions.record(order.id, Kind.CHARGE, Decimal("50.00"), "cap-2", "auth-1")
        await order.refresh_from_db()
        assert (order.payment_status, order.charged) == ("PAID", Decimal("110.00"))
        assert await OutboxEvent.filter(type="order.paid").count() == 1

        refund, held = await refunds.refund_order(
            evaluator,
            STAFF,
            order.id,
            refunds.RefundSpec(
                "r-1", shipping=Decimal("10.00"), adhoc=Decimal("5.00"), reason="late"
            ),
        )
        assert held is None
        assert refund is not None
        assert (refund.status, refund.amount) == (RefundStatus.SUCCESS, Decimal("15.00"))
        await order.refresh_from_db()
        assert order.payment_status == "PARTIALLY_REFUNDED"

        with pytest.raises(RefundExceedsCharged) as refused:
            await refunds.refund_order(
                evaluator, STAFF, order.id, refunds.RefundSpec("r-2", shipping=Decimal("0.01"))
            )
        assert refused.value.field == "shipping"
        line = await OrderLine.get(order_id=order.id)
        with pytest.raises(RefundExceedsCharged) as refused:  # 110 charged, 15 refunded
            await refunds.refund_order(
                evaluator,
                STAFF,
                order.id,
                refunds.RefundSpec("r-3", lines=(refunds.RefundLineSpec(line.id, 1),)),
            )
        assert refused.value.field == "amount"
        refund, _ = await refunds.refund_order(
            evaluator,
            STAFF,
            order.id,
            refunds.RefundSpec("r-4", adhoc=Decimal("95.00"), reason="x"),
        )
        assert refund is not None
        assert refund.status is RefundStatus.SUCCESS
        await order.refresh_from_db()
        assert (order.payment_status, order.refunded) == ("REFUNDED", Decimal("110.00"))
        assert await OutboxEvent.filter(type="refund.succeeded").count() == 2
        assert await Refund.filter(status=RefundStatus.SUCCESS).count() == 2


async def test_a_failed_refund_gives_its_amount_back(evaluator: RuleEvaluator) -> None:
    store = await make_store()
    with tenant_scope(store.shop.tenant.id):
        await update_settings(SettingsChanges(payment_provider="test"))
        order = (await placement.place_order(evaluator, STAFF, order_spec(store, 1))).order
        await transactions.record(order.id, Kind.CHARGE, Decimal("110.00"), "c-1")

        refund, _ = await refunds.refund_order(
            evaluator, STAFF, order.id, refunds.RefundSpec("r-1", adhoc=Decimal("1.13"), reason="x")
        )  # the test provider fails amounts ending .13
        assert refund is not None
        assert refund.status is RefundStatus.FAILURE
        refund, _ = await refunds.refund_order(
            evaluator,
            STAFF,
            order.id,
            refunds.RefundSpec("r-2", adhoc=Decimal("110.00"), reason="x"),
        )
        assert refund is not None
        assert refund.status is RefundStatus.SUCCESS
        await order.refresh_from_db()
        assert order.payment_status == "REFUNDED"


async def test_a_canceled_order_takes_no_payment(evaluator: RuleEvaluator) -> None:
    store = await make_store()
    with tenant_scope(store.shop.tenant.id):
        order = (await placement.place_order(evaluator, STAFF, order_spec(store, 1))).order
        await placement.cancel_order(evaluator, STAFF, order.id, "duplicate")
        with pytest.raises(PaymentNotAllowed):
            await transactions.record(order.id, Kind.CHARGE, Decimal("1.00"), "c-1")
        assert await PaymentTransaction.all().count() == 0
        assert await Refund.all().count() == 0


async def test_each_sku_is_priced_at_its_list_price_unless_given(evaluator: RuleEvaluator) -> None:
    store = await make_store()
    with tenant_scope(store.shop.tenant.id):
        sku = await Sku.get(id=store.skus[0].id)
        spec = order_spec(
            store, lines=(LineSpec(sku.id, 1, Decimal("80.00")), LineSpec(store.skus[1].id, 1))
        )
        order = (await placement.place_order(evaluator, STAFF, spec)).order
        prices = sorted(line.unit_price for line in await OrderLine.filter(order_id=order.id))
        assert prices == [Decimal("80.00"), Decimal("100.00")]


HOLD_LARGE_ORDERS = {
    "kind": "compliance",
    "description": "Large orders wait for finance",
    "rules": [
        {
            "id": "large-order",
            "when": {
                "all": [
                    {"fact": "action", "eq": "order.place"},
                    {"fact": "order.total", "gt": 500},
                ]
            },
            "then": {"outcome": "require_approval", "role": "finance-manager", "reason": "Large"},
        }
    ],
}


async def test_a_placement_held_by_compliance_waits_unconfirmed_for_its_approval(
    evaluator: RuleEvaluator,
) -> None:
    store = await make_store()
    with tenant_scope(store.shop.tenant.id):
        await versions.activate((await versions.create_draft(HOLD_LARGE_ORDERS)).id)
        clerk = Actor(frozenset({"customer-service-staff"}))
        finance = Actor(frozenset({"finance-manager"}))
        with actor_scope("user:clerk"):
            kept = (await placement.place_order(evaluator, clerk, order_spec(store, 6))).order
            dropped = (await placement.place_order(evaluator, clerk, order_spec(store, 0, 6))).order
            small = (await placement.place_order(evaluator, clerk, order_spec(store, 1))).order
        assert (kept.status, dropped.status, small.status) == (
            OrderStatus.UNCONFIRMED,
            OrderStatus.UNCONFIRMED,
            OrderStatus.UNFULFILLED,
        )
        requests = {r.subject_id: r for r in await ApprovalRequest.filter(action="order.place")}
        assert set(requests) == {str(kept.id), str(dropped.id)}

        with actor_scope("user:finance"):
            await approvals.decide(evaluator, finance, requests[str(kept.id)].id, approve=True)
            await approvals.decide(evaluator, finance, requests[str(dropped.id)].id, approve=False)

        assert (await Order.get(id=kept.id)).status is OrderStatus.UNFULFILLED
        assert (await Order.get(id=dropped.id)).status is OrderStatus.CANCELED
        assert await totals(store.skus[1], store.site.warehouse) == (10, 0)  # released
