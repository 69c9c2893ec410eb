"""The demo tenant's customer orders, in every state, with a return and refunds.

Placed by the customer-service agent (staff orders) or the storefront (partner orders), shipped
by the warehouse clerk, refunded by finance (the standard's rules let nobody refund an order
they placed). From CENTRAL (coffee) and EAST (bottles), after inventory's own demo movements.

    #1 CLOSED        Chen Jing, delivered, paid, its return window over
    #2 EXPIRED       Hana Sato (storefront), never confirmed, its stock released
    #3 FULFILLED     Alice Moreau, paid, a damaged bag returned, restocked and refunded
    #4 PARTIALLY_FULFILLED  Emma Schulz, coffee shipped from CENTRAL, bottles waiting at EAST
    #5 UNFULFILLED   Ben Okafor, authorized, its fulfilment on hold (address check)
    #6 CANCELED      Gus Peterson, changed his mind
    #7 UNCONFIRMED   Hana Sato (storefront), waiting for confirmation
    #8 DRAFT         Diego Alvarez, a quote
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import UUID

from merchantops.domain.catalog.models import Sku
from merchantops.domain.customers.models import Customer, CustomerAddress
from merchantops.domain.customers.service import AddressSpec
from merchantops.domain.orders import (
    fulfilment,
    placement,
    policies,
    refunds,
    returns,
    transactions,
)
from merchantops.domain.orders.models import (
    Disposition,
    FulfillmentOrder,
    Order,
    OrderChannel,
    OrderLine,
    ReturnLine,
)
from merchantops.domain.orders.payments import Kind
from merchantops.domain.seeding import AGENT, CLERK, FINANCE, Seed
from merchantops.tenants.context import actor_scope

STOREFRONT = "api_key:demo-storefront"


async def _customer(email: str) -> tuple[UUID, AddressSpec]:
    customer = await Customer.get(email=email)
    address = await CustomerAddress.filter(customer_id=customer.id, is_default=True).first()
    assert address is not None
    return customer.id, AddressSpec(
        address.recipient,
        address.line1,
        address.city,
        address.country,
        postal_code=address.postal_code,
        phone=address.phone,
    )


async def _place(
    seed: Seed, email: str, lines: list[tuple[str, int]], *, partner: bool = False, **more: object
) -> Order:
    skus = {s.code: s.id for s in await Sku.filter(code__in=[code for code, _ in lines])}
    customer_id, address = await _customer(email)
    spec = placement.OrderSpec(
        lines=tuple(placement.LineSpec(skus[code], quantity) for code, quantity in lines),
        customer_id=customer_id,
        email=email,
        shipping_address=address,
        shipping=Decimal("12.00"),
        **more,  # type: ignore[arg-type]
    )
    actor = Seed.governance_actor(AGENT)
    if partner:
        with actor_scope(STOREFRONT):
            placed = await placement.place_order(
                seed.evaluator, actor, spec, channel=OrderChannel.PARTNER
            )
    else:
        with seed.as_(AGENT):
            placed = await placement.place_order(seed.evaluator, actor, spec)
    return placed.order


async def _ship_all(seed: Seed, order: Order, *, deliver: bool = False) -> None:
    with seed.as_(CLERK):
        for f in await FulfillmentOrder.filter(order_id=order.id).order_by("created_at"):
            await fulfilment.ship(f.id, "SF Express", f"SF{order.number:06d}{str(f.id)[:4]}")
            if deliver:
                await fulfilment.deliver(f.id)


async def _charge(seed: Seed, order: Order) -> None:
    with seed.as_(AGENT):
        total = (await Order.get(id=order.id)).total
        await transactions.record(order.id, Kind.CHARGE, Decimal(total), f"demo-pay-{order.number}")


async def activity(seed: Seed) -> None:
    now = datetime.now(UTC)
    # 1: closed, once its return window has passed
    closed = await _place(seed, "chen.jing@example.com", [("COF-COL-250", 2)])
    await _charge(seed, closed)
    await _ship_all(seed, closed, deliver=True)
    settings = await policies.order_settings()
    await placement.close_due(now + timedelta(days=settings.return_window_days + 1))

    # 2: a storefront order nobody confirmed, expired and its stock released
    await _place(seed, "hana.sato@example.com", [("BOTTLE-500", 1)], partner=True)
    await placement.expire_due(now + timedelta(hours=settings.expire_unconfirmed_after_hours + 1))

    # 3: fulfilled and paid; a bag arrived damaged: returned, restocked, refunded
    alice = await _place(seed, "alice.moreau@example.com", [("COF-COL-250", 3), ("BOTTLE-500", 1)])
    await _charge(seed, alice)
    await _ship_all(seed, alice, deliver=True)
    coffee = await OrderLine.get(order_id=alice.id, sku_code="COF-COL-250")
    with seed.as_(AGENT):
        rma = await returns.request_return(
            alice.id,
            (returns.ReturnLineSpec(coffee.id, 1, "damaged", "Bag torn, beans spilled"),),
            note="Customer sent photos",
        )
        await returns.approve_return(rma.id)
        await returns.mark_in_transit(rma.id, "SF Express", "SFR0001")
    [line] = await ReturnLine.filter(rma_id=rma.id)
    with seed.as_(CLERK):
        await returns.receive_return(rma.id, (returns.ReceivedSpec(line.id, 1),))
        await returns.inspect_return(
            rma.id, (returns.InspectionSpec(line.id, Disposition.RESTOCK, note="Repacked"),)
        )
    with seed.as_(FINANCE):
        finance = Seed.governance_actor(FINANCE)
        await refunds.refund_order(
            seed.evaluator,
            finance,
            alice.id,
            refunds.RefundSpec(
                "demo-refund-1", lines=(refunds.RefundLineSpec(coffee.id, 1),), return_id=rma.id
            ),
        )
        await returns.close_return(seed.evaluator, finance, rma.id)
        await refunds.refund_order(
            seed.evaluator,
            finance,
            alice.id,
            refunds.RefundSpec(
                "demo-refund-2", adhoc=Decimal("5.00"), reason="Apology for the delay"
            ),
        )

    # 4: coffee shipped from CENTRAL, the bottles still at EAST
    emma = await _place(seed, "emma.schulz@example.com", [("COF-COL-250", 1), ("BOTTLE-500", 2)])
    await _charge(seed, emma)
    central = await FulfillmentOrder.filter(order_id=emma.id).order_by("created_at")
    with seed.as_(CLERK):
        for f in central:
            warehouse = await f.warehouse
            if warehouse.code == "CENTRAL":
                await fulfilment.ship(f.id, "SF Express", "SF-EMMA-1")

    # 5: authorized, its fulfilment held for an address check
    ben = await _place(seed, "ben.okafor@example.com", [("COF-COL-250", 2)])
    with seed.as_(AGENT):
        total = (await Order.get(id=ben.id)).total
        await transactions.record(ben.id, Kind.AUTHORIZE, Decimal(total), "demo-auth-5")
    with seed.as_(CLERK):
        [f] = await FulfillmentOrder.filter(order_id=ben.id)
        await fulfilment.hold(f.id, "Address check: the postcode does not match the city")

    # 6: canceled before shipping
    gus = await _place(seed, "gus.peterson@example.com", [("BOTTLE-500", 1)])
    with seed.as_(AGENT):
        await placement.cancel_order(
            seed.evaluator, Seed.governance_actor(AGENT), gus.id, "Customer changed his mind"
        )
        await placement.add_note(gus.id, "Gus called: ordered the wrong size")

    # 7: a storefront order waiting for confirmation; 8: a draft quote
    await _place(
        seed,
        "hana.sato@example.com",
        [("COF-COL-250", 1)],
        partner=True,
        idempotency_key="cart-hana-2",
    )
    await _place(seed, "diego.alvarez@example.com", [("COF-COL-250", 5)], draft=True)


__all__ = ["activity"]
