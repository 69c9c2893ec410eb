"""Compliance checks: domain services ask before a change commits.

    decision = await compliance.check(evaluator, "purchase_order.submit", {"po": {...}})

Every matching rule of the tenant's active compliance set counts; the strictest outcome wins:
`deny` raises `ComplianceDenied` naming the rule (the caller writes nothing), then
`require_approval` (the caller stores the change as pending for `decision.approver_role`),
then `flag` (allowed; a risk alert is raised in the caller's transaction), then `allow`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from merchantops.domain.governance.errors import ComplianceDenied
from merchantops.domain.governance.risk import open_or_bump
from merchantops.rules.document import ComplianceThen, Outcome, RuleSetKind
from merchantops.rules.evaluation import Decision, RuleEvaluator

STRICTNESS = [Outcome.DENY, Outcome.REQUIRE_APPROVAL, Outcome.FLAG, Outcome.ALLOW]


@dataclass(frozen=True, slots=True)
class ComplianceDecision:
    outcome: Outcome
    rules: list[str] = field(default_factory=list)
    approver_role: str | None = None
    reason: str = ""

    @property
    def needs_approval(self) -> bool:
        return self.outcome is Outcome.REQUIRE_APPROVAL


async def check(
    evaluator: RuleEvaluator, action: str, fact: Mapping[str, Any]
) -> ComplianceDecision:
    """Decide on `action`; raises `ComplianceDenied`. Call inside the change's transaction."""
    full = {**fact, "action": action}
    decisions = await evaluator.evaluate(RuleSetKind.COMPLIANCE, full)
    outcomes: list[tuple[Decision, ComplianceThen]] = [
        (d, d.outcome) for d in decisions if isinstance(d.outcome, ComplianceThen)
    ]
    if not outcomes:
        return ComplianceDecision(Outcome.ALLOW)
    strictest = min(outcomes, key=lambda pair: STRICTNESS.index(pair[1].outcome))
    decision, then = strictest
    if then.outcome is Outcome.DENY:
        raise ComplianceDenied(decision.rule, then.reason)
    if then.outcome is Outcome.FLAG:
        for flagged, flag in outcomes:
            if flag.outcome is Outcome.FLAG:
                await _flag(flagged.rule, flag, action, full)
    return ComplianceDecision(
        outcome=then.outcome,
        rules=[d.rule for d, t in outcomes if t.outcome is then.outcome],
        approver_role=then.role if then.outcome is Outcome.REQUIRE_APPROVAL else None,
        reason=then.reason,
    )


async def _flag(rule: str, then: ComplianceThen, action: str, fact: dict[str, Any]) -> None:
    title = then.reason or f"Flagged by compliance rule '{rule}'"
    await open_or_bump(rule, title, then.severity.value, f"compliance:{rule}:{action}", fact)


__all__ = ["ComplianceDecision", "check"]
