"""Facts of inventory's events, for risk rules (`merchantops/rules/facts.py`)."""

from __future__ import annotations

from merchantops.rules.document import RuleSetKind
from merchantops.rules.facts import Fact, FactType, Source

RISK, S, N = RuleSetKind.RISK, FactType.STRING, FactType.NUMBER
EVENTS = ("inventory.stock_changed", "inventory.stock_low")

FACTS: tuple[Source, ...] = (
    Source(
        RISK,
        EVENTS,
        (
            Fact(
                "cause",
                S,
                "receipt, allocation, ship, release, adjustment, transfer, reorder_policy, "
                "or check (stock_low)",
            ),
        ),
    ),
    Source(
        RISK,
        EVENTS,
        tuple(
            Fact(f"stock.{name}", type_, description)
            for name, type_, description in (
                ("sku", S, "SKU code"),
                ("sku_id", S, "SKU id"),
                ("warehouse", S, "Warehouse code"),
                ("warehouse_id", S, "Warehouse id"),
                ("on_hand", N, "Units on hand in the warehouse, after the change"),
                ("allocated", N, "Units allocated to orders"),
                ("available", N, "On hand minus allocated"),
                ("safety_stock", N, "Safety stock of the SKU's reorder policy (0 without one)"),
                ("reorder_point", N, "Reorder point of the SKU's reorder policy (0 without one)"),
                (
                    "below_safety_by",
                    N,
                    "Units missing to reach safety stock (0 when at or above it)",
                ),
            )
        ),
    ),
)

__all__ = ["FACTS"]
