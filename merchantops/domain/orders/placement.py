"""Placing orders, and the order's own status: confirm, cancel, expire, close.

    order, replayed = await place_order(evaluator, actor, spec, channel=OrderChannel.STAFF)

Placement is one transaction: the lines are priced by `pricing.price_order` (the tenant's tax
rates, each SKU's tax category), the tenant's compliance rules asked (`order.place`: deny
refuses it, require-approval places it UNCONFIRMED until approved), and, unless it is a draft,
each line's units reserved with inventory's FIFO allocation in one warehouse (the first, by
code, that holds every line, else per line the first that holds it), grouped into one
fulfilment order per warehouse, the lots taken remembered (`OrderLineLot`). `OUT_OF_STOCK`
names the line no warehouse can serve; nothing is written then.

Idempotency: a placement with an idempotency key the tenant used before answers the order it
made (`replayed`) when the request is the same, `IDEMPOTENCY_CONFLICT` when it differs; two at
once with one key make one order (the loser's insert meets the unique key, and it answers the
winner's order).

Concurrency: reservations lock the stock levels they read (`stock.allocate`), lines in SKU
order so two placements never wait on each other in a circle: the last units go to one order,
the other gets `OUT_OF_STOCK`.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, cast
from uuid import UUID, uuid4

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from merchantops.domain.catalog.models import Sku
from merchantops.domain.customers.service import AddressSpec, live_customer
from merchantops.domain.governance import approvals
from merchantops.domain.governance.approvals import Actor
from merchantops.domain.inventory import stock
from merchantops.domain.inventory.errors import InsufficientStock
from merchantops.domain.inventory.models import StockLevel, Warehouse
from merchantops.domain.inventory.warehouses import get_warehouse
from merchantops.domain.orders import history, policies
from merchantops.domain.orders.errors import (
    IdempotencyConflict,
    OrderNotCancelable,
    OrderStatusConflict,
)
from merchantops.domain.orders.models import (
    FulfillmentLine,
    FulfillmentOrder,
    FulfillmentStatus,
    Order,
    OrderChannel,
    OrderLine,
    OrderLineLot,
    OrderStatus,
)
from merchantops.domain.orders.pricing import (
    Discount,
    LineInput,
    OrderInput,
    PricedOrder,
    TaxRate,
    price_order,
)
from merchantops.domain.values import email_address, phone_number, text
from merchantops.errors import InvalidInput, NotFound
from merchantops.rules.evaluation import RuleEvaluator
from merchantops.tenants import audit, outbox
from merchantops.tenants.audit import canonical_json
from merchantops.tenants.context import current_actor
from merchantops.tenants.sequences import next_value

PLACE, CANCEL = "order.place", "order.cancel"
MAX_LINES = 200
ADDRESS_WINDOW = timedelta(hours=1)
LIVE_FULFILLMENT = (
    FulfillmentStatus.OPEN,
    FulfillmentStatus.ON_HOLD,
    FulfillmentStatus.IN_PROGRESS,
)


@dataclass(frozen=True, slots=True)
class LineSpec:
    sku_id: UUID
    quantity: Decimal | int
    unit_price: Decimal | None = None  # None: the SKU's list price
    discounts: tuple[Discount, ...] = ()


@dataclass(frozen=True, slots=True)
class OrderSpec:
    lines: tuple[LineSpec, ...]
    customer_id: UUID | None = None
    email: str = ""
    phone: str = ""
    shipping_address: AddressSpec | None = None
    shipping: Decimal = Decimal(0)
    shipping_tax_category: str | None = None
    discounts: tuple[Discount, ...] = ()
    note: str = ""
    warehouse_id: UUID | None = None
    draft: bool = False
    idempotency_key: str | None = None
    exchange_for_return_id: UUID | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Placed:
    order: Order
    replayed: bool


def request_hash(spec: OrderSpec) -> str:
    """What an idempotency key stands for: the request's content, canonical."""
    content = {
        "lines": [
            [str(line.sku_id), str(line.quantity), str(line.unit_price), _discounts(line.discounts)]
            for line in spec.lines
        ],
        "customer": str(spec.customer_id),
        "email": spec.email,
        "phone": spec.phone,
        "address": None if spec.shipping_address is None else vars_of(spec.shipping_address),
        "shipping": str(spec.shipping),
        "shipping_tax_category": spec.shipping_tax_category,
        "discounts": _discounts(spec.discounts),
        "note": spec.note,
        "warehouse": str(spec.warehouse_id),
        "draft": spec.draft,
    }
    return hashlib.sha256(canonical_json(content).encode()).hexdigest()


