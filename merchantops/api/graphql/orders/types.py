"""The orders area's node types. Amounts are decimals at the currency's minor unit; personal
fields (contact, shipping address, notes) are masked by the tenant's masking rules; relations
load through the request's DataLoaders, so a page of orders costs the same few statements
whatever its size."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Any, Self, cast
from uuid import UUID

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from merchantops.api.graphql.catalog.types import SkuNode, load_sku
from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.extensions import contributed
from merchantops.api.graphql.core.masking import Classified, json_masked, masked
from merchantops.api.graphql.customers.types import CustomerNode
from merchantops.api.graphql.inventory.types import LotNode, WarehouseNode, global_id
from merchantops.domain.customers.models import Customer
from merchantops.domain.inventory.models import Lot, Warehouse
from merchantops.domain.orders import models
from merchantops.domain.orders.money import currency
from merchantops.rules.masking import entity_of

OrderStatus = models.OrderStatus
OrderChannel = models.OrderChannel
FulfillmentStatus = models.FulfillmentStatus
RefundStatus = models.RefundStatus
ReturnStatus = models.ReturnStatus
ReturnOutcome = models.ReturnOutcome
Disposition = models.Disposition
strawberry.enum(OrderStatus, name="OrderStatus")
strawberry.enum(OrderChannel, name="OrderChannel")
strawberry.enum(FulfillmentStatus, name="FulfillmentStatus")
strawberry.enum(RefundStatus, name="RefundStatus")
strawberry.enum(ReturnStatus, name="ReturnStatus")
strawberry.enum(ReturnOutcome, name="ReturnOutcome")
strawberry.enum(Disposition, name="ReturnDisposition")


@strawberry.enum(description="Derived from the order's transaction ledger.")
class PaymentStatus(Enum):
    NONE = "NONE"
    AUTHORIZED = "AUTHORIZED"
    PARTIALLY_PAID = "PARTIALLY_PAID"
    PAID = "PAID"
    PARTIALLY_REFUNDED = "PARTIALLY_REFUNDED"
    REFUNDED = "REFUNDED"
    OVERCHARGED = "OVERCHARGED"


@strawberry.enum
class TransactionKind(Enum):
    AUTHORIZE = "AUTHORIZE"
    CHARGE = "CHARGE"
    REFUND = "REFUND"
    VOID = "VOID"


@strawberry.enum
class TransactionStatus(Enum):
    PENDING = "PENDING"
    SUCCESS = "SUCCESS"
    FAILURE = "FAILURE"


def money(value: Any, code: str) -> Decimal:
    """An amount as the currency writes it (2 decimals for CNY, 0 for JPY)."""
    return currency(code).round(Decimal(value))


Order, Return = models.Order, models.Return


def _ship(name: str) -> Any:
    """A shipping address field: masked as the order's `ship_<name>` column is classified."""
    return strawberry.field(
        extensions=[Classified(Order.CLASSIFIED[f"ship_{name}"], entity_of(Order))]
    )


@strawberry.type(description="Where an order ships to: personal fields masked by the rules.")
class ShippingAddress:
    recipient: str | None = _ship("recipient")
    line1: str | None = _ship("line1")
    line2: str | None = _ship("line2")
    city: str
    region: str
    postal_code: str
    country: str
    phone: str | None = _ship("phone")


@strawberry.type(name="OrderLineLot", description="Units of a line taken from one lot.")
class OrderLineLotNode:
    quantity: int
    lot_pk: strawberry.Private[UUID]

    @strawberry.field
    async def lot(self, info: Info) -> LotNode:
        lot = await info.context.loaders.by_id(Lot).load(self.lot_pk)
        assert lot is not None
        return LotNode.from_model(lot)


