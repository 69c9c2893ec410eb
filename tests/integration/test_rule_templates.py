"""A new tenant starts with active rule sets that encode the operations standard."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from merchantops.domain.onboarding import service as onboarding
from merchantops.rules.document import RuleSetKind
from merchantops.rules.durable_engine import DurableEngine
from merchantops.rules.evaluation import RuleEvaluator
from merchantops.tenants.context import tenant_scope


@pytest.fixture(scope="module")
def engine() -> Iterator[DurableEngine]:
    durable = DurableEngine()
    yield durable
    durable.close()


@pytest.mark.parametrize(
    ("kind", "fact", "expected"),
    [
        (
            RuleSetKind.COMPLIANCE,
            {"action": "purchase_order.submit", "po": {"total": 80_000}},
            [("large-po-needs-finance", "require_approval")],
        ),
        (
            RuleSetKind.COMPLIANCE,
            {"action": "purchase_order.submit", "po": {"total": 100}, "supplier": {"grade": "D"}},
            [("no-po-to-grade-d", "deny")],
        ),
        (
            RuleSetKind.COMPLIANCE,
            {"action": "product.price_change", "price": {"change_ratio": -0.4}},
            [("large-price-change", "require_approval")],
        ),
        (
            RuleSetKind.COMPLIANCE,
            {"action": "data_export.create", "export": {"classification": "sensitive_personal"}},
            [("personal-data-export", "require_approval")],
        ),
        (RuleSetKind.COMPLIANCE, {"action": "purchase_order.submit", "po": {"total": 10}}, []),
        (
            RuleSetKind.RISK,
            {"ticket": {"id": "t1", "kind": "complaint", "hours_unanswered": 30, "hours_open": 30}},
            [("complaint-unanswered-24h", "high")],
        ),
        (
            RuleSetKind.RISK,
            {
                "ticket": {
                    "id": "t2",
                    "kind": "complaint",
                    "status": "open",
                    "hours_unanswered": 0,
                    "hours_open": 72,
                }
            },
            [("complaint-unresolved-72h", "high")],
        ),
        (
            RuleSetKind.RISK,
            {
                "ticket": {
                    "id": "t3",
                    "kind": "complaint",
                    "status": "solved",
                    "hours_unanswered": 0,
                    "hours_open": 100,
                }
            },
            [],
        ),
        (
            RuleSetKind.RISK,
            {"stock": {"sku": "SKU-1", "below_safety_by": 4}},
            [("stock-below-safety", "medium")],
        ),
    ],
)
async def test_new_tenant_rules_encode_the_standard(
    db: str, engine: DurableEngine, kind: RuleSetKind, fact: dict[str, Any], expected: list[Any]
) -> None:
    created = await onboarding.create_tenant(
        "acme", "Acme", "owner@acme.example.com", invitation_ttl=timedelta(days=1)
    )

    with tenant_scope(created.tenant.id):
        decisions = await RuleEvaluator(engine).evaluate(kind, fact)

    summary = [
        (d.rule, getattr(d.outcome, "outcome", None) or getattr(d.outcome, "severity", None))
        for d in decisions
    ]
    assert summary == expected