def vars_of(spec: AddressSpec) -> dict[str, Any]:
    return {name: getattr(spec, name) for name in AddressSpec.__dataclass_fields__}


def _discounts(discounts: tuple[Discount, ...]) -> list[list[str]]:
    return [[d.kind.value, str(d.value), d.reason] for d in discounts]


def address_key(country: str, postal_code: str, line1: str) -> str:
    """One address however it is spaced or cased: finds orders shipped to one place."""
    normal = "|".join(" ".join(part.lower().split()) for part in (country, postal_code, line1))
    return hashlib.sha256(normal.encode()).hexdigest()[:32] if line1 else ""


def _idempotency_key(key: str | None) -> str | None:
    if key is None:
        return None
    key = key.strip()
    if not 1 <= len(key) <= 100:
        raise InvalidInput("An idempotency key is 1-100 characters.", field="idempotencyKey")
    return key


async def _replay(key: str, digest: str) -> Placed | None:
    earlier = await Order.get_or_none(idempotency_key=key)
    if earlier is None:
        return None
    if earlier.request_hash != digest:
        raise IdempotencyConflict(
            "This idempotency key was used for another order.", field="idempotencyKey"
        )
    return Placed(earlier, replayed=True)


async def _skus(spec: OrderSpec) -> dict[UUID, Sku]:
    if not spec.lines:
        raise InvalidInput("An order has at least one line.", field="lines")
    if len(spec.lines) > MAX_LINES:
        raise InvalidInput(f"An order has at most {MAX_LINES} lines.", field="lines")
    found = {sku.id: sku for sku in await Sku.filter(id__in={line.sku_id for line in spec.lines})}
    for i, line in enumerate(spec.lines):
        if line.sku_id not in found:
            raise NotFound("No SKU with this id.", field=f"lines.{i}.skuId")
    return found


async def price(
    spec: OrderSpec, currency: str, skus: dict[UUID, Sku], rates: Mapping[str, TaxRate]
) -> PricedOrder:
    """The spec priced by the one pricing function with the tenant's tax rates."""
    categories = await policies.sku_policies(list(skus))
    lines = tuple(
        LineInput(
            sku_id=str(line.sku_id),
            unit_price=skus[line.sku_id].price if line.unit_price is None else line.unit_price,
            quantity=line.quantity,
            tax_category=(
                categories[line.sku_id].tax_category
                if line.sku_id in categories
                else policies.DEFAULT_TAX_CATEGORY
            ),
            discounts=line.discounts,
        )
        for line in spec.lines
    )
    return price_order(
        OrderInput(
            currency=currency,
            lines=lines,
            discounts=spec.discounts,
            shipping=spec.shipping,
            shipping_tax_category=spec.shipping_tax_category,
        ),
        rates,
    )


def _contact(spec: OrderSpec) -> dict[str, str]:
    values = {
        "email": email_address(spec.email, "email"),
        "phone": phone_number(spec.phone, "phone"),
        "note": text(spec.note, "note", max_length=2000, required=False),
    }
    address = spec.shipping_address
    if address is not None:
        country = address.country.strip().upper()
        if len(country) != 2 or not country.isalpha():
            raise InvalidInput(
                "A country is an ISO 3166 two-letter code.", field="shippingAddress.country"
            )
        values |= {
            "ship_recipient": text(address.recipient, "shippingAddress.recipient", max_length=200),
            "ship_line1": text(address.line1, "shippingAddress.line1", max_length=200),
            "ship_line2": text(
                address.line2, "shippingAddress.line2", max_length=200, required=False
            ),
            "ship_city": text(address.city, "shippingAddress.city", max_length=100),
            "ship_region": text(
                address.region, "shippingAddress.region", max_length=100, required=False
            ),
            "ship_postal_code": text(
                address.postal_code, "shippingAddress.postalCode", max_length=20, required=False
            ),
            "ship_country": country,
            "ship_phone": phone_number(address.phone, "shippingAddress.phone"),
        }
        values["address_key"] = address_key(
            country, values["ship_postal_code"], values["ship_line1"]
        )
    return values


