"""Facts of the catalogue's compliance action and events (`merchantops/rules/facts.py`)."""

from __future__ import annotations

from merchantops.rules.document import RuleSetKind
from merchantops.rules.facts import Fact, FactType, Source, ids

COMPLIANCE, RISK = RuleSetKind.COMPLIANCE, RuleSetKind.RISK
S, N = FactType.STRING, FactType.NUMBER

FACTS: tuple[Source, ...] = (
    Source(
        COMPLIANCE,
        ("product.price_change",),
        (
            Fact("sku.code", S, "SKU code"),
            Fact("price.old", N, "Price before the change"),
            Fact("price.new", N, "Price asked for"),
            Fact("price.change_ratio", N, "(new - old) / old: 0.3 is +30%, -0.3 is -30%"),
        ),
    ),
    Source(RISK, ("product.created", "product.stage_changed", "sku.price_changed"), ids("id")),
    Source(RISK, ("product.created",), (Fact("name", S, "Product name"),)),
    Source(
        RISK,
        ("product.stage_changed",),
        (Fact("from", S, "Lifecycle stage before"), Fact("to", S, "Lifecycle stage after")),
    ),
    Source(
        RISK,
        ("sku.price_changed",),
        (
            Fact("code", S, "SKU code"),
            Fact("old", S, "Price before, as a decimal string"),
            Fact("new", S, "Price after, as a decimal string"),
        ),
    ),
)

__all__ = ["FACTS"]
