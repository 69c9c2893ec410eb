"""Background jobs: status and progress, the dead-letter list, replay."""

from __future__ import annotations

from merchantops.api.graphql.jobs.mutations import JobMutation as Mutation
from merchantops.api.graphql.jobs.queries import JobQuery as Query

__all__ = ["Mutation", "Query"]