@strawberry.type(name="OrderLine")
class OrderLineNode(relay.Node):
    id: relay.NodeID[str]
    position: int
    sku_code: str = strawberry.field(description="The SKU's code when ordered.")
    name: str = strawberry.field(description="The SKU's name when ordered.")
    quantity: int
    unit_price: Decimal
    tax_category: str
    tax_rate: Decimal
    prices_include_tax: bool
    subtotal: Decimal = strawberry.field(description="Unit price x quantity.")
    discount: Decimal
    tax: Decimal
    total: Decimal
    adjustments: JSON = strawberry.field(description="The discount steps: [{name, amount}].")
    quantity_shipped: int
    quantity_returned: int = strawberry.field(description="Units on returns not declined.")
    refunded: Decimal
    sku_pk: strawberry.Private[UUID]

    @strawberry.field
    async def sku(self, info: Info) -> SkuNode:
        return await load_sku(info, self.sku_pk)

    @strawberry.field(description="The lots its units were taken from: order to lot to supplier.")
    async def lots(self, info: Info) -> list[OrderLineLotNode]:
        rows = await info.context.loaders.grouped(models.OrderLineLot, "order_line_id", "id").load(
            UUID(self.id)
        )
        return [OrderLineLotNode(quantity=row.quantity, lot_pk=row.lot_id) for row in rows]

    @classmethod
    def from_model(cls, line: models.OrderLine, code: str) -> Self:
        return cls(
            id=str(line.id),
            position=line.position,
            sku_code=line.sku_code,
            name=line.name,
            quantity=line.quantity,
            unit_price=money(line.unit_price, code),
            tax_category=line.tax_category,
            tax_rate=Decimal(line.tax_rate).normalize(),
            prices_include_tax=line.prices_include_tax,
            subtotal=money(line.subtotal, code),
            discount=money(line.discount, code),
            tax=money(line.tax, code),
            total=money(line.total, code),
            adjustments=cast(JSON, line.adjustments),
            quantity_shipped=line.quantity_shipped,
            quantity_returned=line.quantity_returned,
            refunded=money(line.refunded, code),
            sku_pk=line.sku_id,
        )


@strawberry.type(name="FulfillmentLine")
class FulfillmentLineNode:
    order_line_id: strawberry.ID
    quantity: int


@strawberry.type(name="FulfillmentOrder", description="What one warehouse ships of an order.")
class FulfillmentOrderNode(relay.Node):
    id: relay.NodeID[str]
    status: FulfillmentStatus
    hold_reason: str
    carrier: str
    tracking_number: str
    shipped_at: datetime | None
    delivered_at: datetime | None
    created_at: datetime
    warehouse_pk: strawberry.Private[UUID]
    order_pk: strawberry.Private[UUID]

    @strawberry.field
    async def warehouse(self, info: Info) -> WarehouseNode:
        warehouse = await info.context.loaders.by_id(Warehouse).load(self.warehouse_pk)
        assert warehouse is not None
        return WarehouseNode.from_model(warehouse)

    @strawberry.field
    async def lines(self, info: Info) -> list[FulfillmentLineNode]:
        rows = await info.context.loaders.grouped(
            models.FulfillmentLine, "fulfillment_id", "id"
        ).load(UUID(self.id))
        return [
            FulfillmentLineNode(
                order_line_id=strawberry.ID(global_id("OrderLine", row.order_line_id)),
                quantity=row.quantity,
            )
            for row in rows
        ]

    @strawberry.field
    async def order(self, info: Info) -> OrderNode:
        return await load_order(info, self.order_pk)

    @classmethod
    def from_model(cls, fulfillment: models.FulfillmentOrder) -> Self:
        return cls(
            id=str(fulfillment.id),
            status=fulfillment.status,
            hold_reason=fulfillment.hold_reason,
            carrier=fulfillment.carrier,
            tracking_number=fulfillment.tracking_number,
            shipped_at=fulfillment.shipped_at,
            delivered_at=fulfillment.delivered_at,
            created_at=fulfillment.created_at,
            warehouse_pk=fulfillment.warehouse_id,
            order_pk=fulfillment.order_id,
        )


@strawberry.type(name="PaymentTransaction", description="One entry of an order's payment ledger.")
class PaymentTransactionNode(relay.Node):
    id: relay.NodeID[str]
    kind: TransactionKind
    status: TransactionStatus
    amount: Decimal
    idempotency_key: str
    parent_key: str | None = strawberry.field(
        description="The authorization a charge captures or a void releases."
    )
    provider: str
    provider_reference: str | None
    created_by: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_model(cls, row: models.PaymentTransaction, code: str) -> Self:
        return cls(
            id=str(row.id),
            kind=TransactionKind(row.kind),
            status=TransactionStatus(row.status),
            amount=money(row.amount, code),
            idempotency_key=row.idempotency_key,
            parent_key=row.parent_key,
            provider=row.provider,
            provider_reference=row.provider_reference,
            created_by=row.created_by,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )


@strawberry.type(name="RefundLine")
class RefundLineNode:
    order_line_id: strawberry.ID
    quantity: int
    amount: Decimal