async def place_order(
    evaluator: RuleEvaluator,
    actor: Actor,
    spec: OrderSpec,
    *,
    channel: OrderChannel = OrderChannel.STAFF,
) -> Placed:
    """Place (or draft) an order by the module's rules."""
    key = _idempotency_key(spec.idempotency_key)
    digest = request_hash(spec)
    if key is not None and (earlier := await _replay(key, digest)) is not None:
        return earlier
    contact = _contact(spec)
    if spec.customer_id is not None:
        await live_customer(spec.customer_id, field="customerId")
    if spec.warehouse_id is not None:
        await get_warehouse(spec.warehouse_id)
    skus = await _skus(spec)
    settings = await policies.order_settings()
    rates = await policies.tax_rates()
    priced = await price(spec, settings.currency, skus, rates)
    number = await next_value("order")  # before the transaction: see tenants/sequences.py
    order_id = uuid4()
    now = datetime.now(UTC)
    try:
        async with in_transaction():
            recent = await _recent_from_address(contact.get("address_key", ""), now)
            fact = _fact(
                priced,
                [line.quantity for line in priced.lines],
                channel,
                recent,
                spec.customer_id is not None,
            )
            held = None
            if not spec.draft:
                held = await approvals.governed(
                    evaluator,
                    actor,
                    PLACE,
                    {"order": fact},
                    subject=("order", order_id),
                    payload={"number": number},
                )
            if spec.draft:
                status = OrderStatus.DRAFT
            elif held is not None or (
                channel is OrderChannel.PARTNER and not settings.confirm_partner_orders
            ):
                status = OrderStatus.UNCONFIRMED
            else:
                status = OrderStatus.UNFULFILLED
            order = await Order.create(
                id=order_id,
                number=number,
                status=status,
                channel=channel,
                customer_id=spec.customer_id,
                placed_by=current_actor()[:100],
                idempotency_key=key,
                request_hash=digest,
                currency=priced.currency,
                subtotal=priced.subtotal,
                discount=priced.discount,
                shipping=priced.shipping,
                shipping_tax=priced.shipping_tax,
                tax=priced.tax,
                total=priced.total,
                exchange_for_return_id=spec.exchange_for_return_id,
                placed_at=None if spec.draft else now,
                confirmed_at=now if status is OrderStatus.UNFULFILLED else None,
                **cast(dict[str, Any], contact),
            )
            lines = await _lines(order, priced, skus, rates)
            if not spec.draft:
                await reserve(order, lines, spec.warehouse_id)
            await history.append(
                order.id,
                "order.drafted" if spec.draft else "order.placed",
                {
                    "status": status.value,
                    "channel": channel.value,
                    "total": str(order.total),
                    "lines": len(lines),
                    **({"approval_request": str(held.id)} if held is not None else {}),
                },
            )
            await audit.record(
                "order.drafted" if spec.draft else "order.placed",
                "order",
                order.id,
                after={"number": number, "status": status.value, "total": str(order.total)},
            )
            if not spec.draft:
                await outbox.emit(
                    "order.placed",
                    {**fact, **event_body(order), "address_ref": order.address_key[:16]},
                )
    except IntegrityError:
        if key is not None and (earlier := await _replay(key, digest)) is not None:
            return earlier  # placed at the same moment with the same key: that one is it
        raise
    return Placed(order, replayed=False)


async def _recent_from_address(key: str, now: datetime) -> int:
    if not key:
        return 0
    return await Order.filter(address_key=key, placed_at__gte=now - ADDRESS_WINDOW).count()


def _fact(
    priced: PricedOrder | Order,
    quantities: list[int],
    channel: OrderChannel,
    recent: int,
    has_customer: bool,
) -> dict[str, Any]:
    """What compliance and risk rules see of a placement (a priced spec or a draft)."""
    return {
        "total": float(priced.total),
        "currency": priced.currency,
        "lines": len(quantities),
        "units": sum(quantities),
        "discount": float(priced.discount),
        "channel": channel.value,
        "orders_from_address_last_hour": recent + 1,
        "has_customer": has_customer,
    }


