"""Exports' step of every event's job: a `data_export.queued` event runs its export."""

from __future__ import annotations

from merchantops.domain.dependencies import Dependencies
from merchantops.domain.exports.service import export_job
from merchantops.tenants.jobs import JobFunction


def on_event(deps: Dependencies) -> JobFunction:
    return export_job(deps.masking)


__all__ = ["on_event"]
