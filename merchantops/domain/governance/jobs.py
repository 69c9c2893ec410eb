"""Governance's step of every event's job: the tenant's risk rules see the event."""

from __future__ import annotations

from merchantops.domain.dependencies import Dependencies
from merchantops.domain.governance.risk import risk_job
from merchantops.tenants.jobs import JobFunction


def on_event(deps: Dependencies) -> JobFunction:
    return risk_job(deps.evaluator)


__all__ = ["on_event"]
