"""Orders, their lines, fulfilment orders, the payment ledger, refunds, returns (RMA) and the
tenant's order settings (issue 17, standard 3.2, 4.2, 4.3).

Three status axes are kept apart, as Saleor and Shopify keep them: `Order.status` (the order's
life), `Order.payment_status` (derived from its `PaymentTransaction` ledger by
`payments.balances`, stored for filtering) and each `FulfillmentOrder.status` (per warehouse).
Amounts are exact decimals in the order's currency (at most its minor unit). The shipping
address and contact copied onto an order are personal data: classified, masked, replaced by
placeholders when the customer is erased. Model docstrings become table comments: keep
semicolons out of them.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import UUID

from tortoise import fields

from merchantops.rules.masking import Classification
from merchantops.tenants.base import TenantModel

if TYPE_CHECKING:
    from merchantops.domain.catalog.models import Sku
    from merchantops.domain.customers.models import Customer
    from merchantops.domain.inventory.models import Allocation, Lot, Warehouse

PERSONAL = Classification.CONFIDENTIAL_PERSONAL


def _money(**kwargs: Any) -> Any:
    """An amount: 15 digits before the point is MAX_MONEY's, 3 after KWD's minor unit."""
    return fields.DecimalField(max_digits=18, decimal_places=3, default=Decimal(0), **kwargs)


class OrderStatus(StrEnum):
    DRAFT = "DRAFT"
    UNCONFIRMED = "UNCONFIRMED"
    UNFULFILLED = "UNFULFILLED"
    PARTIALLY_FULFILLED = "PARTIALLY_FULFILLED"
    FULFILLED = "FULFILLED"
    CLOSED = "CLOSED"
    CANCELED = "CANCELED"
    EXPIRED = "EXPIRED"


class OrderChannel(StrEnum):
    STAFF = "STAFF"  # placed by a member of staff
    PARTNER = "PARTNER"  # placed by a storefront or marketplace with an API key


class OrderSettings(TenantModel):
    """A tenant's order settings: currency, confirmation, expiry, returns and the quality loop."""

    id = fields.UUIDField(primary_key=True)
    currency = fields.CharField(max_length=3, default="CNY")
    # Orders partners place wait for confirmation (UNCONFIRMED) unless this is on.
    confirm_partner_orders = fields.BooleanField(default=False)
    expire_unconfirmed_after_hours = fields.IntField(default=48)
    return_window_days = fields.IntField(default=7)
    payment_provider = fields.CharField(max_length=32, default="manual")
    quality_return_threshold = fields.IntField(default=5)
    quality_period_days = fields.IntField(default=30)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "order_settings"
        unique_together = (("tenant",),)


