"""Facts of the knowledge base's events (`merchantops/rules/facts.py`)."""

from __future__ import annotations

from merchantops.rules.document import RuleSetKind
from merchantops.rules.facts import Fact, FactType, Source, ids

RISK = RuleSetKind.RISK
S, N = FactType.STRING, FactType.NUMBER
EVENTS = ("article.created", "article.published", "article.archived", "article.deleted")

FACTS: tuple[Source, ...] = (
    Source(RISK, EVENTS, (*ids("id", "category_id"), Fact("slug", S, "The article's slug"))),
    Source(
        RISK,
        ("article.published",),
        (Fact("version", N, "The version number made live"),),
    ),
)

__all__ = ["FACTS"]
