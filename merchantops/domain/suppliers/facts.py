"""Facts of suppliers' events, for risk rules (`merchantops/rules/facts.py`)."""

from __future__ import annotations

from merchantops.rules.document import RuleSetKind
from merchantops.rules.facts import Fact, FactType, Source, ids

RISK, S, N = RuleSetKind.RISK, FactType.STRING, FactType.NUMBER

FACTS: tuple[Source, ...] = (
    Source(RISK, ("supplier.created",), (*ids("id"), Fact("code", S, "Supplier code"))),
    Source(
        RISK,
        ("supplier.contact_added", "supplier.evaluated"),
        (*ids("supplier.id"), Fact("supplier.code", S, "Supplier code")),
    ),
    Source(
        RISK,
        ("supplier.contact_added",),
        (
            Fact("full_name", S, "Contact name (personal data)"),
            Fact("title", S, "Contact's job title"),
            Fact("email", S, "Contact e-mail (personal data)"),
            Fact("phone", S, "Contact phone (personal data)"),
        ),
    ),
    Source(
        RISK,
        ("supplier.evaluated",),
        (
            Fact("grade", S, "Grade A-D after the evaluation"),
            Fact("previous_grade", S, "Grade before it (absent for a first evaluation)"),
            Fact("score", N, "Weighted score 0-100"),
        ),
    ),
)

__all__ = ["FACTS"]