@strawberry.type(name="Refund")
class RefundNode(relay.Node):
    id: relay.NodeID[str]
    status: RefundStatus
    amount: Decimal
    lines_amount: Decimal
    shipping: Decimal
    adhoc: Decimal = strawberry.field(description="Given beyond lines and shipping, with a reason.")
    reason: str
    lines: list[RefundLineNode]
    return_id: strawberry.ID | None
    idempotency_key: str
    requested_by: str
    created_at: datetime
    settled_at: datetime | None
    order_pk: strawberry.Private[UUID]

    @strawberry.field
    async def order(self, info: Info) -> OrderNode:
        return await load_order(info, self.order_pk)

    @classmethod
    def from_model(cls, refund: models.Refund, code: str) -> Self:
        return cls(
            id=str(refund.id),
            status=refund.status,
            amount=money(refund.amount, code),
            lines_amount=money(refund.lines_amount, code),
            shipping=money(refund.shipping, code),
            adhoc=money(refund.adhoc, code),
            reason=refund.reason,
            lines=[
                RefundLineNode(
                    order_line_id=strawberry.ID(
                        global_id("OrderLine", UUID(part["order_line_id"]))
                    ),
                    quantity=int(part["quantity"]),
                    amount=money(part["amount"], code),
                )
                for part in refund.lines
            ],
            return_id=global_id("Return", refund.return_id),
            idempotency_key=refund.idempotency_key,
            requested_by=refund.requested_by,
            created_at=refund.created_at,
            settled_at=refund.settled_at,
            order_pk=refund.order_id,
        )


@strawberry.type(name="ReturnLine")
class ReturnLineNode(relay.Node):
    id: relay.NodeID[str]
    order_line_id: strawberry.ID
    quantity: int
    quantity_received: int
    reason_code: str
    evidence: str
    disposition: Disposition | None
    disposition_note: str
    lot_id: strawberry.ID | None = strawberry.field(description="The lot the goods came from.")
    supplier_id: strawberry.ID | None
    purchase_order_id: strawberry.ID | None = strawberry.field(
        description="The purchase order that brought the lot in (for a return to supplier)."
    )
    restock_zone_id: strawberry.ID | None
    sku_pk: strawberry.Private[UUID]

    @strawberry.field
    async def sku(self, info: Info) -> SkuNode:
        return await load_sku(info, self.sku_pk)

    @classmethod
    def from_model(cls, line: models.ReturnLine) -> Self:
        return cls(
            id=str(line.id),
            order_line_id=strawberry.ID(global_id("OrderLine", line.order_line_id)),
            quantity=line.quantity,
            quantity_received=line.quantity_received,
            reason_code=line.reason_code,
            evidence=line.evidence,
            disposition=line.disposition,
            disposition_note=line.disposition_note,
            lot_id=global_id("Lot", line.lot_id),
            supplier_id=global_id("Supplier", line.supplier_id),
            purchase_order_id=global_id("PurchaseOrder", line.purchase_order_id),
            restock_zone_id=global_id("Zone", line.restock_zone_id),
            sku_pk=line.sku_id,
        )


@strawberry.type(name="Return", description="A return merchandise authorisation (RMA).")
class ReturnNode(relay.Node):
    id: relay.NodeID[str]
    number: int
    status: ReturnStatus
    outcome: ReturnOutcome
    note: str | None = masked(Return)
    decline_reason: str
    carrier: str
    tracking_number: str
    store_credit: Decimal
    replacement_order_id: strawberry.ID | None = strawberry.field(
        description="The exchange's replacement order."
    )
    requested_by: str
    created_at: datetime
    updated_at: datetime
    received_at: datetime | None
    closed_at: datetime | None
    order_pk: strawberry.Private[UUID]

    @strawberry.field
    async def order(self, info: Info) -> OrderNode:
        return await load_order(info, self.order_pk)

    @strawberry.field
    async def lines(self, info: Info) -> list[ReturnLineNode]:
        rows = await info.context.loaders.grouped(models.ReturnLine, "rma_id", "id").load(
            UUID(self.id)
        )
        return [ReturnLineNode.from_model(row) for row in rows]

    @classmethod
    def from_model(cls, rma: models.Return) -> Self:
        return cls(
            id=str(rma.id),
            number=rma.number,
            status=rma.status,
            outcome=rma.outcome,
            note=rma.note,
            decline_reason=rma.decline_reason,
            carrier=rma.carrier,
            tracking_number=rma.tracking_number,
            store_credit=Decimal(rma.store_credit).quantize(Decimal("0.01")),
            replacement_order_id=global_id("Order", rma.replacement_order_id),
            requested_by=rma.requested_by,
            created_at=rma.created_at,
            updated_at=rma.updated_at,
            received_at=rma.received_at,
            closed_at=rma.closed_at,
            order_pk=rma.order_id,
        )