async def _lines(
    order: Order, priced: PricedOrder, skus: dict[UUID, Sku], rates: Mapping[str, TaxRate]
) -> list[OrderLine]:
    rows = []
    for position, line in enumerate(priced.lines):
        sku = skus[UUID(line.sku_id)]
        rows.append(
            OrderLine(
                order_id=order.id,
                position=position,
                sku_id=sku.id,
                sku_code=sku.code,
                name=sku.name,
                quantity=line.quantity,
                unit_price=line.unit_price,
                tax_category=line.tax_category,
                tax_rate=rates[line.tax_category].rate,
                prices_include_tax=line.prices_include_tax,
                subtotal=line.subtotal,
                discount=line.discount,
                tax=line.tax,
                total=line.total,
                adjustments=[{"name": a.name, "amount": str(a.amount)} for a in line.adjustments],
            )
        )
    await OrderLine.bulk_create(rows)
    return rows


async def _available(sku_ids: list[UUID]) -> dict[tuple[UUID, UUID], int]:
    """Units available per (SKU, warehouse), read without locks (allocation locks)."""
    available: dict[tuple[UUID, UUID], int] = defaultdict(int)
    rows = await StockLevel.filter(sku_id__in=sku_ids, on_hand__gt=F("allocated")).values_list(
        "sku_id", "warehouse_id", "on_hand", "allocated"
    )
    for sku_id, warehouse_id, on_hand, allocated in rows:
        available[(sku_id, warehouse_id)] += on_hand - allocated
    return available


async def _choose(lines: list[OrderLine], warehouse_id: UUID | None) -> dict[UUID, UUID]:
    """Each line's warehouse: the one asked for; else the first (by code) holding every line;
    else per line the first holding it. `OUT_OF_STOCK` names a line none holds."""
    need: dict[UUID, int] = defaultdict(int)
    for line in lines:
        need[line.sku_id] += line.quantity
    if warehouse_id is not None:
        return {line.id: warehouse_id for line in lines}
    available = await _available(list(need))
    warehouses = [w.id for w in await Warehouse.all().order_by("code", "id").only("id")]
    for warehouse in warehouses:
        if all(available[(sku, warehouse)] >= units for sku, units in need.items()):
            return {line.id: warehouse for line in lines}
    chosen: dict[UUID, UUID] = {}
    for line in lines:
        for warehouse in warehouses:
            if available[(line.sku_id, warehouse)] >= line.quantity:
                chosen[line.id] = warehouse
                available[(line.sku_id, warehouse)] -= line.quantity
                break
        else:
            raise InsufficientStock(
                f"No warehouse has {line.quantity} of {line.sku_code} available.",
                field=f"lines.{line.position}.quantity",
            )
    return chosen


async def reserve(order: Order, lines: list[OrderLine], warehouse_id: UUID | None) -> None:
    """Reserve every line's units FIFO (`stock.allocate_many`, all lines at once, locks in
    one order), one fulfilment order per warehouse, the lots taken remembered. Inside the
    placement's transaction."""
    chosen = await _choose(lines, warehouse_id)
    fulfillments = [
        FulfillmentOrder(order_id=order.id, warehouse_id=warehouse)
        for warehouse in sorted(set(chosen.values()), key=str)
    ]
    await FulfillmentOrder.bulk_create(fulfillments)
    by_warehouse = {f.warehouse_id: f for f in fulfillments}
    reserved = await stock.allocate_many(
        [
            stock.Wanted(
                line.sku_id, chosen[line.id], line.quantity, f"lines.{line.position}.quantity"
            )
            for line in lines
        ],
        f"order:{order.number}",
    )
    rows, taken = [], []
    for line, done in zip(lines, reserved, strict=True):
        fulfillment = by_warehouse[chosen[line.id]]
        rows.append(
            FulfillmentLine(
                fulfillment_id=fulfillment.id,
                order_line_id=line.id,
                quantity=line.quantity,
                allocation_id=done.allocation.id,
            )
        )
        taken += [
            OrderLineLot(
                order_line_id=line.id, fulfillment_id=fulfillment.id, lot_id=lot, quantity=units
            )
            for lot, units in done.lots
        ]
    await FulfillmentLine.bulk_create(rows)
    await OrderLineLot.bulk_create(taken)


