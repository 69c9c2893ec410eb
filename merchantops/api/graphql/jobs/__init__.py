"""Background jobs: status and progress, the dead-letter list, replay."""

from __future__ import annotations

from merchantops.api.graphql.jobs.schema import JobMutation as Mutation
from merchantops.api.graphql.jobs.schema import JobQuery as Query

__all__ = ["Mutation", "Query"]