@strawberry.type(name="OrderEvent", description="An entry of an order's history.")
class OrderEventNode:
    type: str
    data: JSON = strawberry.field(description="Fields, ids and amounts the change touched.")
    message: str | None = masked(models.OrderEvent)
    actor: str
    created_at: datetime


@strawberry.type(name="Order")
class OrderNode(relay.Node):
    id: relay.NodeID[str]
    number: int
    status: OrderStatus
    payment_status: PaymentStatus
    channel: OrderChannel
    currency: str
    subtotal: Decimal
    discount: Decimal
    shipping: Decimal
    shipping_tax: Decimal
    tax: Decimal
    total: Decimal
    charged: Decimal = strawberry.field(description="Charged successfully, from the ledger.")
    refunded: Decimal = strawberry.field(description="Refunded successfully, from the ledger.")
    outstanding: Decimal = strawberry.field(description="Total less what was charged, at least 0.")
    email: str | None = masked(Order)
    phone: str | None = masked(Order)
    note: str | None = masked(Order)
    shipping_address: ShippingAddress | None
    placed_by: str
    placed_at: datetime | None
    confirmed_at: datetime | None
    fulfilled_at: datetime | None
    canceled_at: datetime | None
    cancel_reason: str
    closed_at: datetime | None
    created_at: datetime
    updated_at: datetime
    exchange_for_return_id: strawberry.ID | None
    customer_pk: strawberry.Private[UUID | None]

    @strawberry.field
    async def customer(self, info: Info) -> CustomerNode | None:
        if self.customer_pk is None:
            return None
        found = await info.context.loaders.by_id(Customer).load(self.customer_pk)
        return CustomerNode.from_model(found) if found else None

    @strawberry.field
    async def lines(self, info: Info) -> list[OrderLineNode]:
        rows = await info.context.loaders.grouped(models.OrderLine, "order_id", "position").load(
            UUID(self.id)
        )
        return [OrderLineNode.from_model(row, self.currency) for row in rows]

    @strawberry.field
    async def fulfillments(self, info: Info) -> list[FulfillmentOrderNode]:
        rows = await info.context.loaders.grouped(
            models.FulfillmentOrder, "order_id", "created_at"
        ).load(UUID(self.id))
        return [FulfillmentOrderNode.from_model(row) for row in rows]

    @strawberry.field
    async def transactions(self, info: Info) -> list[PaymentTransactionNode]:
        rows = await info.context.loaders.grouped(
            models.PaymentTransaction, "order_id", "created_at"
        ).load(UUID(self.id))
        return [PaymentTransactionNode.from_model(row, self.currency) for row in rows]

    @strawberry.field
    async def refunds(self, info: Info) -> list[RefundNode]:
        rows = await info.context.loaders.grouped(models.Refund, "order_id", "created_at").load(
            UUID(self.id)
        )
        return [RefundNode.from_model(row, self.currency) for row in rows]

    @strawberry.field
    async def returns(self, info: Info) -> list[ReturnNode]:
        rows = await info.context.loaders.grouped(models.Return, "order_id", "created_at").load(
            UUID(self.id)
        )
        return [ReturnNode.from_model(row) for row in rows]

    @strawberry.field(description="The order's history, oldest first; notes masked by the rules.")
    async def events(self, info: Info) -> list[OrderEventNode]:
        rows = await info.context.loaders.grouped(models.OrderEvent, "order_id", "id").load(
            UUID(self.id)
        )
        return [
            OrderEventNode(
                type=row.type,
                data=await json_masked(info, row.data),
                message=row.message,
                actor=row.actor,
                created_at=row.created_at,
            )
            for row in rows
        ]

    @classmethod
    def from_model(cls, order: models.Order) -> Self:
        code = order.currency
        address = None
        if order.ship_line1:
            address = ShippingAddress(
                recipient=order.ship_recipient,
                line1=order.ship_line1,
                line2=order.ship_line2,
                city=order.ship_city,
                region=order.ship_region,
                postal_code=order.ship_postal_code,
                country=order.ship_country,
                phone=order.ship_phone,
            )
        return cls(
            id=str(order.id),
            number=order.number,
            status=order.status,
            payment_status=PaymentStatus(order.payment_status),
            channel=order.channel,
            currency=code,
            subtotal=money(order.subtotal, code),
            discount=money(order.discount, code),
            shipping=money(order.shipping, code),
            shipping_tax=money(order.shipping_tax, code),
            tax=money(order.tax, code),
            total=money(order.total, code),
            charged=money(order.charged, code),
            refunded=money(order.refunded, code),
            outstanding=money(max(Decimal(order.total) - Decimal(order.charged), Decimal(0)), code),
            email=order.email,
            phone=order.phone,
            note=order.note,
            shipping_address=address,
            placed_by=order.placed_by,
            placed_at=order.placed_at,
            confirmed_at=order.confirmed_at,
            fulfilled_at=order.fulfilled_at,
            canceled_at=order.canceled_at,
            cancel_reason=order.cancel_reason,
            closed_at=order.closed_at,
            created_at=order.created_at,
            updated_at=order.updated_at,
            exchange_for_return_id=global_id("Return", order.exchange_for_return_id),
            customer_pk=order.customer_id,
        )


