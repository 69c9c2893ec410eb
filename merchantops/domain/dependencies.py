"""What an area's jobs are built with: the composition root (`merchantops.bootstrap`) makes one
`Dependencies` per process and hands it to every area's `jobs(deps)` and `on_event(deps)`."""

from __future__ import annotations

from dataclasses import dataclass

from merchantops.rules.evaluation import MaskingPolicies, RuleEvaluator
from merchantops.settings import Settings


@dataclass(frozen=True)
class Dependencies:
    settings: Settings
    evaluator: RuleEvaluator
    """Shares the process's one rules engine (its C core is called from one thread)."""
    masking: MaskingPolicies
    """The process's compiled masking tables, shared by every job that masks."""


__all__ = ["Dependencies"]