def event_body(order: Order) -> dict[str, Any]:
    """What every order event carries: ids, numbers, statuses, amounts; no personal data."""
    return {
        "id": str(order.id),
        "number": str(order.number),
        "status": order.status.value,
        "payment_status": order.payment_status,
        "customer_id": str(order.customer_id) if order.customer_id else None,
        "total": float(order.total),
        "currency": order.currency,
    }


async def locked_order(order_id: UUID, field: str = "id") -> Order:
    order = await Order.select_for_update().get_or_none(id=order_id)
    if order is None:
        raise NotFound("No order with this id.", field=field)
    return order


async def get_order(order_id: UUID, field: str = "id") -> Order:
    order = await Order.get_or_none(id=order_id)
    if order is None:
        raise NotFound("No order with this id.", field=field)
    return order


async def _set_status(order: Order, status: OrderStatus, event: str, **data: Any) -> None:
    before = order.status
    order.status = status
    await order.save(
        update_fields=[
            "status",
            "confirmed_at",
            "canceled_at",
            "cancel_reason",
            "closed_at",
            "placed_at",
            "updated_at",
        ]
    )
    await history.append(order.id, event, {"from": before.value, "to": status.value, **data})
    await audit.record(
        event, "order", order.id, before={"status": before.value}, after={"status": status.value}
    )
    await outbox.emit(event, event_body(order))


async def confirm_order(order_id: UUID) -> Order:
    """UNCONFIRMED -> UNFULFILLED (staff, or an approved placement)."""
    async with in_transaction():
        order = await locked_order(order_id)
        if order.status is not OrderStatus.UNCONFIRMED:
            raise OrderStatusConflict(
                f"A {order.status.value} order cannot be confirmed.", field="id"
            )
        order.confirmed_at = datetime.now(UTC)
        await _set_status(order, OrderStatus.UNFULFILLED, "order.confirmed")
    return order


async def complete_draft(
    evaluator: RuleEvaluator, actor: Actor, order_id: UUID, warehouse_id: UUID | None = None
) -> tuple[Order, Any]:
    """A draft becomes a placed order: compliance asked as at placement (held: UNCONFIRMED),
    its stock reserved. Returns the order and the approval request it waits for, if any."""
    if warehouse_id is not None:
        await get_warehouse(warehouse_id)
    async with in_transaction():
        order = await locked_order(order_id)
        if order.status is not OrderStatus.DRAFT:
            raise OrderStatusConflict(f"A {order.status.value} order is not a draft.", field="id")
        lines = list(await OrderLine.filter(order_id=order.id).order_by("position"))
        now = datetime.now(UTC)
        fact = _fact(
            order,
            [line.quantity for line in lines],
            order.channel,
            await _recent_from_address(order.address_key, now),
            order.customer_id is not None,
        )
        held = await approvals.governed(
            evaluator, actor, PLACE, {"order": fact}, subject=("order", order.id)
        )
        await reserve(order, lines, warehouse_id)
        order.placed_at = now
        order.confirmed_at = None if held else now
        before = order.status
        order.status = OrderStatus.UNCONFIRMED if held else OrderStatus.UNFULFILLED
        await order.save(update_fields=["status", "placed_at", "confirmed_at", "updated_at"])
        await history.append(
            order.id, "order.placed", {"from": before.value, "to": order.status.value}
        )
        await audit.record(
            "order.placed",
            "order",
            order.id,
            before={"status": before.value},
            after={"status": order.status.value, "total": str(order.total)},
        )
        await outbox.emit(
            "order.placed", {**fact, **event_body(order), "address_ref": order.address_key[:16]}
        )
    return order, held


CANCELABLE = (OrderStatus.DRAFT, OrderStatus.UNCONFIRMED, OrderStatus.UNFULFILLED)