async def load_order(info: Info, pk: UUID) -> OrderNode:
    order = await info.context.loaders.by_id(Order).load(pk)
    assert order is not None
    return OrderNode.from_model(order)


@strawberry.type(name="OrderSettings")
class OrderSettingsNode:
    currency: str
    confirm_partner_orders: bool = strawberry.field(
        description="Partners' orders skip UNCONFIRMED when on."
    )
    expire_unconfirmed_after_hours: int
    return_window_days: int
    payment_provider: str
    quality_return_threshold: int = strawberry.field(
        description="Returned units of one SKU for one reason that raise the quality alert."
    )
    quality_period_days: int

    @classmethod
    def from_model(cls, s: models.OrderSettings) -> Self:
        return cls(
            currency=s.currency,
            confirm_partner_orders=s.confirm_partner_orders,
            expire_unconfirmed_after_hours=s.expire_unconfirmed_after_hours,
            return_window_days=s.return_window_days,
            payment_provider=s.payment_provider,
            quality_return_threshold=s.quality_return_threshold,
            quality_period_days=s.quality_period_days,
        )


@strawberry.type(name="TaxRate")
class TaxRateNode(relay.Node):
    id: relay.NodeID[str]
    category: str
    rate: Decimal = strawberry.field(description="0.13 for 13%.")
    prices_include_tax: bool

    @classmethod
    def from_model(cls, rate: models.TaxRate) -> Self:
        return cls(
            id=str(rate.id),
            category=rate.category,
            rate=Decimal(rate.rate).normalize(),
            prices_include_tax=rate.prices_include_tax,
        )


@strawberry.type(name="ReturnReason")
class ReturnReasonNode(relay.Node):
    id: relay.NodeID[str]
    code: str
    label: str
    active: bool

    @classmethod
    def from_model(cls, reason: models.ReturnReason) -> Self:
        return cls(id=str(reason.id), code=reason.code, label=reason.label, active=reason.active)


@strawberry.type(name="SkuOrderPolicy")
class SkuOrderPolicyNode:
    sku_id: strawberry.ID
    tax_category: str
    returnable: bool

    @classmethod
    def from_model(cls, policy: models.SkuOrderPolicy) -> Self:
        return cls(
            sku_id=strawberry.ID(global_id("Sku", policy.sku_id)),
            tax_category=policy.tax_category,
            returnable=policy.returnable,
        )


__all__ = [
    "CustomerCredit",
    "FulfillmentOrderNode",
    "OrderEventNode",
    "OrderLineNode",
    "OrderNode",
    "OrderSettingsNode",
    "PaymentTransactionNode",
    "RefundNode",
    "ReturnLineNode",
    "ReturnNode",
    "ReturnReasonNode",
    "SkuOrderPolicyNode",
    "TaxRateNode",
    "load_order",
    "money",
]


async def _store_credit(root: CustomerNode, info: Info) -> Decimal:
    rows = await info.context.loaders.grouped(models.StoreCredit, "customer_id", "id").load(
        UUID(str(root.id))
    )
    return sum((Decimal(row.amount) for row in rows), Decimal(0)).quantize(Decimal("0.01"))


@strawberry.type
class CustomerCredit:
    store_credit: Decimal = contributed(
        after="tags",
        resolver=_store_credit,
        description="Store credit granted by returns, less what was spent.",
    )
