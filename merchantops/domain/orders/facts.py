"""Facts of the orders area's compliance actions and events (`merchantops/rules/facts.py`)."""

from __future__ import annotations

from merchantops.domain.orders.events import EVENTS
from merchantops.rules.document import RuleSetKind
from merchantops.rules.facts import Fact, FactType, Source, ids

COMPLIANCE, RISK = RuleSetKind.COMPLIANCE, RuleSetKind.RISK
S, N, B, L = FactType.STRING, FactType.NUMBER, FactType.BOOLEAN, FactType.LIST

ORDER = (
    *ids("id"),
    Fact("number", S, "Order number, as text (purchase orders' are too)"),
    Fact("status", S, "Order status (DRAFT ... CLOSED, CANCELED, EXPIRED)"),
    Fact("payment_status", S, "Payment status (NONE, AUTHORIZED, ... OVERCHARGED)"),
    Fact("customer_id", S, "Id (UUID) of the order's customer, null for none"),
    Fact("total", N, "Order total"),
    Fact("currency", S, "ISO currency code"),
)
PLACEMENT = (
    Fact("total", N, "Order total"),
    Fact("currency", S, "ISO currency code"),
    Fact("lines", N, "Number of lines"),
    Fact("units", N, "Units over all lines"),
    Fact("discount", N, "Discounts over all lines"),
    Fact("channel", S, "STAFF or PARTNER (an API key)"),
    Fact(
        "orders_from_address_last_hour",
        N,
        "Orders to this shipping address in the last hour, this one included",
    ),
    Fact("has_customer", B, "Whether the order names a customer"),
)
REFUND = (
    Fact("amount", N, "Refund amount"),
    Fact("lines_amount", N, "Part of it for lines"),
    Fact("shipping", N, "Part of it for shipping"),
    Fact("adhoc", N, "Part of it given ad hoc"),
    Fact("share_of_order", N, "Amount / order total"),
    Fact("refunder", S, "'placer' when whoever refunds placed the order, else 'other'"),
    Fact("customer_orders", N, "Orders of the customer"),
    Fact("customer_refund_rate", N, "Share of the customer's orders refunded, this one included"),
)
RETURN = (
    *ids("id", "order_id"),
    Fact("number", S, "Return number, as text"),
    Fact("order_number", N, "Order number"),
    Fact("customer_id", S, "Id (UUID) of the customer, null for none"),
    Fact("status", S, "Return status"),
    Fact("outcome", S, "REFUND, EXCHANGE or STORE_CREDIT"),
)
ORDER_EVENTS = tuple(e for e in EVENTS if e.split(".")[0] in ("order", "payment", "refund"))

FACTS: tuple[Source, ...] = (
    Source(
        COMPLIANCE,
        ("order.place",),
        tuple(Fact(f"order.{f.name}", f.type, f.description) for f in PLACEMENT),
    ),
    Source(
        COMPLIANCE,
        ("order.cancel",),
        (
            *(Fact(f"order.{f.name}", f.type, f.description) for f in ORDER),
            Fact(
                "order.canceler", S, "'placer' when whoever cancels placed the order, else 'other'"
            ),
        ),
    ),
    Source(
        COMPLIANCE,
        ("refund.create",),
        (
            *(Fact(f"refund.{f.name}", f.type, f.description) for f in REFUND),
            *(Fact(f"order.{f.name}", f.type, f.description) for f in ORDER),
        ),
    ),
    Source(RISK, ORDER_EVENTS, ORDER),
    Source(RISK, ("order.placed",), PLACEMENT),
    Source(
        RISK,
        ("order.placed",),
        (Fact("address_ref", S, "A pseudonym of the shipping address ('' without one)"),),
    ),
    Source(RISK, ("refund.requested",), (*REFUND, *ids("refund_id"))),
    Source(
        RISK,
        ("refund.succeeded", "refund.failed"),
        (*ids("refund_id"), Fact("amount", N, "Refund amount")),
    ),
    Source(
        RISK,
        ("payment.succeeded", "payment.failed"),
        (
            *ids("transaction_id"),
            Fact("kind", S, "AUTHORIZE, CHARGE, REFUND or VOID"),
            Fact("amount", N, "Transaction amount"),
            Fact("transaction_status", S, "SUCCESS or FAILURE"),
        ),
    ),
    Source(
        RISK,
        tuple(e for e in EVENTS if e.startswith("fulfillment.")),
        (
            *ids("id", "order_id", "warehouse_id"),
            Fact("order_number", N, "Order number"),
            Fact("status", S, "Fulfilment order status"),
        ),
    ),
    Source(RISK, tuple(e for e in EVENTS if e.startswith("return.")), RETURN),
    Source(
        RISK,
        ("return.requested",),
        (Fact("lines", N, "Lines returned"), Fact("units", N, "Units returned")),
    ),
    Source(
        RISK,
        ("return.received",),
        (
            Fact("units", N, "Units received this time"),
            Fact("skus", L, "Ids of the SKUs received"),
            Fact("reasons", L, "Return reason codes of the lines received"),
            Fact("sku_reasons", L, "'<sku id>|<reason>' of every line received so far"),
        ),
    ),
    Source(RISK, ("return.declined",), (Fact("reason", S, "Why it was declined"),)),
    Source(
        RISK,
        ("return.inspected",),
        (
            Fact("restocked", N, "Units put back into stock"),
            Fact("dispositions", L, "Dispositions given"),
        ),
    ),
    Source(
        RISK,
        ("return.closed",),
        (Fact("store_credit", S, "Store credit granted"), *ids("replacement_order_id")),
    ),
    Source(
        RISK,
        ("order.canceled", "order.expired"),
        (Fact("released_units", N, "Units given back to stock"),),
    ),
)

__all__ = ["FACTS"]
