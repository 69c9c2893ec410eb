"""Facts of the customers' compliance action and events (`merchantops/rules/facts.py`)."""

from __future__ import annotations

from merchantops.rules.document import RuleSetKind
from merchantops.rules.facts import Fact, FactType, Source, ids

COMPLIANCE, RISK = RuleSetKind.COMPLIANCE, RuleSetKind.RISK
N, L = FactType.NUMBER, FactType.LIST

FACTS: tuple[Source, ...] = (
    Source(
        COMPLIANCE,
        ("customer.erase",),
        (
            *ids("customer.id"),
            Fact("customer.tags", L, "The customer's tags"),
            Fact("customer.addresses", N, "How many addresses the customer has"),
            Fact("customer.age_days", N, "Days since the customer was created"),
        ),
    ),
    Source(RISK, ("customer.created", "customer.updated", "customer.erased"), ids("id")),
    Source(
        RISK,
        ("customer.created", "customer.updated"),
        (Fact("tags", L, "The customer's tags"),),
    ),
    Source(
        RISK,
        ("customer.updated",),
        (Fact("changed", L, "Names of the fields changed (values are personal data)"),),
    ),
)

__all__ = ["FACTS"]
