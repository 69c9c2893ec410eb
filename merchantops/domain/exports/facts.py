"""Facts of data exports' compliance action and event (`merchantops/rules/facts.py`)."""

from __future__ import annotations

from merchantops.rules.document import RuleSetKind
from merchantops.rules.facts import Fact, FactType, Source, ids

COMPLIANCE, RISK, S = RuleSetKind.COMPLIANCE, RuleSetKind.RISK, FactType.STRING

FACTS: tuple[Source, ...] = (
    Source(
        COMPLIANCE,
        ("data_export.create",),
        (
            Fact("export.dataset", S, "supplier_contacts, members or skus"),
            Fact(
                "export.classification",
                S,
                "Highest classification of the exported fields: public, internal, "
                "confidential_personal or sensitive_personal",
            ),
        ),
    ),
    Source(RISK, ("data_export.queued",), (*ids("id"), Fact("dataset", S, "Exported dataset"))),
)

__all__ = ["FACTS"]