class TaxRate(TenantModel):
    """A tenant's tax category: its rate and whether prices in it include the tax."""

    id = fields.UUIDField(primary_key=True)
    category = fields.CharField(max_length=32)
    rate = fields.DecimalField(max_digits=7, decimal_places=5)
    prices_include_tax = fields.BooleanField(default=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "tax_rate"
        unique_together = (("tenant", "category"),)


class SkuOrderPolicy(TenantModel):
    """How orders treat one SKU: its tax category and whether it can be returned."""

    id = fields.UUIDField(primary_key=True)
    sku: fields.ForeignKeyRelation[Sku] = fields.ForeignKeyField(
        "merchantops.Sku", related_name=False, on_delete=fields.CASCADE
    )
    sku_id: UUID
    tax_category = fields.CharField(max_length=32, default="standard")
    returnable = fields.BooleanField(default=True)

    class Meta:
        table = "sku_order_policy"
        unique_together = (("tenant", "sku"),)


class ReturnReason(TenantModel):
    """A reason a customer may give for returning a line, from the tenant's own list."""

    id = fields.UUIDField(primary_key=True)
    code = fields.CharField(max_length=32)
    label = fields.CharField(max_length=200)
    active = fields.BooleanField(default=True)

    class Meta:
        table = "return_reason"
        unique_together = (("tenant", "code"),)


class Order(TenantModel):
    CLASSIFIED: ClassVar[dict[str, Classification]] = {
        "email": PERSONAL,
        "phone": PERSONAL,
        "ship_recipient": PERSONAL,
        "ship_line1": PERSONAL,
        "ship_line2": PERSONAL,
        "ship_phone": PERSONAL,
        "note": PERSONAL,
    }

    id = fields.UUIDField(primary_key=True)
    number = fields.IntField()
    status = fields.CharEnumField(OrderStatus, max_length=24, default=OrderStatus.UNFULFILLED)
    payment_status = fields.CharField(max_length=24, default="NONE")
    channel = fields.CharEnumField(OrderChannel, max_length=16, default=OrderChannel.STAFF)
    customer: fields.ForeignKeyNullableRelation[Customer] = fields.ForeignKeyField(
        "merchantops.Customer", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    customer_id: UUID | None
    # Who placed it: a user's e-mail or `api_key:<prefix>`; governs "nobody refunds their own".
    placed_by = fields.CharField(max_length=100)
    idempotency_key = fields.CharField(max_length=100, null=True)
    request_hash = fields.CharField(max_length=64, default="")
    currency = fields.CharField(max_length=3)
    subtotal = _money()
    discount = _money()
    shipping = _money()
    shipping_tax = _money()
    tax = _money()
    total = _money()
    # Cached from the ledger (payments.balances) in the transaction of each change.
    charged = _money()
    refunded = _money()
    email = fields.CharField(max_length=254, default="")
    phone = fields.CharField(max_length=40, default="")
    ship_recipient = fields.CharField(max_length=200, default="")
    ship_line1 = fields.CharField(max_length=200, default="")
    ship_line2 = fields.CharField(max_length=200, default="")
    ship_city = fields.CharField(max_length=100, default="")
    ship_region = fields.CharField(max_length=100, default="")
    ship_postal_code = fields.CharField(max_length=20, default="")
    ship_country = fields.CharField(max_length=2, default="")
    ship_phone = fields.CharField(max_length=40, default="")
    # A normalised "country|postal code|line1" hash: finds orders shipped to one address.
    address_key = fields.CharField(max_length=64, default="")
    note = fields.TextField(default="")
    # The return (RMA) this order replaces goods for, when it is an exchange.
    exchange_for_return_id = fields.UUIDField(null=True)
    placed_at = fields.DatetimeField(null=True)
    confirmed_at = fields.DatetimeField(null=True)
    fulfilled_at = fields.DatetimeField(null=True)
    canceled_at = fields.DatetimeField(null=True)
    cancel_reason = fields.CharField(max_length=500, default="")
    closed_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    lines: fields.ReverseRelation[OrderLine]

    class Meta:
        table = "sales_order"
        unique_together = (("tenant", "number"), ("tenant", "idempotency_key"))
        indexes = (
            ("tenant_id", "status", "created_at"),
            ("tenant_id", "customer_id", "created_at"),
            ("tenant_id", "address_key", "created_at"),
            ("tenant_id", "created_at"),
        )


class OrderLine(TenantModel):
    id = fields.UUIDField(primary_key=True)
    order: fields.ForeignKeyRelation[Order] = fields.ForeignKeyField(
        "merchantops.Order", related_name="lines", on_delete=fields.CASCADE
    )
    order_id: UUID
    position = fields.IntField()
    sku: fields.ForeignKeyRelation[Sku] = fields.ForeignKeyField(
        "merchantops.Sku", related_name=False, on_delete=fields.RESTRICT
    )
    sku_id: UUID
    sku_code = fields.CharField(max_length=64)
    name = fields.CharField(max_length=200)
    quantity = fields.IntField()
    unit_price = _money()
    tax_category = fields.CharField(max_length=32)
    tax_rate = fields.DecimalField(max_digits=7, decimal_places=5)
    prices_include_tax = fields.BooleanField()
    subtotal = _money()
    discount = _money()
    tax = _money()
    total = _money()
    # The discount steps that applied ([{name, amount}]): promotions add theirs.
    adjustments: list[dict[str, str]] = fields.JSONField(default=list)
    quantity_shipped = fields.IntField(default=0)
    quantity_returned = fields.IntField(default=0)  # requested on live returns
    refunded = _money()

    class Meta:
        table = "order_line"
        unique_together = (("tenant", "order", "position"),)
        indexes = (("tenant_id", "sku_id"),)


class FulfillmentStatus(StrEnum):
    OPEN = "OPEN"
    ON_HOLD = "ON_HOLD"
    IN_PROGRESS = "IN_PROGRESS"
    SHIPPED = "SHIPPED"
    DELIVERED = "DELIVERED"
    CANCELED = "CANCELED"


class FulfillmentOrder(TenantModel):
    """What one warehouse ships of an order."""

    id = fields.UUIDField(primary_key=True)
    order: fields.ForeignKeyRelation[Order] = fields.ForeignKeyField(
        "merchantops.Order", related_name="fulfillments", on_delete=fields.CASCADE
    )
    order_id: UUID
    warehouse: fields.ForeignKeyRelation[Warehouse] = fields.ForeignKeyField(
        "merchantops.Warehouse", related_name=False, on_delete=fields.RESTRICT
    )
    warehouse_id: UUID
    status = fields.CharEnumField(FulfillmentStatus, max_length=16, default=FulfillmentStatus.OPEN)
    hold_reason = fields.CharField(max_length=500, default="")
    carrier = fields.CharField(max_length=100, default="")
    tracking_number = fields.CharField(max_length=100, default="")
    shipped_at = fields.DatetimeField(null=True)
    delivered_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "fulfillment_order"
        indexes = (("tenant_id", "order_id"), ("tenant_id", "status"))


class FulfillmentLine(TenantModel):
    """One order line's units in one fulfilment order, reserved by an inventory allocation."""

    id = fields.UUIDField(primary_key=True)
    fulfillment: fields.ForeignKeyRelation[FulfillmentOrder] = fields.ForeignKeyField(
        "merchantops.FulfillmentOrder", related_name="lines", on_delete=fields.CASCADE
    )
    fulfillment_id: UUID
    order_line: fields.ForeignKeyRelation[OrderLine] = fields.ForeignKeyField(
        "merchantops.OrderLine", related_name="fulfillment_lines", on_delete=fields.CASCADE
    )
    order_line_id: UUID
    quantity = fields.IntField()
    allocation: fields.ForeignKeyRelation[Allocation] = fields.ForeignKeyField(
        "merchantops.Allocation", related_name=False, on_delete=fields.RESTRICT
    )
    allocation_id: UUID

    class Meta:
        table = "fulfillment_line"
        indexes = (("tenant_id", "order_line_id"),)


class OrderLineLot(TenantModel):
    """The lots an order line's units were taken from: order to lot to supplier."""

    id = fields.UUIDField(primary_key=True)
    order_line: fields.ForeignKeyRelation[OrderLine] = fields.ForeignKeyField(
        "merchantops.OrderLine", related_name="lots", on_delete=fields.CASCADE
    )
    order_line_id: UUID
    lot: fields.ForeignKeyRelation[Lot] = fields.ForeignKeyField(
        "merchantops.Lot", related_name=False, on_delete=fields.RESTRICT
    )
    lot_id: UUID
    fulfillment_id = fields.UUIDField()
    quantity = fields.IntField()

    class Meta:
        table = "order_line_lot"
        indexes = (("tenant_id", "order_line_id"), ("tenant_id", "lot_id"))


class PaymentTransaction(TenantModel):
    """One entry of an order's payment ledger. Only its status and reference ever change."""

    id = fields.UUIDField(primary_key=True)
    order: fields.ForeignKeyRelation[Order] = fields.ForeignKeyField(
        "merchantops.Order", related_name="transactions", on_delete=fields.CASCADE
    )
    order_id: UUID
    kind = fields.CharField(max_length=16)
    status = fields.CharField(max_length=16)
    amount = _money()
    idempotency_key = fields.CharField(max_length=100)
    parent_key = fields.CharField(max_length=100, null=True)
    provider = fields.CharField(max_length=32)
    provider_reference = fields.CharField(max_length=200, null=True)
    refund_id = fields.UUIDField(null=True)
    created_by = fields.CharField(max_length=100)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "payment_transaction"
        unique_together = (("tenant", "order", "idempotency_key"),)


class RefundStatus(StrEnum):
    PENDING = "PENDING"
    SUCCESS = "SUCCESS"
    FAILURE = "FAILURE"


class Refund(TenantModel):
    """Money given back: per line, for shipping, or ad hoc with a reason."""

    id = fields.UUIDField(primary_key=True)
    order: fields.ForeignKeyRelation[Order] = fields.ForeignKeyField(
        "merchantops.Order", related_name="refunds", on_delete=fields.CASCADE
    )
    order_id: UUID
    return_id = fields.UUIDField(null=True)
    status = fields.CharEnumField(RefundStatus, max_length=16, default=RefundStatus.PENDING)
    amount = _money()
    lines_amount = _money()
    shipping = _money()
    adhoc = _money()
    reason = fields.CharField(max_length=500, default="")
    # [{order_line_id, quantity, amount}]
    lines: list[dict[str, Any]] = fields.JSONField(default=list)
    idempotency_key = fields.CharField(max_length=100)
    requested_by = fields.CharField(max_length=100)
    created_at = fields.DatetimeField(auto_now_add=True)
    settled_at = fields.DatetimeField(null=True)

    class Meta:
        table = "refund"
        unique_together = (("tenant", "order", "idempotency_key"),)
        indexes = (("tenant_id", "created_at"),)


class ReturnStatus(StrEnum):
    REQUESTED = "REQUESTED"
    APPROVED = "APPROVED"
    DECLINED = "DECLINED"
    IN_TRANSIT = "IN_TRANSIT"
    RECEIVED = "RECEIVED"
    INSPECTED = "INSPECTED"
    CLOSED = "CLOSED"


class ReturnOutcome(StrEnum):
    REFUND = "REFUND"
    EXCHANGE = "EXCHANGE"
    STORE_CREDIT = "STORE_CREDIT"


class Disposition(StrEnum):
    RESTOCK = "RESTOCK"
    QUARANTINE = "QUARANTINE"
    SCRAP = "SCRAP"
    RETURN_TO_SUPPLIER = "RETURN_TO_SUPPLIER"


class Return(TenantModel):
    """A return merchandise authorisation (RMA) of one order."""

    CLASSIFIED: ClassVar[dict[str, Classification]] = {"note": PERSONAL}

    id = fields.UUIDField(primary_key=True)
    number = fields.IntField()
    order: fields.ForeignKeyRelation[Order] = fields.ForeignKeyField(
        "merchantops.Order", related_name="returns", on_delete=fields.CASCADE
    )
    order_id: UUID
    customer_id = fields.UUIDField(null=True)
    status = fields.CharEnumField(ReturnStatus, max_length=16, default=ReturnStatus.REQUESTED)
    outcome = fields.CharEnumField(ReturnOutcome, max_length=16, default=ReturnOutcome.REFUND)
    note = fields.TextField(default="")
    decline_reason = fields.CharField(max_length=500, default="")
    carrier = fields.CharField(max_length=100, default="")
    tracking_number = fields.CharField(max_length=100, default="")
    store_credit = _money()
    replacement_order_id = fields.UUIDField(null=True)
    requested_by = fields.CharField(max_length=100)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    received_at = fields.DatetimeField(null=True)
    closed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "order_return"
        unique_together = (("tenant", "number"),)
        indexes = (("tenant_id", "order_id"), ("tenant_id", "status", "created_at"))


class ReturnLine(TenantModel):
    id = fields.UUIDField(primary_key=True)
    rma: fields.ForeignKeyRelation[Return] = fields.ForeignKeyField(
        "merchantops.Return", related_name="lines", on_delete=fields.CASCADE
    )
    rma_id: UUID
    order_line: fields.ForeignKeyRelation[OrderLine] = fields.ForeignKeyField(
        "merchantops.OrderLine", related_name=False, on_delete=fields.RESTRICT
    )
    order_line_id: UUID
    sku_id = fields.UUIDField()
    quantity = fields.IntField()
    quantity_received = fields.IntField(default=0)
    reason_code = fields.CharField(max_length=32)
    evidence = fields.TextField(default="")
    disposition = fields.CharEnumField(Disposition, max_length=24, null=True)
    disposition_note = fields.CharField(max_length=500, default="")
    # The lot the goods came from and, for a return to supplier, its purchase order.
    lot_id = fields.UUIDField(null=True)
    supplier_id = fields.UUIDField(null=True)
    purchase_order_id = fields.UUIDField(null=True)
    restock_zone_id = fields.UUIDField(null=True)

    class Meta:
        table = "return_line"
        indexes = (("tenant_id", "sku_id", "reason_code"), ("tenant_id", "order_line_id"))


class StoreCredit(TenantModel):
    """A movement of a customer's store credit: granted by a return, or spent."""

    id = fields.UUIDField(primary_key=True)
    customer: fields.ForeignKeyRelation[Customer] = fields.ForeignKeyField(
        "merchantops.Customer", related_name=False, on_delete=fields.RESTRICT
    )
    customer_id: UUID
    amount = _money()  # signed: + granted, - spent
    currency = fields.CharField(max_length=3)
    return_id = fields.UUIDField(null=True)
    reason = fields.CharField(max_length=500, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "store_credit"
        indexes = (("tenant_id", "customer_id"),)


class OrderEvent(TenantModel):
    """An entry of an order's history: data names fields and ids, a note goes in message."""

    CLASSIFIED: ClassVar[dict[str, Classification]] = {"message": PERSONAL}

    id = fields.BigIntField(primary_key=True)
    order: fields.ForeignKeyRelation[Order] = fields.ForeignKeyField(
        "merchantops.Order", related_name="events", on_delete=fields.CASCADE
    )
    order_id: UUID
    type = fields.CharField(max_length=64)
    data: dict[str, Any] = fields.JSONField(default=dict)
    message = fields.TextField(default="")
    actor = fields.CharField(max_length=100)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "order_event"
        indexes = (("tenant_id", "order_id", "id"),)


def order_time(order: Order) -> datetime:
    return order.placed_at or order.created_at


__all__ = [
    "Disposition",
    "FulfillmentLine",
    "FulfillmentOrder",
    "FulfillmentStatus",
    "Order",
    "OrderChannel",
    "OrderEvent",
    "OrderLine",
    "OrderLineLot",
    "OrderSettings",
    "OrderStatus",
    "PaymentTransaction",
    "Refund",
    "RefundStatus",
    "Return",
    "ReturnLine",
    "ReturnOutcome",
    "ReturnReason",
    "SkuOrderPolicy",
    "StoreCredit",
    "TaxRate",
    "order_time",
]
