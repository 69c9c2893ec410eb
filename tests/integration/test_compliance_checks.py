"""Compliance checks as business services call them, against the tenant templates."""

from __future__ import annotations

import pytest

from merchantops.domain.governance import compliance
from merchantops.domain.governance.errors import ComplianceDenied
from merchantops.domain.governance.models import RiskAlert
from merchantops.rules import templates, versions
from merchantops.rules.document import Outcome
from merchantops.rules.evaluation import RuleEvaluator
from merchantops.tenants.context import tenant_scope
from merchantops.workers.registry import shared_engine
from tests.factories import make_shop

pytestmark = pytest.mark.usefixtures("db")


@pytest.fixture
def evaluator() -> RuleEvaluator:
    return RuleEvaluator(shared_engine())


async def test_large_po_needs_finance_approval(evaluator: RuleEvaluator) -> None:
    shop = await make_shop("acme")
    with tenant_scope(shop.tenant.id):
        await templates.install()
        decision = await compliance.check(
            evaluator, "purchase_order.submit", {"po": {"total": 75_000}}
        )

    assert decision.needs_approval
    assert (decision.approver_role, decision.rules) == (
        "finance-manager",
        ["large-po-needs-finance"],
    )


async def test_deny_wins_and_names_the_rule(evaluator: RuleEvaluator) -> None:
    shop = await make_shop("acme")
    with tenant_scope(shop.tenant.id):
        await templates.install()
        with pytest.raises(ComplianceDenied) as refused:
            await compliance.check(
                evaluator,
                "purchase_order.submit",
                {"po": {"total": 75_000}, "supplier": {"grade": "D"}},
            )

    assert refused.value.rule == "no-po-to-grade-d"
    assert refused.value.code == "COMPLIANCE_DENIED"
    assert "Grade-D suppliers" in refused.value.message


async def test_flag_allows_and_raises_one_alert(evaluator: RuleEvaluator) -> None:
    shop = await make_shop("acme")
    flag_rules = {
        "kind": "compliance",
        "rules": [
            {
                "id": "many-lines",
                "when": {"fact": "po.lines", "gt": 100},
                "then": {"outcome": "flag", "reason": "Very long order", "severity": "high"},
            }
        ],
    }
    with tenant_scope(shop.tenant.id):
        await versions.activate((await versions.create_draft(flag_rules)).id)
        first = await compliance.check(evaluator, "purchase_order.submit", {"po": {"lines": 101}})
        await compliance.check(evaluator, "purchase_order.submit", {"po": {"lines": 150}})
        alerts = await RiskAlert.all()

    assert first.outcome is Outcome.FLAG
    assert [(a.title, a.severity, a.occurrences) for a in alerts] == [
        ("Very long order", "high", 2)
    ]


async def test_without_active_rules_everything_is_allowed(evaluator: RuleEvaluator) -> None:
    shop = await make_shop("acme")
    with tenant_scope(shop.tenant.id):
        decision = await compliance.check(
            evaluator, "purchase_order.submit", {"po": {"total": 1e9}}
        )

    assert decision.outcome is Outcome.ALLOW
