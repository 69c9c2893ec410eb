"""Facts of governance's events, for risk rules (`merchantops/rules/facts.py`)."""

from __future__ import annotations

from merchantops.rules.document import RuleSetKind
from merchantops.rules.facts import Fact, FactType, Source, ids

RISK, S = RuleSetKind.RISK, FactType.STRING

FACTS: tuple[Source, ...] = (
    Source(RISK, ("approval.decided", "approval.requested", "risk_alert.raised"), ids("id")),
    Source(
        RISK,
        ("approval.requested", "approval.decided"),
        (
            Fact("action", S, "The held action, e.g. purchase_order.submit"),
            Fact("subject_type", S, "What waits: purchase_order, sku, data_export"),
            Fact("subject_id", S, "Id of what waits"),
            Fact("role", S, "Role that decides"),
            Fact("status", S, "pending, approved, rejected or cancelled"),
        ),
    ),
    Source(
        RISK,
        ("risk_alert.raised",),
        (
            Fact("rule", S, "Id of the rule that raised it"),
            Fact("title", S, "Alert title"),
            Fact("severity", S, "low, medium, high or critical"),
        ),
    ),
)

__all__ = ["FACTS"]
