from __future__ import annotations

import strawberry

from merchantops.api.graphql.jobs.mutations.replay import ReplayJobMutation


@strawberry.type
class JobMutation(ReplayJobMutation):
    pass


__all__ = ["JobMutation"]