async def cancel_order(
    evaluator: RuleEvaluator, actor: Actor, order_id: UUID, reason: str
) -> tuple[Order, Any]:
    """Cancel an order nothing of which has shipped: its stock released, compliance asked
    (`order.cancel`: denied, or held for approval). Money taken is refunded separately."""
    reason = text(reason, "reason", max_length=500)
    async with in_transaction():
        order = await locked_order(order_id)
        await _cancelable(order)
        held = await approvals.governed(
            evaluator,
            actor,
            CANCEL,
            {
                "order": {
                    **event_body(order),
                    "canceler": "placer" if order.placed_by == current_actor() else "other",
                }
            },
            subject=("order", order.id),
            payload={"reason": reason},
        )
        if held is None:
            await cancel_now(order, reason)
    return order, held


async def _cancelable(order: Order) -> None:
    if order.status not in CANCELABLE:
        raise OrderNotCancelable(f"A {order.status.value} order cannot be canceled.", field="id")
    if await FulfillmentOrder.filter(
        order_id=order.id, status__in=[FulfillmentStatus.SHIPPED, FulfillmentStatus.DELIVERED]
    ).exists():
        raise OrderNotCancelable("Part of the order has shipped.", field="id")


async def release_reservations(order: Order) -> int:
    """Release every live fulfilment order's stock and cancel it; how many units."""
    released = 0
    live = await FulfillmentOrder.filter(order_id=order.id, status__in=LIVE_FULFILLMENT)
    for fulfillment in live:
        for line in await FulfillmentLine.filter(fulfillment_id=fulfillment.id):
            await stock.release(line.allocation_id)
            released += line.quantity
        fulfillment.status = FulfillmentStatus.CANCELED
        await fulfillment.save(update_fields=["status", "updated_at"])
    return released


async def cancel_now(order: Order, reason: str, status: OrderStatus = OrderStatus.CANCELED) -> None:
    released = await release_reservations(order)
    order.canceled_at = datetime.now(UTC)
    order.cancel_reason = reason[:500]
    event = "order.canceled" if status is OrderStatus.CANCELED else "order.expired"
    await _set_status(order, status, event, released_units=released)


async def expire_due(now: datetime | None = None) -> int:
    """UNCONFIRMED orders with nothing paid nor authorised, placed longer ago than the
    tenant's setting, become EXPIRED and their stock is released. Returns how many."""
    settings = await policies.order_settings()
    cutoff = (now or datetime.now(UTC)) - timedelta(hours=settings.expire_unconfirmed_after_hours)
    due = cast(
        list[UUID],
        await Order.filter(
            status=OrderStatus.UNCONFIRMED, payment_status="NONE", placed_at__lt=cutoff
        ).values_list("id", flat=True),
    )
    expired = 0
    for order_id in due:
        async with in_transaction():
            order = await locked_order(order_id)
            if order.status is OrderStatus.UNCONFIRMED and order.payment_status == "NONE":
                await cancel_now(order, "Not confirmed in time", OrderStatus.EXPIRED)
                expired += 1
    return expired


async def close_due(now: datetime | None = None) -> int:
    """FULFILLED orders whose return window has lapsed become CLOSED."""
    settings = await policies.order_settings()
    cutoff = (now or datetime.now(UTC)) - timedelta(days=settings.return_window_days)
    due = cast(
        list[UUID],
        await Order.filter(status=OrderStatus.FULFILLED, fulfilled_at__lt=cutoff).values_list(
            "id", flat=True
        ),
    )
    closed = 0
    for order_id in due:
        async with in_transaction():
            order = await locked_order(order_id)
            if order.status is OrderStatus.FULFILLED:
                order.closed_at = datetime.now(UTC)
                await _set_status(order, OrderStatus.CLOSED, "order.closed")
                closed += 1
    return closed


async def add_note(order_id: UUID, note: str) -> Order:
    message = text(note, "note", max_length=2000)
    async with in_transaction():
        order = await locked_order(order_id)
        await history.append(order.id, "order.note_added", {}, message=message)
        await audit.record("order.note_added", "order", order.id, after={"length": len(message)})
    return order


__all__ = [
    "CANCEL",
    "PLACE",
    "LineSpec",
    "OrderSpec",
    "Placed",
    "add_note",
    "address_key",
    "cancel_now",
    "cancel_order",
    "close_due",
    "complete_draft",
    "confirm_order",
    "event_body",
    "expire_due",
    "get_order",
    "locked_order",
    "place_order",
    "price",
    "release_reservations",
    "request_hash",
    "reserve",
]
