"""Orders under concurrency, on PostgreSQL: the last units go to one order each and the losers
get OUT_OF_STOCK; one idempotency key makes one order however many retries race; refunds at
once never pass what was charged."""

from __future__ import annotations

import asyncio
from decimal import Decimal

from merchantops.domain.inventory import reconcile
from merchantops.domain.orders import placement, refunds, transactions
from merchantops.domain.orders.models import Order, PaymentTransaction, Refund, RefundStatus
from merchantops.domain.orders.payments import Kind
from merchantops.errors import DomainError
from merchantops.rules.evaluation import RuleEvaluator
from merchantops.tenants.context import tenant_scope
from merchantops.workers.registry import shared_engine
from tests.inventory import totals
from tests.orders import STAFF, make_store, order_spec


def evaluator() -> RuleEvaluator:
    """A rule evaluator of this test's own (its lock belongs to the test's event loop)."""
    return RuleEvaluator(shared_engine())


async def test_twenty_placements_for_the_last_ten_units_place_ten_orders(pg_db: str) -> None:
    store = await make_store(units=10, skus=1)
    with tenant_scope(store.shop.tenant.id):

        async def place(n: int) -> str:
            try:
                await placement.place_order(evaluator(), STAFF, order_spec(store, 1))
            except DomainError as refused:
                return refused.code
            return "PLACED"

        outcomes = await asyncio.gather(*(place(n) for n in range(20)))

        assert sorted(outcomes) == ["OUT_OF_STOCK"] * 10 + ["PLACED"] * 10
        assert await Order.all().count() == 10
        assert await totals(store.skus[0], store.site.warehouse) == (10, 10)
        assert (await reconcile.rebuild()).ok


async def test_retries_racing_with_one_idempotency_key_make_one_order(pg_db: str) -> None:
    store = await make_store(units=10, skus=1)
    with tenant_scope(store.shop.tenant.id):
        spec = order_spec(store, 2, idempotency_key="cart-42")

        placed = await asyncio.gather(
            *(placement.place_order(evaluator(), STAFF, spec) for _ in range(8))
        )

        assert len({p.order.id for p in placed}) == 1
        assert sum(not p.replayed for p in placed) == 1
        assert await Order.all().count() == 1
        assert await totals(store.skus[0], store.site.warehouse) == (10, 2)


async def test_refunds_at_once_never_pass_the_charge(pg_db: str) -> None:
    store = await make_store(units=10, skus=1)
    with tenant_scope(store.shop.tenant.id):
        order = (await placement.place_order(evaluator(), STAFF, order_spec(store, 1))).order
        await transactions.record(order.id, Kind.CHARGE, Decimal("110.00"), "pay-1")

        async def refund(n: int) -> str:
            try:
                done, _ = await refunds.refund_order(
                    evaluator(),
                    STAFF,
                    order.id,
                    refunds.RefundSpec(f"r-{n}", adhoc=Decimal("15.00"), reason="goodwill"),
                )
            except DomainError as refused:
                return refused.code
            assert done is not None
            return done.status.value

        outcomes = await asyncio.gather(*(refund(n) for n in range(12)))

        assert sorted(outcomes) == ["REFUND_EXCEEDS_CHARGED"] * 5 + ["SUCCESS"] * 7
        order = await Order.get(id=order.id)
        assert order.refunded == Decimal("105.00")
        assert order.payment_status == "PARTIALLY_REFUNDED"
        assert await Refund.filter(status=RefundStatus.SUCCESS).count() == 7
        assert await PaymentTransaction.filter(kind="REFUND").count() == 7
