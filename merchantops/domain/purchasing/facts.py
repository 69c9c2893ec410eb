"""Facts of purchasing's compliance actions and events (`merchantops/rules/facts.py`)."""

from __future__ import annotations

from merchantops.rules.document import RuleSetKind
from merchantops.rules.facts import Fact, FactType, Source, ids

COMPLIANCE, RISK = RuleSetKind.COMPLIANCE, RuleSetKind.RISK
S, N = FactType.STRING, FactType.NUMBER
EVENTS = (
    "purchase_order.approved",
    "purchase_order.cancelled",
    "purchase_order.closed",
    "purchase_order.received",
    "purchase_order.submitted",
)

FACTS: tuple[Source, ...] = (
    Source(
        COMPLIANCE,
        ("purchase_order.submit", "purchase_order.approve"),
        (
            Fact("po.number", S, "Order number, e.g. PO-000042"),
            Fact("po.total", N, "Order total (sum of quantity x unit cost)"),
            Fact("po.currency", S, "ISO currency code of the total"),
            Fact("po.lines", N, "Number of order lines"),
            Fact("supplier.code", S, "Supplier code"),
            Fact("supplier.grade", S, "Supplier grade A-D, '' while ungraded"),
        ),
    ),
    Source(RISK, EVENTS, (*ids("id"), Fact("number", S, "Purchase order number"))),
    Source(
        RISK,
        ("purchase_order.submitted", "purchase_order.approved"),
        (Fact("total", N, "Order total"),),
    ),
    Source(
        RISK,
        ("purchase_order.received",),
        (Fact("status", S, "partially_received or received"),),
    ),
)

__all__ = ["FACTS"]
